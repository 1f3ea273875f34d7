import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListsFileError, parseListsDocument, readListsFile } from '../../lib/lists-file.js';
import { buildStack } from './synth-stack.js';

const example = (JSON.parse(readFileSync('config/lists.json', 'utf8')) as { lists: Record<string, unknown>[] }).lists[0]!;
const list = (id: string, from: string) => ({ ...example, id, displayName: id, from });

describe('readListsFile', () => {
  it('reads the example lists file into seed items as written, and collects its from domains', () => {
    const lists = readListsFile('config/lists.json');
    const written = (JSON.parse(readFileSync('config/lists.json', 'utf8')) as { lists: { id: string }[] }).lists;
    expect(lists.seed).toEqual(written.map((list) => ({ id: list.id, json: JSON.stringify(list) })));
    expect(lists.fromDomains).toEqual(['news.example.com']);
    expect(lists.exampleUrls).toEqual([]);
  });

  it('names each list URL still on the example site, for a synth warning', () => {
    const text = JSON.stringify({
      lists: [{ ...list('a', 'A <a@news.example.com>'), unsubscribeBaseUrl: 'https://news.example.com/unsubscribe' }],
    });
    expect(parseListsDocument(text, 'l.json').exampleUrls).toEqual([
      expect.stringMatching(/list "a" sets unsubscribeBaseUrl to https:\/\/news\.example\.com\/unsubscribe, the example site/),
    ]);
  });

  it('refuses a file that is not JSON, naming the file', () => {
    expect(() => parseListsDocument('{ "lists": [', 'broken.json')).toThrow(/^Lists file "broken.json" is not valid JSON/);
  });

  it('refuses a document without lists', () => {
    expect(() => parseListsDocument('{}', 'empty.json')).toThrow(/^Lists file "empty.json": \/lists /);
  });

  it('refuses a list whose from is not an address, with its pointer', () => {
    const text = JSON.stringify({ lists: [list('a', 'A <a@example.com>'), list('b', 'nobody')] });
    expect(() => parseListsDocument(text, 'l.json')).toThrow(/\/lists\/1\/from must be an address/);
  });

  it('refuses what the runtime lists schema refuses, so a bad list fails synth, not a cold start', () => {
    const text = JSON.stringify({ lists: [{ ...list('a', 'A <a@news.example.com>'), archiveBaseUrl: 'javascript:alert(1)' }] });
    expect(() => parseListsDocument(text, 'l.json')).toThrow(/\/lists\/0\/archiveBaseUrl/);
  });

  it('accepts any number of lists: none travels in an environment', () => {
    const lists = Array.from({ length: 100 }, (_, i) => list(`list-${i}`, `List ${i} <list-${i}@news.example.com>`));
    expect(parseListsDocument(JSON.stringify({ lists }), 'big.json').seed).toHaveLength(100);
  });

  it('fails synth with a clear message when the lists file is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbrief-lists-'));
    const file = join(dir, 'lists.json');
    writeFileSync(file, '{ not json');
    expect(() => buildStack({ listsFile: file })).toThrow(ListsFileError);
    expect(() => buildStack({ listsFile: join(dir, 'missing.json') })).toThrow(/cannot be read/);
  });

  it('fails synth when a list sends from outside the SES identity', () => {
    expect(() => buildStack({ senderDomain: 'other.example.org' })).toThrow(/outside context "senderDomain" \(other.example.org\)/);
  });
});
