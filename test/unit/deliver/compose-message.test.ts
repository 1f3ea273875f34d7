import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { composeReaderMessage } from '../../../src/deliver/reader-message.js';
import { composeMessage, HeaderInjectionError } from '../../../src/deliver/compose-message.js';
import { personalize, unsubscribeLinks } from '../../../src/deliver/personalize.js';
import { parseKeyring, verifyToken } from '../../../src/deliver/tokens.js';
import { LISTS, renderedFixture } from '../../support/fixtures.js';

const keyring = parseKeyring({ current: 'k1', k1: 'z'.repeat(48) });
const date = new Date('2026-11-30T07:00:00Z');

async function build(file: string, recipient = { id: 'sub-7', email: 'ada@example.com', firstName: 'Ada' }) {
  const issue = renderedFixture(file.replace(/\.json$/, ''));
  const list = LISTS.lists.get(issue.list)!;
  const links = unsubscribeLinks(list, recipient, keyring);
  const message = await composeMessage({
    issue,
    list,
    recipient,
    content: personalize(issue, recipient, links.url),
    unsubscribe: links,
    date,
  });
  return { message, parsed: await simpleParser(message.raw), list, links };
}

describe('composeMessage', () => {
  it('tags the message with its list, issue and delivery, which SES returns in its events', async () => {
    const { message } = await build('oracle-tiktok.json');
    expect(message.tags).toEqual({
      list: 'future-50',
      issue: 'oracle-tiktok-partnership',
      delivery: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    });
  });

  it('builds multipart/alternative with every header a bulk sender needs', async () => {
    const { message, parsed, links } = await build('oracle-tiktok.json');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.from?.value[0]).toEqual({ name: 'Future 50', address: 'future-50@news.example.com' });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0] : undefined).toEqual({ name: 'Ada', address: 'ada@example.com' });
    expect(parsed.replyTo?.text).toBe('editors@news.example.com');
    expect(parsed.subject).toBe('Oracle confirms Bytedance-TikTok partnership in US');
    expect(parsed.date?.toISOString()).toBe(date.toISOString());
    expect(parsed.messageId).toBe('<future-50.oracle-tiktok-partnership.sub-7@news.example.com>');
    expect(message.messageId).toBe(parsed.messageId);
    const raw = message.raw.toString();
    expect(raw).toMatch(/\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/);
    expect(raw).toMatch(/\r\nList-ID: "Future 50" <future-50\.news\.example\.com>\r\n/);
    const listUnsubscribe = /(?:^|\r\n)List-Unsubscribe:([\s\S]*?)\r\n(?=\S)/.exec(raw)![1]!.replace(/\r\n /g, ' ').trim();
    // No mailto unless the deployment receives mail unsubscribes: never advertise what is not served.
    expect(links.mailto).toBeUndefined();
    expect(listUnsubscribe).toBe(`<${links.url}>`);
    expect(parsed.text).toContain('- The full scope of this partnership');
    expect(parsed.html).toContain('<h1');
    expect(parsed.html).toContain(links.url.replace(/&/g, '&amp;'));
  });

  it('advertises the mailto unsubscribe beside the one-click URL where the deployment receives it', async () => {
    const issue = renderedFixture('oracle-tiktok');
    const list = { ...LISTS.lists.get(issue.list)!, unsubscribeMailto: 'unsubscribe@news.example.com' };
    const recipient = { id: 'sub-7', email: 'ada@example.com', firstName: 'Ada' };
    const links = unsubscribeLinks(list, recipient, keyring);
    const message = await composeMessage({
      issue,
      list,
      recipient,
      content: personalize(issue, recipient, links.url),
      unsubscribe: links,
      date,
    });
    const raw = message.raw.toString();
    const listUnsubscribe = /(?:^|\r\n)List-Unsubscribe:([\s\S]*?)\r\n(?=\S)/.exec(raw)![1]!.replace(/\r\n /g, ' ').trim();
    expect(links.mailto).toMatch(/^mailto:unsubscribe@news\.example\.com\?subject=unsubscribe%20v1\./);
    expect(listUnsubscribe).toBe(`<${links.url}>, <${links.mailto}>`);
  });

  it('signs an unsubscribe token for this reader that verifies and names no address', async () => {
    const { links } = await build('oracle-tiktok.json');
    const token = new URL(links.url).searchParams.get('t')!;
    expect(links.url).not.toContain('ada');
    expect(verifyToken(token, keyring, { purpose: 'unsubscribe', nowSeconds: 0 })).toMatchObject({
      ok: true,
      claims: { list: 'future-50', subscriber: 'sub-7' },
    });
  });

  it('encodes non-ASCII subjects and list names as RFC 2047 words that decode back', async () => {
    const { message, parsed } = await build('rtl-arabic.json');
    const head = message.raw.toString().split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(head).not.toMatch(/[^\x00-\x7f]/);
    expect(parsed.subject).toBe('موجز الأسبوع');
    expect((parsed.headers.get('list') as { id?: { name?: string; id?: string } }).id).toMatchObject({
      id: 'arabic-weekly.news.example.com',
    });
  });

  it('keeps CR/LF in a reader name out of every header', async () => {
    const { message, parsed } = await build('special-characters.json', {
      id: 'x',
      email: 'eve@example.com',
      firstName: 'Eve\r\nBcc: victim@example.com',
    });
    expect(parsed.bcc).toBeUndefined();
    expect(message.raw.toString()).not.toMatch(/\r\nBcc:/i);
    expect(parsed.text).toContain('- Eve Bcc: victim@example.com, this bullet greets you.');
    expect(parsed.subject).toBe('Tom & Jerry\'s <b>not bold</b> "quotes" — ünïcödé 🚀');
  });

  it('refuses to build a message whose header would carry a line break', async () => {
    const list = { ...LISTS.lists.get('weekly')!, replyTo: 'a@b.c\r\nBcc: x@y.z' };
    const issue = renderedFixture('minimal');
    const recipient = { id: 'r', email: 'r@example.com' };
    await expect(composeReaderMessage({ issue, list, recipient, keyring, date })).rejects.toThrow(HeaderInjectionError);
  });
});
