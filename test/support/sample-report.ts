/**
 * A realistic issue sent to an audience ("tagged premium or vip, and country DE or AT"), as its report page
 * shows it: the README's picture (scripts/screenshot-report.ts) and the browser test draw the same page, so the
 * picture is of what the test checks. Built through the same functions the studio and `newsbrief report` use
 * (reportAudience, reportEngagement), with figures of a list of a few thousand readers two days after sending.
 */
import { DEFAULT_BREAKER_POLICY } from '../../src/config/breaker-policy.js';
import { ENGAGEMENT_HOURS } from '../../src/engagement/engagement-counters.js';
import { ZERO_FEEDBACK } from '../../src/feedback/feedback-counts.js';
import type { EngagementCounts } from '../../src/model.js';
import { issueReportHtml, reportEngagement } from '../../src/report/issue-report-html.js';
import { type IssueReport, reportAudience } from '../../src/report/issue-report.js';

/** Who the sample issue was for, as the brief wrote it. */
export const SAMPLE_AUDIENCE = { tags: ['premium', 'vip'], fields: { country: ['DE', 'AT'] } } as const;

/** Subscribed members who matched SAMPLE_AUDIENCE when the issue was planned. */
export const SAMPLE_MATCHED = 2_727;

const LINKS = [
  { position: 1, text: 'Read the analysis', url: 'https://example.com/fab-analysis', unique: 214 },
  { position: 2, text: 'the full filing', url: 'https://example.com/filing?id=7', unique: 93 },
  { position: 3, text: 'Port volumes, by month', url: 'https://example.com/ports', unique: 66 },
  { position: 4, text: 'The late train', url: 'https://example.com/train', unique: 27 },
  { position: 5, text: 'Manage your subscription', url: 'https://example.com/account', unique: 9 },
];

/** The sample issue's report document, as the ledger's counters make it. */
export function sampleIssueReport(): IssueReport {
  const sent = 2_718;
  const hourly = Array.from({ length: ENGAGEMENT_HOURS }, (_, hour) => ({
    hour,
    // Most opens in the first hours, a second wave the next morning (hours 14 to 17), clicks following the opens.
    opens: Math.round(560 * Math.exp(-hour / 5) + (hour >= 14 && hour < 18 ? 45 : 0)),
    clicks: Math.round(160 * Math.exp(-hour / 4) + (hour >= 14 && hour < 18 ? 8 : 0)),
  }));
  const engagement: EngagementCounts = {
    tracking: { opens: true, clicks: true },
    opens: { total: 2_305, unique: 1_402 },
    clicks: { total: 611, unique: 389 },
    machineOpens: { total: 517, unique: 455 },
    machineClicks: { total: 84, unique: 17 },
    links: LINKS.map((l) => ({
      position: l.position,
      text: l.text,
      url: l.url,
      total: Math.round(l.unique * 1.4),
      unique: l.unique,
      machine: 17,
    })),
    hourly,
    later: { opens: 61, clicks: 9 },
  };
  return {
    format: 'newsbrief/issue-report@1',
    list: 'weekly',
    id: '2026-03-02',
    generatedAt: '2026-03-04T09:00:00.000Z',
    planComplete: true,
    audience: reportAudience({ tags: [...SAMPLE_AUDIENCE.tags], fields: { country: [...SAMPLE_AUDIENCE.fields.country] } }, SAMPLE_MATCHED),
    counts: {
      planned: SAMPLE_MATCHED,
      sent,
      failed: 0,
      unknown: 0,
      ...ZERO_FEEDBACK,
      suppressed: 9,
      delivered: 2_694,
      bounced: 16,
      softBounced: 8,
      complained: 1,
      unsubscribed: 5,
    },
    rates: { bounce: 16 / sent, complaint: 1 / sent },
    breaker: { policy: DEFAULT_BREAKER_POLICY },
    engagement,
  };
}

/** The sample issue's report page, as the studio serves it at /reports/weekly/2026-03-02. */
export function sampleIssueReportHtml(): string {
  const report = sampleIssueReport();
  return issueReportHtml(report, {
    listName: 'The Weekly Brief',
    subject: 'The week in three stories',
    topLinks: 5,
    engagement: reportEngagement(report),
  });
}
