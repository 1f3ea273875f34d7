import { describe, expect, it } from 'vitest';
import type { Subscriber } from '../../../src/model.js';
import { mergeCaseDuplicates } from '../../../src/subscribers/merge-case-duplicates.js';

const at = '2026-05-01T00:00:00.000Z';
const m = (
  email: string,
  id: string,
  status: Subscriber['status'],
  createdAt: string,
  updatedAt: string,
  over: Partial<Subscriber> = {},
): Subscriber => ({
  id,
  list: 'weekly',
  email,
  status,
  createdAt,
  updatedAt,
  ...over,
});

describe('mergeCaseDuplicates', () => {
  it('keeps the status that mails least, the oldest id and creation time, and the newest address and name', () => {
    const merged = mergeCaseDuplicates(
      [
        m('ADA@x.org', 'newer', 'subscribed', '2025-06-01', '2025-07-01', { firstName: 'Ada L', attributes: { city: 'Paris' } }),
        m('Ada@x.org', 'older', 'unsubscribed', '2025-01-01', '2025-02-01', {
          firstName: 'Ada',
          attributes: { city: 'London', plan: 'paid' },
        }),
      ],
      at,
    );
    expect(merged).toEqual({
      id: 'older',
      list: 'weekly',
      email: 'ADA@x.org',
      firstName: 'Ada L',
      attributes: { city: 'Paris', plan: 'paid' },
      status: 'unsubscribed',
      createdAt: '2025-01-01',
      updatedAt: at,
    });
  });

  it('ranks complained over bounced over unsubscribed over subscribed over pending', () => {
    const statuses: Subscriber['status'][] = ['pending', 'subscribed', 'unsubscribed', 'bounced', 'complained'];
    for (let i = 1; i < statuses.length; i++)
      expect(
        mergeCaseDuplicates([m('a@x.org', '1', statuses[i - 1]!, '1', '1'), m('A@x.org', '2', statuses[i]!, '2', '2')], at).status,
      ).toBe(statuses[i]);
  });
});
