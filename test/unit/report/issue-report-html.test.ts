import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { ZERO_FEEDBACK } from '../../../src/feedback/feedback-counts.js';
import type { IssueReport } from '../../../src/report/issue-report.js';
import { issueReportHtml, type ReportEngagement } from '../../../src/report/issue-report-html.js';
import { listReportHtml } from '../../../src/report/list-report-html.js';
import { escapeHtml } from '../../../src/render/escape.js';
import { REPORT_CSP } from '../../../src/report/report-document.js';

/** A report with the given counts over zeros. */
function reportWith(counts: Partial<IssueReport['counts']> = {}, extra: Partial<IssueReport> = {}): IssueReport {
  const all = { planned: 0, sent: 0, failed: 0, unknown: 0, ...ZERO_FEEDBACK, ...counts };
  return {
    format: 'newsbrief/issue-report@1',
    list: 'weekly',
    id: '2026-03-02',
    generatedAt: '2026-03-04T10:00:00.000Z',
    planComplete: true,
    counts: all,
    rates: { bounce: all.sent ? all.bounced / all.sent : 0, complaint: all.sent ? all.complained / all.sent : 0 },
    breaker: { policy: DEFAULT_BREAKER_POLICY },
    ...extra,
  };
}

/** The accessible names of the page's charts, by chart id. */
function chartNames(page: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of page.matchAll(/<svg role="img" aria-labelledby="[^"]+" aria-label="([^"]*)"[^>]*data-chart="([^"]+)"/g))
    out[m[2]!] = m[1]!;
  return out;
}

const BIG: ReportEngagement = {
  opened: 41_000,
  clicked: 12_345,
  machineOpened: 9_000,
  hourly: Array.from({ length: 60 }, (_, h) => ({ opens: h < 48 ? Math.round(4000 / (h + 1)) : 1, clicks: Math.round(1200 / (h + 1)) })),
  links: Array.from({ length: 25 }, (_, i) => ({
    position: `story ${i + 1}, link`,
    text: `Link ${i + 1}`,
    url: `https://example.org/${i}`,
    clicks: 1000 - i,
  })),
};

describe('issue report page', () => {
  it('escapes everything a report carries: ids, reasons, link texts and URLs', () => {
    const report = reportWith(
      { planned: 10, sent: 10 },
      {
        id: '<script>alert(1)</script>',
        breaker: { policy: DEFAULT_BREAKER_POLICY, tripped: { at: '2026-03-02T09:00:00Z', reason: '"><img src=x onerror=alert(2)>' } },
      },
    );
    const page = issueReportHtml(report, {
      subject: 'Hello </title><script>x()</script>',
      listName: 'A & B',
      engagement: { opened: 1, clicked: 1, links: [{ position: 'story 1', text: '<b>bold</b>', url: 'javascript:"x"', clicks: 1 }] },
    });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>bold');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('A &amp; B');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    // No external resource of any kind: the page works offline and under its strict CSP.
    expect(page).not.toMatch(/(src|href)="https?:/);
    expect(page).not.toMatch(/ style="/);
    expect(page).toContain(`content="${escapeHtml(REPORT_CSP.replace("; frame-ancestors 'none'", ''))}"`);
  });

  it('draws an issue with no events: zero bars, no division by zero, and says tracking is off', () => {
    const page = issueReportHtml(reportWith());
    expect(page).not.toMatch(/NaN|Infinity|undefined/);
    const names = chartNames(page);
    expect(Object.keys(names).sort()).toEqual(['bounces', 'breaker', 'dropped', 'funnel']);
    expect(names.funnel).toBe('Funnel: Planned 0; Sent 0; Delivered 0.');
    expect(page).toContain('tracking is off for this list');
    expect(page).not.toContain('data-chart="hourly"');
  });

  it("states the figures in the charts' accessible names", () => {
    const report = reportWith({ planned: 1000, sent: 998, delivered: 990, bounced: 5, softBounced: 2, complained: 1, unsubscribed: 3 });
    const names = chartNames(issueReportHtml(report, { engagement: { opened: 400, clicked: 120 } }));
    expect(names.funnel).toBe('Funnel: Planned 1,000; Sent 998 (99.8 %); Delivered 990 (99.2 %); Opened 400 (40.1 %); Clicked 120 (12 %).');
    expect(names.dropped).toBe('Left or went wrong: Bounced 5 (0.5 %); Complained 1 (0.1 %); Unsubscribed 3 (0.3 %).');
    expect(names.bounces).toContain('Permanent (hard) 5; Transient (soft) 2');
    expect(names.breaker).toBe('Circuit breaker not tripped: bounce rate 0.5 % (limit 5 %), complaint rate 0.1 % (limit 0.1 %).');
  });

  it('draws 100,000 events in the first 48 hours, and only the top ten links', () => {
    const report = reportWith({ planned: 100_000, sent: 100_000, delivered: 99_000, bounced: 1000, unsubscribed: 250 });
    const started = performance.now();
    const page = issueReportHtml(report, { engagement: BIG });
    const ms = performance.now() - started;
    const names = chartNames(page);
    expect(names.funnel).toContain('Planned 100,000; Sent 100,000 (100 %); Delivered 99,000 (99 %); Opened 41,000 (41 %)');
    expect(names.hourly).toMatch(
      /^Opens and clicks in the first 48 hours: [\d,]+ opens and [\d,]+ clicks; most opens in hour 0 \(4,000\)\.$/,
    );
    expect(names.links).toContain('story 1, link, Link 1: 1,000');
    expect(names.links).not.toContain('Link 11:');
    expect(page.match(/<tr><td>\d+–\d+ h<\/td>/g)).toHaveLength(48);
    expect(page).toContain('9,000 machine opens');
    expect(page.length).toBeLessThan(120_000);
    expect(ms).toBeLessThan(1000);
  });
});

describe('list report page', () => {
  it('compares open rate, click rate and unsubscribes per issue, linking each', () => {
    const a = reportWith({ sent: 100, delivered: 100, unsubscribed: 2 }, { id: 'a' });
    const b = reportWith({ sent: 200, delivered: 200, unsubscribed: 0 }, { id: 'b' });
    const page = listReportHtml({ id: 'weekly', name: 'The Weekly <Brief>' }, [
      { report: a, engagement: { opened: 50, clicked: 10 }, href: '/reports/weekly/a' },
      { report: b, href: '/reports/weekly/b' },
    ]);
    const names = chartNames(page);
    expect(names.opens).toBe('Open rate per issue: a: 50 %; b: tracking off.');
    expect(names.clicks).toBe('Click rate per issue: a: 10 %; b: tracking off.');
    expect(names.unsubscribes).toBe('Unsubscribes per issue: a: 2; b: 0.');
    expect(page).toContain('The Weekly &lt;Brief&gt;');
    expect(page).toContain('<a href="/reports/weekly/a">a</a>');
  });

  it('says so when a list has no issue yet', () => {
    expect(listReportHtml({ id: 'weekly' }, [])).toContain('No issue of this list was sent yet.');
  });
});
