import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv, SubscriberCsvReader } from '../../../src/subscribers/parse-csv.js';
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

describe('SubscriberCsvReader', () => {
  const text =
    'email,firstName,status,city\r\n"q@x.org","Ann ""Q""",,"a, b\r\nc"\r\nbad row\r\nleft@x.org,L,unsubscribed,\r\nw@x.org,W,maybe,\r\nlast@x.org,,,"Oslo"';

  it('reads the same rows and line numbers however the text is cut into chunks', () => {
    const whole = parseSubscribersCsv(text);
    for (let cut = 1; cut < text.length; cut++) {
      const reader = new SubscriberCsvReader();
      const items = [...reader.push(text.slice(0, cut)), ...reader.push(text.slice(cut)), ...reader.end()];
      expect(
        items.flatMap((i) => ('subscriber' in i ? [i.subscriber] : [])),
        `cut at ${cut}`,
      ).toEqual(whole.subscribers);
      expect(
        items.flatMap((i) => ('problem' in i ? [i.problem] : [])),
        `cut at ${cut}`,
      ).toEqual(whole.problems);
    }
  });

  it('reads a status column, and refuses a status that is none of the five', () => {
    const result = parseSubscribersCsv(text);
    expect(result.subscribers.find((s) => s.email === 'left@x.org')?.status).toBe('unsubscribed');
    expect(result.subscribers.find((s) => s.email === 'q@x.org')).toMatchObject({
      status: undefined,
      attributes: { city: 'a, b\r\nc' },
      line: 2,
    });
    expect(result.problems).toEqual([
      { line: 4, message: '"bad row" is not an e-mail address' },
      { line: 6, message: 'status "maybe" is not one of pending, subscribed, unsubscribed, bounced, complained' },
    ]);
  });

  it('says so when the file is empty', () => {
    const reader = new SubscriberCsvReader();
    expect([...reader.push(''), ...reader.end()]).toEqual([
      { problem: { line: 1, message: 'the file is empty; the first line must name the columns (email, firstName, …)' } },
    ]);
  });
});
