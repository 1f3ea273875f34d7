import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { sendGate } from '../../../src/feedback/send-gate.js';
import { FakeClock, testLists } from '../../support/fakes.js';

const ISSUE = { list: 'weekly', id: 'i1' };

async function world(sent: number, feedback: { bounced?: number; complained?: number }) {
  const ledger = new MemoryLedger();
  await ledger.claimIssue(ISSUE, { renderedKey: 'r', source: 's', at: '2026-03-02T00:00:00Z' });
  await ledger.addCounts(ISSUE, { sent });
  await ledger.addFeedbackCounts(ISSUE, feedback);
  return { ledger, deps: { ledger, feedback: ledger, lists: testLists, clock: new FakeClock(), breaker: DEFAULT_BREAKER_POLICY } };
}

describe('sendGate', () => {
  it('stays open under the minimum sample and under the limits', async () => {
    expect(await sendGate((await world(150, { bounced: 30 })).deps, ISSUE)).toEqual({ open: true });
    expect(await sendGate((await world(1000, { bounced: 50, complained: 1 })).deps, ISSUE)).toEqual({ open: true });
  });

  it('trips once the complaint rate passes 0.1 %, and stays shut without tripping again', async () => {
    const { ledger, deps } = await world(1000, { complained: 2 });
    expect(await sendGate(deps, ISSUE)).toEqual({
      open: false,
      trippedNow: true,
      reason: 'complaint rate 0.2 % (2 of 1000 sent) passed the limit of 0.1 %',
    });
    expect(await sendGate(deps, ISSUE)).toMatchObject({ open: false, trippedNow: false });
    expect((await ledger.issueHealth(ISSUE)).breaker?.at).toBe('2026-03-02T09:00:00.000Z');
  });
});
