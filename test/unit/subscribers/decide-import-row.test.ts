import { describe, expect, it } from 'vitest';
import type { Subscriber } from '../../../src/model.js';
import { decideImportRow } from '../../../src/subscribers/decide-import-row.js';
import type { CsvSubscriber } from '../../../src/subscribers/parse-csv.js';

const AT = '2026-05-01T00:00:00.000Z';
const member = (over: Partial<Subscriber> = {}): Subscriber => ({
  id: 'id-1',
  list: 'weekly',
  email: 'Ada@example.org',
  firstName: 'Ada',
  attributes: { city: 'London' },
  status: 'subscribed',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const row = (over: Partial<CsvSubscriber> = {}): CsvSubscriber => ({ email: 'ADA@example.org', attributes: {}, line: 2, ...over });

describe('decideImportRow', () => {
  it('creates an absent address as subscribed, with its name and attributes', () => {
    expect(decideImportRow(undefined, row({ firstName: 'A', attributes: { city: 'Rome' } }), 'weekly', AT)).toEqual({
      kind: 'create',
      input: { list: 'weekly', email: 'ADA@example.org', firstName: 'A', attributes: { city: 'Rome' }, status: 'subscribed' },
    });
  });

  it('writes nothing for a member the row names as they are (a re-import, in any case)', () => {
    expect(decideImportRow(member(), row({ firstName: 'Ada', attributes: { city: 'London' } }), 'weekly', AT)).toEqual({
      kind: 'unchanged',
    });
    expect(decideImportRow(member(), row(), 'weekly', AT)).toEqual({ kind: 'unchanged' });
  });

  it('merges new values into a member, keeping its id, creation time and address as first written', () => {
    const decision = decideImportRow(member(), row({ attributes: { plan: 'paid' } }), 'weekly', AT);
    expect(decision).toEqual({
      kind: 'replace',
      subscriber: member({ attributes: { city: 'London', plan: 'paid' }, updatedAt: AT }),
    });
  });

  it('never re-subscribes someone who left, and says why', () => {
    for (const status of ['unsubscribed', 'bounced', 'complained'] as const)
      expect(decideImportRow(member({ status }), row({ firstName: 'New' }), 'weekly', AT)).toMatchObject({ kind: 'refused' });
  });

  it('subscribes a pending member (the list owner vouches for consent), as the status table says', () => {
    expect(decideImportRow(member({ status: 'pending' }), row(), 'weekly', AT)).toMatchObject({
      kind: 'replace',
      subscriber: { status: 'subscribed' },
    });
  });

  it('records a status column saying the person left, for a new address and over a subscribed member', () => {
    expect(decideImportRow(undefined, row({ status: 'unsubscribed' }), 'weekly', AT)).toMatchObject({
      kind: 'create',
      input: { status: 'unsubscribed' },
    });
    expect(decideImportRow(member(), row({ status: 'complained' }), 'weekly', AT)).toMatchObject({
      kind: 'replace',
      subscriber: { status: 'complained' },
    });
    expect(decideImportRow(member({ status: 'bounced' }), row({ status: 'unsubscribed' }), 'weekly', AT)).toEqual({ kind: 'unchanged' });
  });

  it('never promotes anyone from a pending status column', () => {
    expect(decideImportRow(undefined, row({ status: 'pending' }), 'weekly', AT)).toMatchObject({
      kind: 'create',
      input: { status: 'pending' },
    });
    expect(decideImportRow(member({ status: 'unsubscribed' }), row({ status: 'pending' }), 'weekly', AT)).toEqual({ kind: 'unchanged' });
  });
});
