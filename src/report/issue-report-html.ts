/**
 * One issue's report as a page people look at: the funnel (planned → sent → delivered → opened → clicked,
 * with bounced, complained and unsubscribed beside it), opens and clicks over the first 48 hours, the top
 * links, bounces by type and the circuit breaker. Pure: the report (and its engagement counts, when the list
 * tracks them) in, a whole HTML document out; every value goes through the escaping `html` template.
 */
import { SCANNER_WINDOW_MS, SWEEP_MIN_LINKS, SWEEP_SHARE, SWEEP_WINDOW_MS } from '../engagement/machine-signals.js';
import { html, type SafeHtml } from '../render/html-template.js';
import { type IssueReport, plannedLabel } from './issue-report.js';
import { formatCount, formatShare, reportDocument } from './report-document.js';
import { barChart, hourlyChart, limitChart } from './svg-charts.js';

/** Opens and clicks of an issue, counted once per reader, as the report page draws them. */
export interface ReportEngagement {
  /** Which of the two the list tracks (default: both); an untracked one is left out of the funnel, not drawn as 0. */
  readonly tracked?: { readonly opens: boolean; readonly clicks: boolean } | undefined;
  /** Readers who opened (unique), machine opens excluded. */
  readonly opened: number;
  /** Readers who clicked any link (unique). */
  readonly clicked: number;
  /** Opens flagged as made by a machine (Apple Mail Privacy Protection, link scanners), shown apart. */
  readonly machineOpened?: number | undefined;
  /** Clicks flagged as a link scanner's, shown apart. */
  readonly machineClicked?: number | undefined;
  /** Events after the first 48 hours (not in `hourly`). */
  readonly later?: { readonly opens: number; readonly clicks: number } | undefined;
  /** Opens and clicks per hour since sending started, hour 0 first; the page shows the first 48. */
  readonly hourly?: readonly { readonly opens: number; readonly clicks: number }[] | undefined;
  /** Clicks per link of the issue (its position and text name it: "the CTA of story 2"). */
  readonly links?: readonly ReportLink[] | undefined;
}

/** One link of the issue and its clicks. */
export interface ReportLink {
  /** Where the link is in the issue, as people name it ("story 2, button"). */
  readonly position: string;
  readonly text: string;
  readonly url: string;
  /** Readers who clicked it (unique). */
  readonly clicks: number;
}

/** What the page needs besides the report. */
export interface IssueReportHtmlOptions {
  /** The issue's opens and clicks; absent when the list does not track them. */
  readonly engagement?: ReportEngagement | undefined;
  /** The list's name as people know it (default: its id). */
  readonly listName?: string | undefined;
  /** The issue's subject, when known. */
  readonly subject?: string | undefined;
  /** A link back (the studio's list report); absent in a file. */
  readonly backHref?: string | undefined;
  /** How many links to show (default 10). */
  readonly topLinks?: number | undefined;
}

const HOURS = 48;

/** The issue's report as a whole HTML document with inline SVG charts and no script. */
export function issueReportHtml(report: IssueReport, options: IssueReportHtmlOptions = {}): string {
  const c = report.counts;
  const unsubscribed = c.unsubscribed;
  const e = options.engagement;
  const title = `${options.subject ?? `${report.list}/${report.id}`} · report`;
  const tiles: [string, string][] = [
    ['sent', formatCount(c.sent)],
    ['delivered', formatShare(c.delivered, c.sent)],
    ...(e && e.tracked?.opens !== false ? ([['opened', formatShare(e.opened, c.sent)]] as [string, string][]) : []),
    ...(e && e.tracked?.clicks !== false ? ([['clicked', formatShare(e.clicked, c.sent)]] as [string, string][]) : []),
    ['unsubscribed', formatCount(unsubscribed)],
    ['bounce rate', formatShare(c.bounced, c.sent)],
  ];
  const body = html`${options.backHref ? html`<p class="small"><a href="${options.backHref}">← All issues of ${options.listName ?? report.list}</a></p>` : ''}
<h1>${options.subject ?? report.id}</h1>
<p class="sub">List <strong>${options.listName ?? report.list}</strong> · issue <span class="mono">${report.id}</span>${report.planComplete ? '' : ' · still planning'} · figures as of <time datetime="${report.generatedAt}">${report.generatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time></p>
${audienceLine(report)}
<div class="tiles" data-testid="tiles">${tiles.map(([label, value]) => html`<div class="tile"><b>${value}</b><span>${label}</span></div>`)}</div>
${funnelSection(report, e)}
${e ? hourlySection(e) : ''}
${e && e.tracked?.clicks !== false ? linksSection(e, options.topLinks ?? 10) : ''}
${bouncesSection(report)}
${breakerSection(report)}
<p class="small muted">Made by newsbrief from the ledger's stored counts. Opens, clicks and unsubscribes count readers, once each; every rate is of sent messages, as the circuit breaker judges bounces and complaints. Machine opens and clicks are counted apart and in no figure: opens through a privacy proxy (Apple Mail), and clicks by a scanner: within ${SCANNER_WINDOW_MS / 1000} s of sending, with a tool's user agent, or completing one reader's burst over nearly every link (${SWEEP_MIN_LINKS} or more, ${SWEEP_SHARE * 100} % of the issue's links, within ${SWEEP_WINDOW_MS / 1000} s). A burst's first clicks are counted as they come, before it can be seen, so they stay in the figures.</p>`;
  return reportDocument(title, body);
}

// Who the issue was for, in the editor's own tags and values (escaped by the template like every value).
function audienceLine(report: IssueReport): SafeHtml | string {
  const a = report.audience;
  if (!a) return '';
  return html`<p data-testid="audience">Audience: <strong>${a.description}</strong> — ${formatCount(a.matched)} matched</p>`;
}

function funnelSection(report: IssueReport, e: ReportEngagement | undefined): SafeHtml {
  const c = report.counts;
  const steps = [
    { label: plannedLabel(report) === 'matched' ? 'Matched' : 'Planned', value: c.planned, tone: 'f-planned' },
    { label: 'Sent', value: c.sent, tone: 'f-sent', note: formatShare(c.sent, c.planned) },
    { label: 'Delivered', value: c.delivered, tone: 'f-delivered', note: formatShare(c.delivered, c.sent) },
    ...(e && e.tracked?.opens !== false
      ? [{ label: 'Opened', value: e.opened, tone: 'f-opened', note: formatShare(e.opened, c.sent) }]
      : []),
    ...(e && e.tracked?.clicks !== false
      ? [{ label: 'Clicked', value: e.clicked, tone: 'f-clicked', note: formatShare(e.clicked, c.sent) }]
      : []),
  ];
  const side = [
    { label: 'Bounced', value: c.bounced, tone: 'f-bad', note: formatShare(c.bounced, c.sent) },
    { label: 'Complained', value: c.complained, tone: 'f-bad', note: formatShare(c.complained, c.sent) },
    { label: 'Unsubscribed', value: c.unsubscribed, tone: 'f-unsub', note: formatShare(c.unsubscribed, c.sent) },
  ];
  const max = Math.max(c.planned, c.sent, 1);
  return html`<section class="card" aria-labelledby="funnel-h"><h2 id="funnel-h">Funnel</h2>
<figure>${barChart({ id: 'funnel', label: `Funnel: ${describe(steps)}`, bars: steps, max })}</figure>
${
  e
    ? e.tracked?.opens === false || e.tracked?.clicks === false
      ? html`<p class="note small" data-testid="tracking-off">${e.tracked.opens ? 'Clicks' : 'Opens'} are not tracked for this list.</p>`
      : ''
    : html`<p class="note small" data-testid="tracking-off">Opens and clicks: tracking is off for this list, so the funnel ends at delivered.</p>`
}
<h2 id="left-h">Left or went wrong</h2>
<figure>${barChart({ id: 'dropped', label: `Left or went wrong: ${describe(side)}`, bars: side, max: Math.max(c.sent, 1) })}</figure>
${dataTable(
  'Funnel figures',
  ['Step', 'Readers', 'Share'],
  [...steps, ...side].map((s) => [s.label, formatCount(s.value), s.note ?? '']),
)}
</section>`;
}

function hourlySection(e: ReportEngagement): SafeHtml {
  const hourly = (e.hourly ?? []).slice(0, HOURS);
  const opens = hourly.map((h) => h.opens);
  const clicks = hourly.map((h) => h.clicks);
  const totalOpens = opens.reduce((a, b) => a + b, 0);
  const totalClicks = clicks.reduce((a, b) => a + b, 0);
  const peak = opens.reduce((best, v, i) => (v > (opens[best] ?? 0) ? i : best), 0);
  const label = `Opens and clicks in the first ${HOURS} hours: ${formatCount(totalOpens)} opens and ${formatCount(totalClicks)} clicks${
    totalOpens > 0 ? `; most opens in hour ${peak} (${formatCount(opens[peak] ?? 0)})` : ''
  }.`;
  return html`<section class="card" aria-labelledby="hourly-h"><h2 id="hourly-h">First ${HOURS} hours</h2>
${
  hourly.length === 0
    ? html`<p class="muted small">No opens or clicks yet.</p>`
    : html`<figure>${hourlyChart({ id: 'hourly', label, opens, clicks, hours: HOURS })}</figure>
<p class="legend"><span><span class="key opened"></span>opens</span><span><span class="key clicked"></span>clicks</span>${
        e.machineOpened ? html`<span>${formatCount(e.machineOpened)} machine opens (privacy proxies) not counted</span>` : ''
      }${e.machineClicked ? html`<span>${formatCount(e.machineClicked)} scanner clicks not counted</span>` : ''}${
        e.later && e.later.opens + e.later.clicks > 0
          ? html`<span>later than ${HOURS} h: ${formatCount(e.later.opens)} opens, ${formatCount(e.later.clicks)} clicks</span>`
          : ''
      }</p>
${dataTable(
  'Opens and clicks per hour',
  ['Hour', 'Opens', 'Clicks'],
  hourly.map((h, i) => [`${i}–${i + 1} h`, formatCount(h.opens), formatCount(h.clicks)]),
)}`
}</section>`;
}

function linksSection(e: ReportEngagement, top: number): SafeHtml {
  const links = [...(e.links ?? [])].sort((a, b) => b.clicks - a.clicks).slice(0, top);
  if (links.length === 0) return html`<section class="card"><h2>Top links</h2><p class="muted small">No clicks yet.</p></section>`;
  const bars = links.map((l) => ({ label: truncate(`${l.position}: ${l.text}`, 44), value: l.clicks, tone: 'f-clicked' }));
  return html`<section class="card" aria-labelledby="links-h"><h2 id="links-h">Top links</h2>
<figure>${barChart({ id: 'links', label: `Top links by readers who clicked: ${links.map((l) => `${l.position}, ${l.text}: ${formatCount(l.clicks)}`).join('; ')}.`, bars })}</figure>
<table class="data"><caption class="sr-only">Top links</caption><thead><tr><th>Link</th><th class="n">Readers</th></tr></thead><tbody>${links.map(
    (l) =>
      html`<tr><td class="text">${l.position}: ${l.text}<div class="muted small mono">${l.url}</div></td><td class="n">${formatCount(l.clicks)}</td></tr>`,
  )}</tbody></table></section>`;
}

function bouncesSection(report: IssueReport): SafeHtml {
  const c = report.counts;
  const kinds = [
    { label: 'Permanent (hard)', value: c.bounced, tone: 'f-bad' },
    { label: 'Transient (soft)', value: c.softBounced, tone: 'f-warn' },
    { label: 'Rejected by SES', value: c.rejected, tone: 'f-bad' },
    { label: 'Failed to send', value: c.failed, tone: 'f-warn' },
    { label: 'Skipped: suppressed', value: c.suppressed, tone: 'f-planned' },
    { label: 'Held by the breaker', value: c.held, tone: 'f-planned' },
  ];
  return html`<section class="card" aria-labelledby="bounces-h"><h2 id="bounces-h">Bounces and skips by type</h2>
<figure>${barChart({ id: 'bounces', label: `Bounces and skips by type: ${describe(kinds)}`, bars: kinds })}</figure>
${dataTable(
  'Bounces and skips by type',
  ['Type', 'Messages'],
  kinds.map((k) => [k.label, formatCount(k.value)]),
)}</section>`;
}

function breakerSection(report: IssueReport): SafeHtml {
  const { policy, tripped, overrides } = report.breaker;
  const rows = [
    {
      label: 'Bounce rate',
      rate: report.rates.bounce,
      limit: policy.maxBounceRate,
      text: `${pct(report.rates.bounce)} (limit ${pct(policy.maxBounceRate)})`,
    },
    {
      label: 'Complaint rate',
      rate: report.rates.complaint,
      limit: policy.maxComplaintRate,
      text: `${pct(report.rates.complaint)} (limit ${pct(policy.maxComplaintRate)})`,
    },
  ];
  return html`<section class="card" aria-labelledby="breaker-h"><h2 id="breaker-h">Circuit breaker</h2>
<p data-testid="breaker-state">${
    tripped
      ? html`<span class="state bad">Tripped</span> at <time datetime="${tripped.at}">${tripped.at}</time>: ${tripped.reason}. The rest of the issue is held.`
      : html`<span class="state ok">Not tripped</span>: sending was not stopped by bounces or complaints.`
  }</p>
<figure>${limitChart({ id: 'breaker', label: `Circuit breaker ${tripped ? 'tripped' : 'not tripped'}: ${rows.map((r) => `${r.label.toLowerCase()} ${r.text}`).join(', ')}.`, rows })}</figure>
${
  overrides?.length
    ? html`<ul class="small">${overrides.map(
        (o) =>
          html`<li>Resumed past the breaker at <time datetime="${o.at}">${o.at}</time>${o.by ? ` by ${o.by}` : ''} (it had tripped at ${o.previous.at}: ${o.previous.reason}).</li>`,
      )}</ul>`
    : ''
}
<p class="small muted">It judges after ${formatCount(policy.minSample)} sent messages; the mark on each bar is the list's limit.</p></section>`;
}

// The figures in words, for an accessible name: "Planned 1,000; Sent 998 (99.8 %)."
function describe(bars: readonly { readonly label: string; readonly value: number; readonly note?: string | undefined }[]): string {
  return `${bars.map((b) => `${b.label} ${formatCount(b.value)}${b.note && b.note !== '—' ? ` (${b.note})` : ''}`).join('; ')}.`;
}

function dataTable(caption: string, head: readonly string[], rows: readonly (readonly string[])[]): SafeHtml {
  // Hidden in a box, not on the table: a table grows to fit its rows whatever height it is given.
  return html`<div class="sr-only"><table class="data"><caption>${caption}</caption><thead><tr>${head.map((h, i) => html`<th${i > 0 ? html` class="n"` : ''}>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell, i) => html`<td${i > 0 ? html` class="n"` : ''}>${cell}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

function pct(rate: number): string {
  return `${Number((rate * 100).toFixed(2))} %`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The report's opens and clicks as the page draws them; undefined when the issue's list tracks neither. */
export function reportEngagement(report: IssueReport): ReportEngagement | undefined {
  const e = report.engagement;
  if (!e || (!e.tracking.opens && !e.tracking.clicks)) return undefined;
  return {
    tracked: e.tracking,
    opened: e.opens.unique,
    clicked: e.clicks.unique,
    machineOpened: e.machineOpens.unique,
    machineClicked: e.machineClicks.total,
    hourly: e.hourly.map((h) => ({ opens: h.opens, clicks: h.clicks })),
    later: e.later,
    links: e.links.map((l) => ({ position: `#${l.position}`, text: l.text || '(no text)', url: l.url, clicks: l.unique })),
  };
}
