import { describe, expect, it } from 'vitest';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { applyChanges, updateSubscriber } from '../../../src/subscribers/update-subscriber.js';

const AT = '2026-05-01T00:00:00.000Z';

describe('updateSubscriber', () => {
  it('sets and removes attributes and the first name, and never touches the status', async () => {
    const store = new MemorySubscriberStore();
    await store.upsert(
      { list: 'weekly', email: 'Ada@x.org', firstName: 'Ada', attributes: { city: 'London', plan: 'free' }, status: 'unsubscribed' },
      AT,
    );
    const updated = await updateSubscriber(
      store,
      'weekly',
      'ADA@X.ORG',
      { firstName: 'Augusta', fields: { city: 'Paris', plan: '' } },
      '2026-05-02T00:00:00.000Z',
    );
    expect(updated).toMatchObject({ email: 'Ada@x.org', firstName: 'Augusta', attributes: { city: 'Paris' }, status: 'unsubscribed' });
    expect(await store.get('weekly', 'ada@x.org')).toEqual(updated);
  });

  it('answers undefined for someone who is not a member', async () => {
    expect(await updateSubscriber(new MemorySubscriberStore(), 'weekly', 'x@x.org', { firstName: 'X' }, AT)).toBeUndefined();
  });

  it('removes the first name when given an empty one', () => {
    const current = { id: '1', list: 'l', email: 'a@x.org', firstName: 'A', status: 'subscribed' as const, createdAt: AT, updatedAt: AT };
    expect(applyChanges(current, { firstName: '' }, AT).firstName).toBeUndefined();
  });
});
