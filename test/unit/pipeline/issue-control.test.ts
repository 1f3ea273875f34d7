import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { sendGate } from '../../../src/feedback/send-gate.js';
import { cancelIssue, IssueControlError, pauseIssue, resumeIssue } from '../../../src/pipeline/issue-control.js';
import { FakeClock, testLists } from '../../support/fakes.js';

const ISSUE = { list: 'weekly', id: 'i1' };
const TRIP = { at: '2026-03-02T08:30:00.000Z', reason: 'bounce rate 8 % (20 of 250 sent) passed the limit of 5 %' };

async function world(options: { sent?: number; bounced?: number; held?: number; tripped?: boolean } = {}) {
  const ledger = new MemoryLedger();
  const clock = new FakeClock();
  await ledger.claimIssue(ISSUE, {
    renderedKey: 'rendered/weekly/i1/issue.json',
    source: 'briefs/monday.json',
    at: '2026-03-02T08:00:00Z',
  });
  await ledger.markPagePlanned(ISSUE, 0, 300, undefined);
  await ledger.addCounts(ISSUE, { sent: options.sent ?? 0 });
  await ledger.addFeedbackCounts(ISSUE, { bounced: options.bounced ?? 0, held: options.held ?? 0 });
  if (options.tripped) await ledger.tripBreaker(ISSUE, TRIP);
  const deps = { ledger, feedback: ledger, clock };
  return { ledger, clock, deps, gate: { ledger, feedback: ledger, lists: testLists, clock, breaker: DEFAULT_BREAKER_POLICY } };
}

async function refusal(promise: Promise<unknown>): Promise<IssueControlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IssueControlError);
  return error as IssueControlError;
}

describe('pauseIssue', () => {
  it('sets a manual pause with no end, with the reason given or who paused it', async () => {
    const { ledger, deps } = await world();
    const result = await pauseIssue(deps, ISSUE, { reason: 'checking a broken link' });
    expect(result.pause).toEqual({ kind: 'manual', reason: 'checking a broken link', at: '2026-03-02T09:00:00.000Z' });
    expect((await ledger.getIssue(ISSUE))?.pause).toEqual(result.pause);
    expect((await pauseIssue(deps, ISSUE, { by: 'ana' })).pause.reason).toBe('paused by hand by ana');
  });

  it('replaces a quota pause with a manual one (it waits for a person, not the clock), and says what it replaced', async () => {
    const { ledger, deps } = await world();
    const quota = { kind: 'quota' as const, reason: 'daily quota used up', at: '2026-03-02T08:50:00Z', until: '2026-03-02T09:05:00Z' };
    await ledger.setIssuePause(ISSUE, quota);
    const result = await pauseIssue(deps, ISSUE);
    expect(result.previous).toEqual(quota);
    const pause = (await ledger.getIssue(ISSUE))?.pause;
    expect([pause?.kind, pause?.until]).toEqual(['manual', undefined]);
  });

  it('refuses an issue that does not exist or was cancelled, naming it', async () => {
    const { deps } = await world();
    const unknown = await refusal(pauseIssue(deps, { list: 'weekly', id: 'nope' }));
    expect([unknown.refusal, unknown.message]).toEqual(['unknown-issue', expect.stringContaining('issue weekly/nope does not exist')]);
    await cancelIssue(deps, ISSUE);
    const cancelled = await refusal(pauseIssue(deps, ISSUE));
    expect([cancelled.refusal, cancelled.message]).toEqual([
      'cancelled',
      expect.stringMatching(/^issue weekly\/i1 was cancelled at .*cannot be paused/),
    ]);
  });
});

describe('resumeIssue', () => {
  it.each(['manual', 'quota', 'account'] as const)('clears a %s pause; no re-plan is needed', async (kind) => {
    const { ledger, deps } = await world();
    await ledger.setIssuePause(ISSUE, { kind, reason: 'r', at: '2026-03-02T08:50:00Z' });
    const result = await resumeIssue(deps, ISSUE);
    expect(result).toMatchObject({ resumed: true, cleared: { kind }, replan: false, source: 'briefs/monday.json' });
    expect((await ledger.getIssue(ISSUE))?.pause).toBeUndefined();
  });

  it('does nothing for an issue neither paused nor held', async () => {
    const { deps } = await world();
    expect(await resumeIssue(deps, ISSUE)).toMatchObject({ resumed: false, replan: false });
  });

  it('refuses a breaker-held issue without overrideBreaker, changing nothing (its pause stays)', async () => {
    const { ledger, deps } = await world({ sent: 250, bounced: 20, held: 50, tripped: true });
    await pauseIssue(deps, ISSUE);
    const error = await refusal(resumeIssue(deps, ISSUE));
    expect(error.refusal).toBe('breaker-held');
    expect(error.trip).toEqual(TRIP);
    expect(error.message).toContain('issue weekly/i1 is held by its circuit breaker, tripped at 2026-03-02T08:30:00.000Z: bounce rate 8 %');
    expect((await ledger.getIssue(ISSUE))?.pause).toBeDefined();
    expect((await ledger.issueHealth(ISSUE)).breaker).toEqual(TRIP);
  });

  it('with overrideBreaker clears the breaker, records who, when, the trip and the counts, and asks for a re-plan', async () => {
    const { ledger, deps } = await world({ sent: 250, bounced: 20, held: 50, tripped: true });
    const result = await resumeIssue(deps, ISSUE, { overrideBreaker: true, by: 'ana' });
    const override = { at: '2026-03-02T09:00:00.000Z', by: 'ana', previous: TRIP, baseline: { sent: 250, bounced: 20, complained: 0 } };
    expect(result).toMatchObject({ resumed: true, replan: true, override });
    const health = await ledger.issueHealth(ISSUE);
    expect(health.breaker).toBeUndefined();
    expect(health.overrides).toEqual([override]);
    expect(health.counts).toMatchObject({ bounced: 20, held: 50 });
  });

  it('after an override the breaker judges only what comes after: the same counts do not trip it, new bounces past the limit do', async () => {
    const { ledger, deps, gate } = await world({ sent: 250, bounced: 20, tripped: true });
    await resumeIssue(deps, ISSUE, { overrideBreaker: true });
    expect(await sendGate(gate, ISSUE)).toEqual({ open: true });
    // 150 more sent, 30 more bounces: under the minimum sample of 200 since the override, so not judged yet.
    await ledger.addCounts(ISSUE, { sent: 150 });
    await ledger.addFeedbackCounts(ISSUE, { bounced: 30 });
    expect(await sendGate(gate, ISSUE)).toEqual({ open: true });
    // 200 sent since, 30 bounced: 15 % of what came after.
    await ledger.addCounts(ISSUE, { sent: 50 });
    expect(await sendGate(gate, ISSUE)).toEqual({
      open: false,
      trippedNow: true,
      reason: 'bounce rate 15 % (30 of 200 sent) passed the limit of 5 %',
    });
    // Tripped again, it needs a second override; both are kept, and the second judges from its own counts.
    await refusal(resumeIssue(deps, ISSUE));
    await resumeIssue(deps, ISSUE, { overrideBreaker: true });
    const health = await ledger.issueHealth(ISSUE);
    expect(health.overrides?.map((o) => o.baseline)).toEqual([
      { sent: 250, bounced: 20, complained: 0 },
      { sent: 450, bounced: 50, complained: 0 },
    ]);
    expect(await sendGate(gate, ISSUE)).toEqual({ open: true });
  });

  it('refuses when the breaker changed between the read and the override (someone else overrode it)', async () => {
    const { ledger, deps } = await world({ sent: 250, bounced: 20, tripped: true });
    const stale = { ...deps, feedback: { issueHealth: () => ledger.issueHealth(ISSUE), overrideBreaker: async () => false } };
    expect((await refusal(resumeIssue(stale, ISSUE, { overrideBreaker: true }))).refusal).toBe('breaker-changed');
  });

  it('refuses a cancelled issue: cancel is final', async () => {
    const { ledger, deps } = await world({ tripped: true });
    await ledger.setIssuePause(ISSUE, { kind: 'manual', reason: 'r', at: '2026-03-02T08:50:00Z' });
    await cancelIssue(deps, ISSUE);
    const error = await refusal(resumeIssue(deps, ISSUE, { overrideBreaker: true }));
    expect([error.refusal, error.message]).toEqual(['cancelled', expect.stringContaining('cannot be resumed')]);
    expect((await ledger.issueHealth(ISSUE)).breaker).toEqual(TRIP);
  });
});

describe('cancelIssue', () => {
  it('marks the issue cancelled once; again changes nothing and keeps the first time', async () => {
    const { ledger, clock, deps } = await world();
    expect(await cancelIssue(deps, ISSUE)).toEqual({ issue: ISSUE, cancelledAt: '2026-03-02T09:00:00.000Z', already: false });
    clock.ms += 60_000;
    expect(await cancelIssue(deps, ISSUE)).toEqual({ issue: ISSUE, cancelledAt: '2026-03-02T09:00:00.000Z', already: true });
    expect((await ledger.getIssue(ISSUE))?.cancelledAt).toBe('2026-03-02T09:00:00.000Z');
  });

  it('refuses an issue that never started, naming it', async () => {
    const { deps } = await world();
    const error = await refusal(cancelIssue(deps, { list: 'weekly', id: 'later' }));
    expect(error.message).toContain('issue weekly/later does not exist');
  });
});
