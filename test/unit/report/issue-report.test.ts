import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemoryBlobStore } from '../../../src/adapters/memory/memory-stores.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { formatIssueReport, publishIssueReport, readIssueReport } from '../../../src/report/issue-report.js';
import { issueReportHtml } from '../../../src/report/issue-report-html.js';
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

describe('issue report: who the issue was for', () => {
  const RENDERED = 'rendered/weekly/2026-03-02/issue.json';

  /** A ledger with 2,727 planned and a rendered issue saying `rendered` (absent: no rendered issue). */
  async function reportOf(rendered: object | undefined) {
    const ledger = new MemoryLedger();
    const blobs = new MemoryBlobStore();
    await ledger.claimIssue(ISSUE, { renderedKey: RENDERED, source: 'briefs/x.json', at: '2026-03-02T08:00:00Z' });
    await ledger.markPagePlanned(ISSUE, 0, 2727, undefined);
    await ledger.addCounts(ISSUE, { sent: 2720 });
    if (rendered) await blobs.put(RENDERED, JSON.stringify({ subject: 'Hi', html: '<p>x</p>', ...rendered }), 'application/json');
    return (await readIssueReport(
      { ledger, feedback: ledger, blobs, lists: testLists, clock: new FakeClock(), breaker: DEFAULT_BREAKER_POLICY },
      ISSUE,
    ))!;
  }

  it('names the audience in words and calls the planned count "matched", in the document, the terminal and the page', async () => {
    const report = await reportOf({ audience: { tags: ['premium', 'vip'], fields: { country: ['DE', 'AT'] } } });

    expect(report.audience).toEqual({
      wholeList: false,
      description: 'tagged premium or vip, and country DE or AT',
      matched: 2727,
      audience: { tags: ['premium', 'vip'], fields: { country: ['DE', 'AT'] } },
    });
    expect(report.counts.planned).toBe(2727);
    const text = formatIssueReport(report);
    expect(text).toContain('  audience: tagged premium or vip, and country DE or AT — 2,727 matched');
    expect(text).toContain('  matched 2727  sent 2720');
    expect(text).not.toContain('planned');
    const page = issueReportHtml(report);
    expect(page).toContain('Audience: <strong>tagged premium or vip, and country DE or AT</strong> — 2,727 matched');
    expect(page).toContain('aria-label="Funnel: Matched 2,727; Sent 2,720');
  });

  it('says "whole list" for an issue without an audience', async () => {
    const report = await reportOf({});
    expect(report.audience).toEqual({ wholeList: true, description: 'whole list', matched: 2727 });
    expect(formatIssueReport(report)).toContain('  audience: whole list — 2,727 matched');
    expect(issueReportHtml(report)).toContain('Audience: <strong>whole list</strong> — 2,727 matched');
  });

  it('escapes field values, which are editor text, on the page', async () => {
    const report = await reportOf({ audience: { fields: { city: ['<img src=x onerror=alert(1)>', 'A & "B"'] } } });
    const page = issueReportHtml(report);
    expect(page).not.toContain('<img');
    expect(page).toContain('Audience: <strong>city &lt;img src=x onerror=alert(1)&gt; or A &amp; &quot;B&quot;</strong>');
  });

  it('keeps the word "planned" and names no audience when the rendered issue cannot be read', async () => {
    for (const report of [await reportOf(undefined), await reportOf({ audience: { tags: 'premium' } })]) {
      expect(report.audience).toBeUndefined();
      expect(formatIssueReport(report)).toContain('  planned 2727  sent 2720');
      expect(issueReportHtml(report)).not.toContain('data-testid="audience"');
      expect(issueReportHtml(report)).toContain('aria-label="Funnel: Planned 2,727;');
    }
  });
});
