import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/adapters/local/local-store.js';
import type { BreakerOverride } from '../../../src/model.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };
const TRIP = { at: '2026-03-02T09:00:00Z', reason: 'bounce rate 8 % (20 of 250 sent) passed the limit of 5 %' };
const OVERRIDE: BreakerOverride = {
  at: '2026-03-02T10:00:00Z',
  by: 'ana',
  previous: TRIP,
  baseline: { sent: 250, bounced: 20, complained: 0 },
};

describe('LocalStore breaker override', () => {
  it('clears the breaker, keeps the override, and reads it back after a restart', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nb-override-'));
    const store = new LocalStore(state);
    await store.claimIssue(ISSUE, { renderedKey: 'r', source: 'briefs/x.json', at: '2026-03-02T08:00:00Z' });
    await store.addFeedbackCounts(ISSUE, { bounced: 20, held: 50 });
    await store.tripBreaker(ISSUE, TRIP);

    expect(await store.overrideBreaker(ISSUE, OVERRIDE)).toBe(true);
    // Another process (or a restart) reads the same health.
    const reopened = new LocalStore(state);
    const health = await reopened.issueHealth(ISSUE);
    expect(health).toEqual({ counts: expect.objectContaining({ bounced: 20, held: 50 }), overrides: [OVERRIDE] });
    expect(health.breaker).toBeUndefined();

    // Only the trip a person saw is overridden: none now, so a stale override changes nothing.
    expect(await reopened.overrideBreaker(ISSUE, OVERRIDE)).toBe(false);
    // The breaker can trip again; a second override is kept after the first.
    expect(await reopened.tripBreaker(ISSUE, { at: '2026-03-02T11:00:00Z', reason: 'again' })).toBe(true);
    expect(await store.overrideBreaker(ISSUE, OVERRIDE)).toBe(false);
    const second = { ...OVERRIDE, at: '2026-03-02T12:00:00Z', by: undefined, previous: { at: '2026-03-02T11:00:00Z', reason: 'again' } };
    expect(await store.overrideBreaker(ISSUE, second)).toBe(true);
    expect((await new LocalStore(state).issueHealth(ISSUE)).overrides?.map((o) => o.at)).toEqual([OVERRIDE.at, second.at]);
  });
});
