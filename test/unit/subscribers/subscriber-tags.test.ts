import { describe, expect, it } from 'vitest';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { tagsOf } from '../../../src/brief/audience.js';
import { importSubscribers } from '../../../src/subscribers/import-subscribers.js';
import { parseSubscribersCsv } from '../../../src/subscribers/parse-csv.js';
import { applyChanges, changeProblems, updateSubscriber } from '../../../src/subscribers/update-subscriber.js';
import type { Subscriber } from '../../../src/model.js';

const AT = '2026-03-01T00:00:00Z';

describe('tags and fields from CSV', () => {
  it('reads a ;-separated tags column in canonical form and the other columns as fields', () => {
    const { subscribers, problems } = parseSubscribersCsv(
      'email,Tags,country,city\nada@example.org, VIP; premium ;;vip,DE,Berlin\nbo@example.org,,AT,\n',
    );
    expect(problems).toEqual([]);
    expect(subscribers.map((s) => s.attributes)).toEqual([{ tags: 'premium;vip', country: 'DE', city: 'Berlin' }, { country: 'AT' }]);
  });

  it('refuses a row with a malformed tag, naming it and the line', () => {
    const { subscribers, problems } = parseSubscribersCsv('email,tags\nada@example.org,premium;two words\nbo@example.org,ok\n');
    expect(problems).toEqual([{ line: 2, message: expect.stringContaining('tag "two words" is not a tag') }]);
    expect(subscribers.map((s) => s.email)).toEqual(['bo@example.org']);
  });

  it('imports tags so that audiences see them', async () => {
    const store = new MemorySubscriberStore();
    await importSubscribers(store, 'weekly', parseSubscribersCsv('email,tags,country\nada@example.org,Premium,DE\n').subscribers, AT);
    const ada = await store.get('weekly', 'ada@example.org');
    expect(tagsOf(ada!)).toEqual(['premium']);
    expect(ada!.attributes).toEqual({ tags: 'premium', country: 'DE' });
  });
});

describe('subscribers update --tag / --untag', () => {
  const ada: Subscriber = {
    id: 'a1',
    list: 'weekly',
    email: 'ada@example.org',
    status: 'subscribed',
    attributes: { tags: 'free;vip', country: 'DE' },
    createdAt: AT,
    updatedAt: AT,
  };

  it('adds and removes tags, keeping them sorted and unique, fields untouched', () => {
    const next = applyChanges(ada, { addTags: ['Premium', 'vip'], removeTags: ['FREE'] }, '2026-03-02T00:00:00Z');
    expect(next.attributes).toEqual({ tags: 'premium;vip', country: 'DE' });
    expect(applyChanges(next, { removeTags: ['premium', 'vip', 'absent'] }, AT).attributes).toEqual({ country: 'DE' });
  });

  it('refuses malformed tags and setting the tags field directly', () => {
    expect(changeProblems({ addTags: ['ok', 'not ok'], fields: { tags: 'x' } })).toEqual([
      expect.stringContaining('"not ok" is not a tag'),
      'the tags are changed with --tag and --untag, not as a field',
    ]);
    expect(changeProblems({ addTags: ['premium'], fields: { city: 'Berlin' } })).toEqual([]);
  });

  it('writes the tags through the store', async () => {
    const store = new MemorySubscriberStore();
    await store.createMany([{ list: 'weekly', email: 'ada@example.org', status: 'subscribed' }], AT);
    const updated = await updateSubscriber(
      store,
      'weekly',
      'ada@example.org',
      { addTags: ['premium'], fields: { city: 'Wien' } },
      '2026-03-02T00:00:00Z',
    );
    expect(updated?.attributes).toEqual({ city: 'Wien', tags: 'premium' });
    expect(tagsOf((await store.get('weekly', 'ada@example.org'))!)).toEqual(['premium']);
  });
});
