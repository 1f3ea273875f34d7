import { describe, expect, it } from 'vitest';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import type { Subscriber } from '../../../src/model.js';
import { forgetSubscriber, isForgotten } from '../../../src/subscribers/forget-subscriber.js';
import { importSubscribers } from '../../../src/subscribers/import-subscribers.js';
import { parseSubscribersCsv, SubscriberCsvReader } from '../../../src/subscribers/parse-csv.js';

const AT = '2026-05-01T00:00:00.000Z';
const LATER = '2026-05-02T00:00:00.000Z';
const rows = (text: string) => parseSubscribersCsv(text).subscribers;
function* items(text: string) {
  const reader = new SubscriberCsvReader();
  yield* reader.push(text);
  yield* reader.end();
}

describe('importSubscribers', () => {
  it('matches addresses case-insensitively: a re-import in upper case adds nobody and writes nothing', async () => {
    const store = new MemorySubscriberStore();
    const first = await importSubscribers(store, 'weekly', rows('email,firstName\nAda@Example.org,Ada\nbob@example.org,Bob\n'), AT);
    expect(first).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
    const again = await importSubscribers(store, 'weekly', rows('email,firstName\nADA@EXAMPLE.ORG,Ada\nBOB@example.org,\n'), LATER);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    expect(await store.get('weekly', 'ada@example.org')).toMatchObject({ email: 'Ada@example.org', updatedAt: AT });
  });

  it('merges a row repeated in a later batch into what the earlier batch wrote', async () => {
    const store = new MemorySubscriberStore();
    const text = 'email,firstName,city\na@x.org,A,Rome\nb@x.org,B,\nc@x.org,C,\nA@X.ORG,,Paris\na@x.org,,\n';
    const counts = await importSubscribers(store, 'weekly', items(text), AT, { batchSize: 2 });
    expect(counts).toMatchObject({ added: 3, updated: 1, unchanged: 1, merged: 0 });
    expect(await store.get('weekly', 'a@x.org')).toMatchObject({ firstName: 'A', attributes: { city: 'Paris' } });
  });

  it('lists invalid rows by line and still imports the rest', async () => {
    const store = new MemorySubscriberStore();
    const counts = await importSubscribers(store, 'weekly', items('email\nok@x.org\nnope\nok2@x.org\n'), AT);
    expect(counts).toMatchObject({ added: 2, invalid: 1, problems: [{ line: 3, message: '"nope" is not an e-mail address' }] });
  });

  it('never re-subscribes someone who left, and reports the line', async () => {
    const store = new MemorySubscriberStore();
    await store.upsert({ list: 'weekly', email: 'left@x.org', status: 'unsubscribed' }, AT);
    const counts = await importSubscribers(store, 'weekly', rows('email\nnew@x.org\nLEFT@x.org\n'), LATER);
    expect(counts.refused).toEqual([{ email: 'LEFT@x.org', line: 3, reason: expect.stringContaining('unsubscribed') }]);
    expect((await store.get('weekly', 'left@x.org'))?.status).toBe('unsubscribed');
  });

  it('skips a forgotten address in any case, in every list, and reports it as suppressed', async () => {
    const store = new MemorySubscriberStore();
    await importSubscribers(store, 'weekly', rows('email,firstName\ngone@x.org,Gone\nstay@x.org,Stay\n'), AT);
    expect(await forgetSubscriber(store, 'Gone@X.org', ['weekly', 'other'], LATER)).toEqual({ erasedFrom: ['weekly'] });
    expect(await store.get('weekly', 'gone@x.org')).toBeUndefined();
    expect(await isForgotten(store, 'GONE@x.org')).toBe(true);
    expect(await isForgotten(store, 'stay@x.org')).toBe(false);
    for (const list of ['weekly', 'other']) {
      const counts = await importSubscribers(store, list, rows('email\nstay@x.org\nGONE@x.org\n'), LATER);
      expect(counts.suppressed).toEqual([{ line: 3 }]);
      expect(await store.get(list, 'gone@x.org')).toBeUndefined();
    }
  });

  it('decides again when the member changed between the read and the write: an unsubscribe in between wins', async () => {
    const store = new MemorySubscriberStore();
    await store.upsert({ list: 'weekly', email: 'ada@x.org', firstName: 'Ada', status: 'subscribed' }, AT);
    const racing = Object.create(store) as MemorySubscriberStore;
    let raced = false;
    racing.replaceIfUnchanged = async (subscriber: Subscriber, seen: string) => {
      if (!raced) {
        raced = true;
        await store.setStatus('weekly', 'ada@x.org', 'unsubscribed', '2026-05-01T12:00:00.000Z'); // the reader clicks "unsubscribe"
      }
      return store.replaceIfUnchanged(subscriber, seen);
    };
    const counts = await importSubscribers(racing, 'weekly', rows('email,firstName\nada@x.org,Ada Lovelace\n'), LATER);
    expect(counts).toMatchObject({ updated: 0, refused: [{ line: 2 }] });
    expect(await store.get('weekly', 'ada@x.org')).toMatchObject({ status: 'unsubscribed', firstName: 'Ada' });
  });

  it('reports progress after each batch', async () => {
    const seen: number[] = [];
    const text = `email\n${Array.from({ length: 7 }, (_, i) => `r${i}@x.org`).join('\n')}\n`;
    await importSubscribers(new MemorySubscriberStore(), 'weekly', items(text), AT, {
      batchSize: 3,
      onProgress: (p) => seen.push(p.added),
    });
    expect(seen).toEqual([3, 6, 7]);
  });
});
