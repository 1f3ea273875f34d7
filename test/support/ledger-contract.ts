/**
 * The Ledger contract, one suite for every ledger: the in-memory one, local mode's database and DynamoDB.
 * Each ledger is run by a test file of its folder (unit for the in-process ones, integration for DynamoDB
 * against moto). Every test works on its own issue, so that one table can serve the whole suite.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeliveryLease, IssueRef } from '../../src/model.js';
import type { Ledger } from '../../src/ports.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const LEASE_MS = 60_000;
const CLAIM = { renderedKey: 'rendered/weekly/x/issue.json', source: 'briefs/x.json', at: '2026-03-02T09:00:00.000Z' };

/** A lease of `holder` taken at `nowMs`, running for a minute. */
function lease(holder: string, nowMs = T0): DeliveryLease {
  return { at: new Date(nowMs).toISOString(), nowMs, holder, until: nowMs + LEASE_MS };
}

/** Runs the contract against the ledgers `open` gives (a fresh one per test, or one shared: issues never repeat). */
export function describeLedgerContract(name: string, open: () => Ledger | Promise<Ledger>): void {
  describe(`${name} keeps the Ledger contract`, () => {
    const fresh = async (): Promise<{ ledger: Ledger; issue: IssueRef }> => {
      const ledger = await open();
      const issue = { list: 'weekly', id: `contract-${randomUUID().slice(0, 8)}` };
      return { ledger, issue };
    };
    const started = async () => {
      const world = await fresh();
      expect(await world.ledger.claimIssue(world.issue, CLAIM)).toBe(true);
      return world;
    };

    describe('issues', () => {
      it('claims an issue once, and again only after the claim is released', async () => {
        const { ledger, issue } = await fresh();
        expect(await ledger.getIssue(issue)).toBeUndefined();
        expect(await ledger.claimIssue(issue, CLAIM)).toBe(true);
        expect(await ledger.claimIssue(issue, { ...CLAIM, source: 'briefs/other.json' })).toBe(false);
        expect(await ledger.getIssue(issue)).toMatchObject({
          ...issue,
          renderedKey: CLAIM.renderedKey,
          source: CLAIM.source,
          claimedAt: CLAIM.at,
          plannedPage: -1,
          planComplete: false,
          counts: { planned: 0, sent: 0, failed: 0, unknown: 0 },
        });
        await ledger.releaseIssue(issue);
        expect(await ledger.getIssue(issue)).toBeUndefined();
        expect(await ledger.claimIssue(issue, CLAIM)).toBe(true);
      });

      it('gives an issue to exactly one of many concurrent claimants', async () => {
        const { ledger, issue } = await fresh();
        const claims = await Promise.all(
          Array.from({ length: 10 }, (_, i) => ledger.claimIssue(issue, { ...CLAIM, source: `briefs/${i}.json` })),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      });

      it('marks plan pages in order and once each, adding the planned count and keeping the cursor', async () => {
        const { ledger, issue } = await started();
        expect(await ledger.markPagePlanned(issue, 1, 50, 'c2')).toBe(false);
        expect(await ledger.markPagePlanned(issue, 0, 50, 'c1')).toBe(true);
        expect(await ledger.markPagePlanned(issue, 0, 50, 'c1')).toBe(false);
        expect(await ledger.getIssue(issue)).toMatchObject({
          plannedPage: 0,
          nextCursor: 'c1',
          planComplete: false,
          counts: { planned: 50 },
        });
        expect(await ledger.markPagePlanned(issue, 1, 20, undefined)).toBe(true);
        const record = await ledger.getIssue(issue);
        expect(record).toMatchObject({ plannedPage: 1, planComplete: true, counts: { planned: 70 } });
        expect(record?.nextCursor).toBeUndefined();
      });

      it('adds to counts', async () => {
        const { ledger, issue } = await started();
        await ledger.addCounts(issue, { planned: 3 });
        await ledger.addCounts(issue, { planned: 2, failed: 1 });
        expect((await ledger.getIssue(issue))?.counts).toEqual({ planned: 5, sent: 0, failed: 1, unknown: 0 });
      });

      it('pauses and resumes an issue', async () => {
        const { ledger, issue } = await started();
        const pause = {
          kind: 'quota' as const,
          reason: 'daily quota used up',
          at: '2026-03-02T10:00:00.000Z',
          until: '2026-03-03T10:00:00.000Z',
        };
        await ledger.setIssuePause(issue, pause);
        expect((await ledger.getIssue(issue))?.pause).toEqual(pause);
        await ledger.setIssuePause(issue, undefined);
        expect((await ledger.getIssue(issue))?.pause).toBeUndefined();
      });

      it('cancels an issue, keeping the first time, and refuses to cancel one it does not know', async () => {
        const { ledger, issue } = await started();
        expect(await ledger.cancelIssue(issue, '2026-03-02T10:00:00.000Z')).toBe(true);
        expect(await ledger.cancelIssue(issue, '2026-03-02T11:00:00.000Z')).toBe(true);
        expect((await ledger.getIssue(issue))?.cancelledAt).toBe('2026-03-02T10:00:00.000Z');
        expect(await ledger.cancelIssue({ list: 'weekly', id: `never-${randomUUID().slice(0, 8)}` }, '2026-03-02T10:00:00.000Z')).toBe(
          false,
        );
      });
    });

    describe('deliveries', () => {
      it('claims a delivery once: another claimant is busy while the lease lives', async () => {
        const { ledger, issue } = await started();
        expect(await ledger.claimDelivery(issue, 's1', lease('worker-a'))).toEqual({ state: 'claimed', attempt: 1 });
        const busy = await ledger.claimDelivery(issue, 's1', lease('worker-b', T0 + 1_000));
        expect(busy.state).toBe('busy');
        if (busy.state === 'busy') expect(busy.retryAt).toBeGreaterThan(T0 + 1_000);
        if (busy.state === 'busy') expect(busy.retryAt).toBeLessThanOrEqual(T0 + LEASE_MS);
        expect(await ledger.deliveryStates(issue, ['s1', 's2'])).toEqual(new Map([['s1', 'claimed']]));
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 0, failed: 0, unknown: 0 });
      });

      it('hands a claim whose lease passed to the next claimant, as a re-send', async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's1', lease('worker-a'));
        expect(await ledger.claimDelivery(issue, 's1', lease('worker-b', T0 + LEASE_MS + 1))).toEqual({ state: 'claimed', attempt: 2 });
      });

      it('completes forward only, counting each delivery once', async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's1', lease('worker-a'));
        expect(await ledger.completeDelivery(issue, 's1', { status: 'sent', messageId: 'm-1' }, '2026-03-02T09:00:01.000Z')).toBe(true);
        expect(await ledger.completeDelivery(issue, 's1', { status: 'failed', reason: 'late' }, '2026-03-02T09:00:02.000Z')).toBe(false);
        expect(await ledger.completeDelivery(issue, 's1', { status: 'sent', messageId: 'm-2' }, '2026-03-02T09:00:02.000Z')).toBe(false);
        expect(await ledger.claimDelivery(issue, 's1', lease('worker-b', T0 + 10 * LEASE_MS))).toEqual({ state: 'done' });
        expect(await ledger.deliveryStates(issue, ['s1'])).toEqual(new Map([['s1', 'sent']]));
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 1, failed: 0, unknown: 0 });
      });

      it('never completes a delivery nobody claimed', async () => {
        const { ledger, issue } = await started();
        expect(await ledger.completeDelivery(issue, 's9', { status: 'sent', messageId: 'm-9' }, '2026-03-02T09:00:01.000Z')).toBe(false);
        expect(await ledger.deliveryStates(issue, ['s9'])).toEqual(new Map());
      });

      it('counts failures apart from sends', async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's1', lease('worker-a'));
        await ledger.claimDelivery(issue, 's2', lease('worker-a'));
        await ledger.completeDelivery(issue, 's1', { status: 'failed', reason: 'address rejected' }, '2026-03-02T09:00:01.000Z');
        await ledger.completeDelivery(issue, 's2', { status: 'sent', messageId: 'm-2' }, '2026-03-02T09:00:01.000Z');
        expect(await ledger.deliveryStates(issue, ['s1', 's2'])).toEqual(
          new Map([
            ['s1', 'failed'],
            ['s2', 'sent'],
          ]),
        );
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 1, failed: 1, unknown: 0 });
      });

      it("holds an unknown outcome until its grace period ends; SES's Send event settles it as sent", async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's1', lease('worker-a'));
        const retryAt = T0 + 5 * LEASE_MS;
        expect(
          await ledger.completeDelivery(issue, 's1', { status: 'unknown', reason: 'reset', retryAt }, '2026-03-02T09:00:01.000Z'),
        ).toBe(true);
        expect(
          await ledger.completeDelivery(
            issue,
            's1',
            { status: 'unknown', reason: 'again', retryAt: retryAt + 1 },
            '2026-03-02T09:00:02.000Z',
          ),
        ).toBe(false);
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 0, unknown: 1 });
        expect(await ledger.claimDelivery(issue, 's1', lease('worker-b', T0 + LEASE_MS + 1))).toEqual({ state: 'busy', retryAt });
        expect(await ledger.completeDelivery(issue, 's1', { status: 'sent', messageId: 'm-1' }, '2026-03-02T09:00:03.000Z')).toBe(true);
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 1, unknown: 0 });
      });

      it('re-sends an unknown outcome once its grace period passed without a Send event', async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's1', lease('worker-a'));
        const retryAt = T0 + 5 * LEASE_MS;
        await ledger.completeDelivery(issue, 's1', { status: 'unknown', reason: 'timeout', retryAt }, '2026-03-02T09:00:01.000Z');
        expect(await ledger.claimDelivery(issue, 's1', lease('worker-b', retryAt + 1))).toEqual({ state: 'claimed', attempt: 2 });
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 0, unknown: 0 });
        expect(await ledger.completeDelivery(issue, 's1', { status: 'sent', messageId: 'm-1' }, '2026-03-02T09:06:00.000Z')).toBe(true);
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 1, unknown: 0 });
      });

      it('releases a live claim so that it is claimed afresh, but never an ended delivery', async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's1', lease('worker-a'));
        await ledger.releaseDelivery(issue, 's1');
        expect(await ledger.deliveryStates(issue, ['s1'])).toEqual(new Map());
        expect(await ledger.claimDelivery(issue, 's1', lease('worker-b', T0 + 1))).toEqual({ state: 'claimed', attempt: 1 });
        await ledger.completeDelivery(issue, 's1', { status: 'sent', messageId: 'm-1' }, '2026-03-02T09:00:01.000Z');
        await ledger.releaseDelivery(issue, 's1');
        expect(await ledger.deliveryStates(issue, ['s1'])).toEqual(new Map([['s1', 'sent']]));
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 1 });
      });

      it('gives a delivery to exactly one of many concurrent claimants, and counts a concurrent completion once', async () => {
        const { ledger, issue } = await started();
        const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => ledger.claimDelivery(issue, 's1', lease(`worker-${i}`))));
        expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
        const completions = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            ledger.completeDelivery(issue, 's1', { status: 'sent', messageId: `m-${i}` }, '2026-03-02T09:00:01.000Z'),
          ),
        );
        expect(completions.filter(Boolean)).toHaveLength(1);
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 1 });
      });

      it('claims several deliveries in one call, each as claimDelivery would', async () => {
        const { ledger, issue } = await started();
        await ledger.claimDelivery(issue, 's2', lease('worker-a'));
        await ledger.claimDelivery(issue, 's4', lease('worker-a'));
        await ledger.completeDelivery(issue, 's4', { status: 'sent', messageId: 'm-4' }, '2026-03-02T09:00:01.000Z');
        const claims = await ledger.claimDeliveries(issue, ['s1', 's2', 's3', 's4', 's1'], lease('worker-b', T0 + 1_000));
        expect(claims.map((c) => c.state)).toEqual(['claimed', 'busy', 'claimed', 'done', 'busy']);
        expect(claims[0]).toEqual({ state: 'claimed', attempt: 1 });
        expect(await ledger.deliveryStates(issue, ['s1', 's2', 's3', 's4'])).toEqual(
          new Map([
            ['s1', 'claimed'],
            ['s2', 'claimed'],
            ['s3', 'claimed'],
            ['s4', 'sent'],
          ]),
        );
        // A lease that passed is a re-send, in a group as alone.
        const later = await ledger.claimDeliveries(issue, ['s2', 's5'], lease('worker-c', T0 + LEASE_MS + 1));
        expect(later).toEqual([
          { state: 'claimed', attempt: 2 },
          { state: 'claimed', attempt: 1 },
        ]);
        expect(await ledger.claimDeliveries(issue, [], lease('worker-c'))).toEqual([]);
      });

      it('gives each delivery to exactly one of many concurrent group claimants', async () => {
        const { ledger, issue } = await started();
        const ids = Array.from({ length: 12 }, (_, i) => `s${i}`);
        const groups = await Promise.all(
          Array.from({ length: 4 }, (_, w) =>
            ledger.claimDeliveries(
              issue,
              ids.filter((_, i) => (i + w) % 2 === 0 || i % 4 === w),
              lease(`worker-${w}`),
            ),
          ),
        );
        const winners = new Map<string, number>();
        for (const [w, claims] of groups.entries()) {
          const asked = ids.filter((_, i) => (i + w) % 2 === 0 || i % 4 === w);
          for (const [k, id] of asked.entries()) if (claims[k]?.state === 'claimed') winners.set(id, (winners.get(id) ?? 0) + 1);
        }
        expect([...winners.values()].every((n) => n === 1)).toBe(true);
        expect(winners.size).toBe(ids.length);
      });

      it('completes several deliveries in one call, each as completeDelivery would, counting each once', async () => {
        const { ledger, issue } = await started();
        for (const id of ['s1', 's2', 's3', 's5']) await ledger.claimDelivery(issue, id, lease('worker-a'));
        // SES's Send event settled s3 first; s4 was never claimed; s5 is unknown.
        await ledger.completeDelivery(issue, 's3', { status: 'sent', messageId: 'm-3' }, '2026-03-02T09:00:01.000Z');
        await ledger.completeDelivery(
          issue,
          's5',
          { status: 'unknown', reason: 'reset', retryAt: T0 + LEASE_MS },
          '2026-03-02T09:00:01.000Z',
        );
        const at = '2026-03-02T09:00:02.000Z';
        const answers = await ledger.completeDeliveries(issue, [
          { subscriberId: 's1', outcome: { status: 'sent', messageId: 'm-1' }, at },
          { subscriberId: 's2', outcome: { status: 'failed', reason: 'address rejected' }, at },
          { subscriberId: 's3', outcome: { status: 'sent', messageId: 'm-3b' }, at },
          { subscriberId: 's4', outcome: { status: 'sent', messageId: 'm-4' }, at },
          { subscriberId: 's5', outcome: { status: 'sent', messageId: 'm-5' }, at },
          { subscriberId: 's1', outcome: { status: 'sent', messageId: 'm-1b' }, at },
        ]);
        expect(answers).toEqual([true, true, false, false, true, false]);
        expect(await ledger.deliveryStates(issue, ['s1', 's2', 's3', 's4', 's5'])).toEqual(
          new Map([
            ['s1', 'sent'],
            ['s2', 'failed'],
            ['s3', 'sent'],
            ['s5', 'sent'],
          ]),
        );
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 3, failed: 1, unknown: 0 });
        expect(await ledger.completeDeliveries(issue, [])).toEqual([]);
      });

      it('counts a group of completions racing single ones once each', async () => {
        const { ledger, issue } = await started();
        const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
        await ledger.claimDeliveries(issue, ids, lease('worker-a'));
        const at = '2026-03-02T09:00:02.000Z';
        const [together, ...alone] = await Promise.all([
          ledger.completeDeliveries(
            issue,
            ids.map((id) => ({ subscriberId: id, outcome: { status: 'sent', messageId: `m-${id}` }, at })),
          ),
          ...ids
            .filter((_, i) => i % 3 === 0)
            .map((id) => ledger.completeDelivery(issue, id, { status: 'sent', messageId: `event-${id}` }, at)),
        ]);
        const written = (together as readonly boolean[]).filter(Boolean).length + (alone as boolean[]).filter(Boolean).length;
        expect(written).toBe(ids.length);
        expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: ids.length });
      });

      it('keeps deliveries of different issues apart', async () => {
        const a = await started();
        const b = { list: a.issue.list, id: `${a.issue.id}-b` };
        expect(await a.ledger.claimIssue(b, CLAIM)).toBe(true);
        await a.ledger.claimDelivery(a.issue, 's1', lease('worker-a'));
        await a.ledger.completeDelivery(a.issue, 's1', { status: 'sent', messageId: 'm-1' }, '2026-03-02T09:00:01.000Z');
        expect(await a.ledger.claimDelivery(b, 's1', lease('worker-a'))).toEqual({ state: 'claimed', attempt: 1 });
        expect((await a.ledger.getIssue(b))?.counts).toMatchObject({ sent: 0 });
      });
    });
  });
}
