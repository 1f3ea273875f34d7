/**
 * The per-issue report ops read: who the issue was for and how many matched, what was sent, what SES said
 * afterwards, and whether the circuit breaker stopped the issue. Built from the ledger (pure), written to
 * `reports/<list>/<id>.json` in the bucket, printed by `newsbrief report`.
 */
import type { ListsConfig } from '../config/lists.js';
import { audienceInWords } from '../brief/audience.js';
import { breakerPolicyFor, feedbackRates, percent } from '../breaker/circuit-breaker.js';
import type { BreakerPolicy } from '../config/breaker-policy.js';
import { issueReportKeyOf } from '../config/bucket-layout.js';
import { ZERO_FEEDBACK } from '../feedback/feedback-counts.js';
import type { BlobStore, Clock, FeedbackLedger, Ledger } from '../ports.js';
import type {
  Audience,
  BreakerOverride,
  BreakerTrip,
  EngagementCounts,
  FeedbackCounts,
  IssueHealth,
  IssueRecord,
  IssueRef,
} from '../model.js';
import type { EngagementDeps } from '../engagement/count-engagement.js';
import { foldEngagement } from '../engagement/engagement-counters.js';
import { renderedAudience } from './rendered-audience.js';

/** Who the issue was for, as its rendered issue says; the ledger's `planned` is how many matched. */
export interface ReportAudience {
  /** True when the brief named no audience: every subscribed member of the list. */
  readonly wholeList: boolean;
  /** In words: "whole list", or "tagged premium or vip, and country DE or AT" (editor text: escape it to show it). */
  readonly description: string;
  /** Subscribed members who matched it when the issue was planned (the same number as `counts.planned`). */
  readonly matched: number;
  /** The brief's audience as written; absent for the whole list. */
  readonly audience?: Audience | undefined;
}

/** The report document (`format` versions its shape). */
export interface IssueReport {
  readonly format: 'newsbrief/issue-report@1';
  readonly list: string;
  readonly id: string;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly planComplete: boolean;
  /** Who the issue was for; absent when its rendered issue could not be read (then `planned` is not called "matched"). */
  readonly audience?: ReportAudience | undefined;
  readonly counts: IssueRecord['counts'] & FeedbackCounts;
  readonly rates: { readonly bounce: number; readonly complaint: number };
  readonly breaker: {
    readonly policy: BreakerPolicy;
    readonly tripped?: BreakerTrip | undefined;
    /** Every time a person resumed the issue past its breaker, oldest first. */
    readonly overrides?: readonly BreakerOverride[] | undefined;
  };
  /** Opens and clicks (see EngagementCounts in src/model.ts); absent when the list tracks neither. */
  readonly engagement?: EngagementCounts | undefined;
}

/** Builds the report from the ledger's records. */
export function buildIssueReport(
  record: IssueRecord,
  health: IssueHealth,
  policy: BreakerPolicy,
  generatedAt: string,
  engagement?: EngagementCounts,
  /** The rendered issue's audience (`{}`: the whole list); undefined when unknown. */
  meantFor?: { readonly audience?: Audience | undefined },
): IssueReport {
  const rates = feedbackRates(record.counts.sent, health.counts);
  return {
    format: 'newsbrief/issue-report@1',
    list: record.list,
    id: record.id,
    generatedAt,
    planComplete: record.planComplete,
    ...(meantFor ? { audience: reportAudience(meantFor.audience, record.counts.planned) } : {}),
    // Over zeros: a count stored before a counter existed (unsubscribed) reads as 0.
    counts: { ...record.counts, ...ZERO_FEEDBACK, ...health.counts },
    rates: { bounce: rates.bounceRate, complaint: rates.complaintRate },
    breaker: {
      policy,
      ...(health.breaker ? { tripped: health.breaker } : {}),
      ...(health.overrides?.length ? { overrides: health.overrides } : {}),
    },
    ...(engagement ? { engagement } : {}),
  };
}

/** Who an issue was for, in words, with how many matched. */
export function reportAudience(audience: Audience | undefined, matched: number): ReportAudience {
  return audience
    ? { wholeList: false, description: audienceInWords(audience), matched, audience }
    : { wholeList: true, description: 'whole list', matched };
}

/** What the report calls its first count: "matched" once it knows who the issue was for, else "planned". */
export function plannedLabel(report: Pick<IssueReport, 'audience'>): 'matched' | 'planned' {
  return report.audience ? 'matched' : 'planned';
}

/** The report as a few lines for a terminal. */
export function formatIssueReport(report: IssueReport): string {
  const c = report.counts;
  const lines = [
    `${report.list}/${report.id}${report.planComplete ? '' : ' (still planning)'}`,
    ...(report.audience ? [`  audience: ${report.audience.description} — ${report.audience.matched.toLocaleString('en-US')} matched`] : []),
    `  ${plannedLabel(report)} ${c.planned}  sent ${c.sent}  failed ${c.failed}  unknown ${c.unknown}  skipped (suppressed) ${c.suppressed}  held ${c.held}`,
    `  delivered ${c.delivered}  bounced ${c.bounced}  soft bounces ${c.softBounced}  complained ${c.complained}  rejected ${c.rejected}  unsubscribed ${c.unsubscribed}`,
    `  bounce rate ${percent(report.rates.bounce)} (limit ${percent(report.breaker.policy.maxBounceRate)})  complaint rate ${percent(report.rates.complaint)} (limit ${percent(report.breaker.policy.maxComplaintRate)})`,
    report.breaker.tripped
      ? `  PAUSED by the circuit breaker at ${report.breaker.tripped.at}: ${report.breaker.tripped.reason}`
      : '  circuit breaker: not tripped',
    ...(report.breaker.overrides ?? []).map(
      (o) =>
        `  resumed past the circuit breaker at ${o.at}${o.by ? ` by ${o.by}` : ''} (it had tripped at ${o.previous.at}: ${o.previous.reason}); since then it judges only what came after`,
    ),
    ...(report.engagement ? engagementLines(report.engagement, c.sent) : []),
  ];
  return lines.join('\n');
}

// Rates are of messages sent; machine events are shown apart and in no rate.
function engagementLines(e: EngagementCounts, sent: number): string[] {
  const rate = (n: number) => (sent > 0 ? ` (${percent(n / sent)})` : '');
  const lines = [
    e.tracking.opens
      ? `  opened by ${e.opens.unique}${rate(e.opens.unique)}  opens ${e.opens.total}  machine opens ${e.machineOpens.total} (by ${e.machineOpens.unique}, shown apart)`
      : '  opens: not tracked for this list',
    e.tracking.clicks
      ? `  clicked by ${e.clicks.unique}${rate(e.clicks.unique)}  clicks ${e.clicks.total}  machine clicks ${e.machineClicks.total} (by ${e.machineClicks.unique}, shown apart)`
      : '  clicks: not tracked for this list',
  ];
  if (e.tracking.clicks)
    for (const link of e.links.filter((l) => l.total + l.machine > 0).sort((a, b) => b.unique - a.unique || a.position - b.position))
      lines.push(
        `    #${link.position} ${link.text || '(no text)'} → ${link.url}: ${link.unique} readers, ${link.total} clicks, ${link.machine} machine`,
      );
  return lines;
}

/** What reading and publishing a report needs. */
export interface ReportDeps {
  readonly ledger: Pick<Ledger, 'getIssue'>;
  readonly feedback: Pick<FeedbackLedger, 'issueHealth'>;
  readonly lists: ListsConfig;
  readonly clock: Clock;
  /** The breaker limits before any list's overrides. */
  readonly breaker: BreakerPolicy;
  /** Where the rendered issues are (the report reads who an issue was for there); absent, the report cannot say. */
  readonly blobs?: Pick<BlobStore, 'get'> | undefined;
  /** The engagement counters and link maps; absent, the report has no engagement part. */
  readonly engagement?:
    | { readonly ledger: Pick<EngagementDeps['ledger'], 'engagementCounters'>; readonly links: EngagementDeps['links'] }
    | undefined;
}

/** Reads an issue's report from the ledger; undefined when the ledger does not know the issue. */
export async function readIssueReport(deps: ReportDeps, issue: IssueRef): Promise<IssueReport | undefined> {
  const [record, health] = await Promise.all([deps.ledger.getIssue(issue), deps.feedback.issueHealth(issue)]);
  if (!record) return undefined;
  const list = deps.lists.lists.get(issue.list);
  const tracking = { opens: list?.tracking?.opens === true, clicks: list?.tracking?.clicks === true };
  const engagement =
    deps.engagement && (tracking.opens || tracking.clicks)
      ? foldEngagement(await deps.engagement.ledger.engagementCounters(issue), (await deps.engagement.links(issue)) ?? [], tracking)
      : undefined;
  const meantFor = deps.blobs ? await renderedAudience(deps.blobs, record.renderedKey) : undefined;
  return buildIssueReport(
    record,
    health,
    breakerPolicyFor(list, deps.breaker),
    new Date(deps.clock.now()).toISOString(),
    engagement,
    meantFor,
  );
}

/** Reads the report and writes it to the bucket; undefined (nothing written) for an unknown issue. */
export async function publishIssueReport(
  deps: ReportDeps & { readonly blobs: BlobStore },
  issue: IssueRef,
): Promise<IssueReport | undefined> {
  const report = await readIssueReport(deps, issue);
  if (report) await deps.blobs.put(issueReportKeyOf(issue), `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  return report;
}
