/**
 * The SubscriberAdmin.searchMembers contract, one suite for every subscriber store (memory, local SQLite,
 * DynamoDB): following the cursors gives exactly the members the filter names, each once, whatever the page
 * size; who matches is worked out from the members' numbering, not by the code under test.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SubscriberInput, SubscriberStatus } from '../../src/model.js';
import type { MemberFilter, SubscriberAdmin, SubscriberStore } from '../../src/ports.js';

type Store = SubscriberStore & SubscriberAdmin;
const AT = '2026-03-02T09:00:00.000Z';
const STATUSES: SubscriberStatus[] = ['subscribed', 'subscribed', 'unsubscribed', 'pending', 'bounced'];
const TAGS = ['premium', 'free', 'premium;vip', undefined, 'vip ; Beta'];
const COUNTRIES = ['DE', 'at', 'FR', undefined];
const N = 60;

/** Member `i`: its address sorts in member order within its prefix group; tags, country and status follow `i`. */
function member(list: string, i: number): SubscriberInput {
  const attributes: Record<string, string> = {};
  if (TAGS[i % 5]) attributes.tags = TAGS[i % 5]!;
  if (COUNTRIES[i % 4]) attributes.country = COUNTRIES[i % 4]!;
  return {
    list,
    email: `${i % 3 === 0 ? 'Ann' : 'bob'}.${String(i).padStart(3, '0')}@Example.com`,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    status: STATUSES[i % 5]!,
  };
}

/** Runs the contract against the store `open` gives (lists never repeat, so one store may serve every test). */
export function describeMemberSearchContract(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name} keeps the searchMembers contract`, () => {
    const filled = async () => {
      const store = await open();
      const list = `search-${randomUUID().slice(0, 8)}`;
      await store.createMany(
        Array.from({ length: N }, (_, i) => member(list, i)),
        AT,
      );
      await store.upsert({ list: `${list}-other`, email: 'ann.000@example.com', status: 'subscribed' }, AT);
      return { store, list };
    };
    const search = async (store: Store, list: string, filter: MemberFilter, limit: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; ; pages++) {
        const page = await store.searchMembers(list, cursor, limit, filter);
        expect(page.subscribers.length).toBeLessThanOrEqual(limit);
        seen.push(...page.subscribers.map((s) => s.email));
        cursor = page.next;
        if (cursor === undefined) break;
        if (pages > 200) throw new Error('searchMembers never ended');
      }
      expect(new Set(seen).size).toBe(seen.length);
      return seen;
    };
    const expected = (list: string, keep: (i: number) => boolean) =>
      Array.from({ length: N }, (_, i) => i)
        .filter(keep)
        .map((i) => member(list, i).email)
        .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));

    it('gives exactly the members of each filter, in key order, whatever the page size', async () => {
      const { store, list } = await filled();
      const cases: [MemberFilter, (i: number) => boolean][] = [
        [{}, () => true],
        [{ status: 'subscribed' }, (i) => i % 5 < 2],
        [{ tag: 'VIP' }, (i) => i % 5 === 2 || i % 5 === 4],
        [{ tag: 'beta' }, (i) => i % 5 === 4],
        [{ tag: 'prem' }, () => false],
        [{ field: { name: 'country', value: 'AT' } }, (i) => i % 4 === 1],
        [{ addressPrefix: 'ANN.' }, (i) => i % 3 === 0],
        [{ addressPrefix: 'bob.05' }, (i) => i % 3 !== 0 && i >= 50],
        [
          { status: 'subscribed', tag: 'premium', field: { name: 'country', value: 'de' }, addressPrefix: 'ann' },
          (i) => i % 5 === 0 && i % 4 === 0 && i % 3 === 0,
        ],
      ];
      for (const [filter, keep] of cases) {
        for (const limit of [7, 100]) {
          expect(await search(store, list, filter, limit), JSON.stringify({ filter, limit })).toEqual(expected(list, keep));
        }
      }
    });
  });
}
