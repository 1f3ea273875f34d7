import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemoryBlobStore } from '../../../src/adapters/memory/memory-stores.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { formatIssueReport, publishIssueReport } from '../../../src/report/issue-report.js';
import { issueReportKeyOf } from '../../../src/config/bucket-layout.js';
import { FakeClock, testLists } from '../../support/fakes.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };

describe('issue report', () => {
  it('adds the ledger counts and feedback, computes rates, and writes reports/<list>/<id>.json', async () => {
    const ledger = new MemoryLedger();
    const blobs = new MemoryBlobStore();
    await ledger.claimIssue(ISSUE, { renderedKey: 'r', source: 'briefs/x.json', at: '2026-03-02T08:00:00Z' });
    await ledger.markPagePlanned(ISSUE, 0, 400, undefined);
    await ledger.addCounts(ISSUE, { sent: 390, failed: 2 });
    await ledger.addFeedbackCounts(ISSUE, { suppressed: 8, delivered: 380, bounced: 4, complained: 1, softBounced: 3 });
    await ledger.tripBreaker(ISSUE, {
      at: '2026-03-02T09:00:00Z',
      reason: 'complaint rate 0.256 % (1 of 390 sent) passed the limit of 0.1 %',
    });

    const report = await publishIssueReport(
      { ledger, feedback: ledger, blobs, lists: testLists, clock: new FakeClock(), breaker: DEFAULT_BREAKER_POLICY },
      ISSUE,
    );

    expect(report).toMatchObject({
      format: 'newsbrief/issue-report@1',
      planComplete: true,
      counts: {
        planned: 400,
        sent: 390,
        failed: 2,
        unknown: 0,
        suppressed: 8,
        held: 0,
        delivered: 380,
        bounced: 4,
        softBounced: 3,
        complained: 1,
        rejected: 0,
      },
      rates: { bounce: 4 / 390, complaint: 1 / 390 },
      breaker: { policy: DEFAULT_BREAKER_POLICY, tripped: { at: '2026-03-02T09:00:00Z' } },
    });
    expect(issueReportKeyOf(ISSUE)).toBe('reports/weekly/2026-03-02.json');
    expect(JSON.parse(blobs.text('reports/weekly/2026-03-02.json')!)).toEqual(report);
    const text = formatIssueReport(report!);
    expect(text).toContain('planned 400  sent 390  failed 2  unknown 0  skipped (suppressed) 8');
    expect(text).toContain('PAUSED by the circuit breaker');
  });

  it('writes nothing for an issue the ledger does not know', async () => {
    const blobs = new MemoryBlobStore();
    const ledger = new MemoryLedger();
    expect(
      await publishIssueReport(
        { ledger, feedback: ledger, blobs, lists: testLists, clock: new FakeClock(), breaker: DEFAULT_BREAKER_POLICY },
        ISSUE,
      ),
    ).toBeUndefined();
    expect(blobs.objects.size).toBe(0);
  });
});
