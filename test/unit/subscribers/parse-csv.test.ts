import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv } from '../../../src/subscribers/parse-csv.js';
import { normalizeEmail } from '../../../src/subscribers/email-address.js';

describe('parseSubscribersCsv', () => {
  it('reads email, firstName and the other columns as attributes, trimmed, with the domain lower-cased', () => {
    const result = parseSubscribersCsv('email,firstName,city\r\n  Ada@Example.ORG , Ada ,London\r\n');
    expect(result).toEqual({
      subscribers: [{ email: 'Ada@example.org', firstName: 'Ada', attributes: { city: 'London' }, line: 2 }],
      problems: [],
      merged: 0,
    });
  });

  it('merges a repeated address, later non-empty values winning', () => {
    const result = parseSubscribersCsv('email,firstName,city\na@x.org,A,Rome\na@X.ORG,,Paris\n');
    expect(result.merged).toBe(1);
    expect(result.subscribers).toEqual([{ email: 'a@x.org', firstName: 'A', attributes: { city: 'Paris' }, line: 2 }]);
  });

  it('reports every bad row with its line number and keeps the good ones', () => {
    const result = parseSubscribersCsv('email\nok@x.org\nnot an address\n\n,\nb@x.org,extra\n"unterminated@x.org\n');
    expect(result.subscribers.map((s) => s.email)).toEqual(['ok@x.org']);
    expect(result.problems).toEqual([
      { line: 3, message: '"not an address" is not an e-mail address' },
      { line: 5, message: '2 fields but the header names 1' },
      { line: 6, message: '2 fields but the header names 1' },
      { line: 7, message: 'a quoted field is never closed' },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const result = parseSubscribersCsv('email,firstName,note\n"q@x.org","Ann ""Q""","a, b\nc"\n');
    expect(result.subscribers[0]).toMatchObject({ email: 'q@x.org', firstName: 'Ann "Q"', attributes: { note: 'a, b\nc' } });
  });

  it('refuses a file without an email column', () => {
    expect(parseSubscribersCsv('name\nx\n').problems).toEqual([{ line: 1, message: 'no "email" column in the header' }]);
  });

  it('keeps the local part as written', () => {
    expect(normalizeEmail(' John.Doe@GMAIL.com ')).toBe('John.Doe@gmail.com');
  });
});
