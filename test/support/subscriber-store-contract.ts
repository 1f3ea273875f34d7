/**
 * The SubscriberStore contract, one suite for every subscriber store: the in-memory one, local mode's
 * database and DynamoDB. Each store is run by a test file of its folder (unit for the in-process ones,
 * integration for DynamoDB). Every test works on a list of its own, so that one table can serve the suite.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberStatus } from '../../src/model.js';
import type { SubscriberStore } from '../../src/ports.js';

const AT = '2026-03-02T09:00:00.000Z';
const LATER = '2026-03-03T09:00:00.000Z';

/** Every page of a list's subscribed members, following the cursors to the end. */
async function allPages(store: SubscriberStore, list: string, limit: number): Promise<Subscriber[][]> {
  const pages: Subscriber[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.pageSubscribed(list, cursor, limit);
    pages.push([...page.subscribers]);
    cursor = page.next;
    // A store that never ends its pages would loop for ever: 1,000 pages is far more than any test needs.
    if (pages.length > 1_000) throw new Error('pageSubscribed never ended');
  } while (cursor !== undefined);
  return pages;
}

/** Runs the contract against the stores `open` gives (a fresh one per test, or one shared: lists never repeat). */
export function describeSubscriberStoreContract(name: string, open: () => SubscriberStore | Promise<SubscriberStore>): void {
  describe(`${name} keeps the SubscriberStore contract`, () => {
    const fresh = async () => ({ store: await open(), list: `list-${randomUUID().slice(0, 8)}` });
    const add = (store: SubscriberStore, list: string, email: string, status: SubscriberStatus = 'subscribed') =>
      store.upsert({ list, email, status }, AT);

    describe('paging by cursor', () => {
      it('gives every subscribed member exactly once, no page over the limit, and skips everyone else', async () => {
        const { store, list } = await fresh();
        const statuses: SubscriberStatus[] = ['subscribed', 'subscribed', 'unsubscribed', 'subscribed', 'pending', 'bounced', 'subscribed'];
        const expected: string[] = [];
        for (let i = 0; i < 23; i++) {
          const status = statuses[i % statuses.length]!;
          const email = `reader-${String((i * 7) % 23).padStart(2, '0')}@example.com`;
          await add(store, list, email, status);
          if (status === 'subscribed') expected.push(email);
        }
        const pages = await allPages(store, list, 4);
        for (const page of pages) expect(page.length).toBeLessThanOrEqual(4);
        const seen = pages.flat().map((s) => s.email);
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual([...expected].sort());
        expect(pages.flat().every((s) => s.status === 'subscribed' && s.list === list)).toBe(true);
      });

      it('keeps other lists out of a list’s pages', async () => {
        const { store, list } = await fresh();
        const other = `${list}-other`;
        await add(store, list, 'ada@example.com');
        await add(store, other, 'bob@example.com');
        expect((await allPages(store, list, 10)).flat().map((s) => s.email)).toEqual(['ada@example.com']);
      });

      it('continues from a cursor after members joined before it, without repeating anyone', async () => {
        const { store, list } = await fresh();
        for (const email of ['b@example.com', 'd@example.com', 'f@example.com', 'h@example.com']) await add(store, list, email);
        const first = await store.pageSubscribed(list, undefined, 2);
        expect(first.next).toBeDefined();
        await add(store, list, 'a@example.com'); // sorts before the cursor: not in this run
        await add(store, list, 'g@example.com'); // sorts after it: in this run
        const rest: string[] = [];
        let cursor = first.next;
        while (cursor !== undefined) {
          const page = await store.pageSubscribed(list, cursor, 2);
          rest.push(...page.subscribers.map((s) => s.email));
          cursor = page.next;
        }
        const firstEmails = first.subscribers.map((s) => s.email);
        expect(firstEmails.filter((e) => rest.includes(e))).toEqual([]);
        expect([...firstEmails, ...rest].sort()).toEqual([
          'b@example.com',
          'd@example.com',
          'f@example.com',
          'g@example.com',
          'h@example.com',
        ]);
        expect(rest).toContain('g@example.com');
        expect(rest).not.toContain('a@example.com');
      });

      it('ends at once for an empty list', async () => {
        const { store, list } = await fresh();
        const page = await store.pageSubscribed(list, undefined, 10);
        expect(page.subscribers).toEqual([]);
        expect(page.next).toBeUndefined();
      });
    });

    describe('members', () => {
      it('keeps id and creation time on update, and finds the member by id', async () => {
        const { store, list } = await fresh();
        const first = await add(store, list, 'ada@example.com');
        const again = await store.upsert({ list, email: 'ada@example.com', firstName: 'Ada', status: 'subscribed' }, LATER);
        expect(again).toMatchObject({ id: first.id, createdAt: AT, updatedAt: LATER, firstName: 'Ada' });
        expect(await store.getById(list, first.id)).toMatchObject({ email: 'ada@example.com', firstName: 'Ada' });
        expect(await store.getById(list, 'no-such-id')).toBeUndefined();
      });

      it('matches addresses case-insensitively, keeping the address as first written', async () => {
        const { store, list } = await fresh();
        const first = await add(store, list, 'Ada.Lovelace@example.com');
        const again = await add(store, list, 'ada.lovelace@EXAMPLE.com');
        expect(again.id).toBe(first.id);
        expect((await store.get(list, 'ADA.LOVELACE@example.com'))?.email).toBe('Ada.Lovelace@example.com');
        const statuses = await store.statuses(list, ['ada.lovelace@example.com', 'nobody@example.com']);
        expect(statuses).toEqual(new Map([['ada.lovelace@example.com', 'subscribed']]));
      });

      it('changes a status, and refuses to change one of nobody', async () => {
        const { store, list } = await fresh();
        await add(store, list, 'ada@example.com');
        expect(await store.setStatus(list, 'ada@example.com', 'unsubscribed', LATER)).toBe(true);
        expect(await store.get(list, 'ada@example.com')).toMatchObject({ status: 'unsubscribed', updatedAt: LATER });
        expect(await store.setStatus(list, 'nobody@example.com', 'unsubscribed', LATER)).toBe(false);
        expect(await store.get(list, 'nobody@example.com')).toBeUndefined();
        expect((await allPages(store, list, 10)).flat()).toEqual([]);
      });
    });

    describe('under contention', () => {
      it('makes one member, with one id, of many concurrent upserts of one address', async () => {
        const { store, list } = await fresh();
        const written = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.upsert({ list, email: i % 2 ? 'ada@example.com' : 'ADA@example.com', status: 'subscribed' }, AT),
          ),
        );
        const ids = new Set(written.map((s) => s.id));
        expect(ids.size).toBe(1);
        expect((await allPages(store, list, 10)).flat().map((s) => s.id)).toEqual([...ids]);
      });

      it('keeps every one of many concurrent upserts of different addresses', async () => {
        const { store, list } = await fresh();
        const emails = Array.from({ length: 30 }, (_, i) => `reader-${i}@example.com`);
        await Promise.all(emails.map((email) => add(store, list, email)));
        expect(
          (await allPages(store, list, 7))
            .flat()
            .map((s) => s.email)
            .sort(),
        ).toEqual([...emails].sort());
      });
    });
  });
}
