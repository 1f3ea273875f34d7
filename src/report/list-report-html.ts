/**
 * A list's report page: its last issues side by side (open rate, click rate, unsubscribes per issue), each
 * linking to its own report. Pure, and in time proportional to the issues shown: it reads each issue's stored
 * counts, never a reader.
 */
import { html, type SafeHtml } from '../render/html-template.js';
import type { IssueReport } from './issue-report.js';
import type { ReportEngagement } from './issue-report-html.js';
import { formatCount, formatShare, reportDocument } from './report-document.js';
import { type Bar, barChart } from './svg-charts.js';

/** One issue of the list page. */
export interface ListReportRow {
  readonly report: IssueReport;
  /** Absent when the list did not track opens and clicks for it. */
  readonly engagement?: ReportEngagement | undefined;
  readonly subject?: string | undefined;
  /** Where its own report is. */
  readonly href?: string | undefined;
}

/** The list page as a whole HTML document; `rows` oldest first, as they are drawn. */
export function listReportHtml(list: { readonly id: string; readonly name?: string | undefined }, rows: readonly ListReportRow[]): string {
  const name = list.name ?? list.id;
  const tracked = rows.some((r) => r.engagement);
  const rate = (part: (r: ListReportRow) => number | undefined, tone: string): Bar[] =>
    rows.map((r) => {
      const value = part(r);
      const share = value === undefined ? 'tracking off' : formatShare(value, r.report.counts.sent);
      return {
        label: r.report.id,
        value: value === undefined || r.report.counts.sent === 0 ? 0 : value / r.report.counts.sent,
        tone,
        valueText: share,
      };
    });
  const opens = rate((r) => r.engagement?.opened, 'f-opened');
  const clicks = rate((r) => r.engagement?.clicked, 'f-clicked');
  const unsubscribes = rows.map((r) => ({
    label: r.report.id,
    value: r.report.counts.unsubscribed,
    tone: 'f-unsub',
    note: formatShare(r.report.counts.unsubscribed, r.report.counts.sent),
  }));
  const spoken = (bars: readonly Bar[]) => `${bars.map((b) => `${b.label}: ${b.valueText ?? formatCount(b.value)}`).join('; ')}.`;
  const body = html`<h1>${name}: the last ${rows.length === 1 ? 'issue' : `${rows.length} issues`}</h1>
<p class="sub">Open and click rates are of sent messages; unsubscribes are readers who left through that issue's link.</p>
${
  rows.length === 0
    ? html`<div class="card"><p class="muted">No issue of this list was sent yet.</p></div>`
    : html`${tracked ? '' : html`<p class="note small" data-testid="tracking-off">Tracking is off for this list: no open or click rates.</p>`}
${tracked ? chartCard('opens', 'Open rate', `Open rate per issue: ${spoken(opens)}`, opens, 1) : ''}
${tracked ? chartCard('clicks', 'Click rate', `Click rate per issue: ${spoken(clicks)}`, clicks, 1) : ''}
${chartCard('unsubscribes', 'Unsubscribes', `Unsubscribes per issue: ${spoken(unsubscribes)}`, unsubscribes)}
<section class="card"><h2>Issues</h2><div class="scroll"><table class="data" data-testid="issues"><thead><tr><th>Issue</th><th class="n">Sent</th><th class="n">Delivered</th><th class="n">Opened</th><th class="n">Clicked</th><th class="n">Unsubscribed</th></tr></thead><tbody>${[
        ...rows,
      ]
        .reverse()
        .map(
          (r) =>
            html`<tr><td class="text">${r.href ? html`<a href="${r.href}">${r.report.id}</a>` : r.report.id}${r.subject ? html`<div class="muted small">${r.subject}</div>` : ''}${
              r.report.audience && !r.report.audience.wholeList
                ? html`<div class="muted small" data-testid="issue-audience">for ${r.report.audience.description} (${formatCount(r.report.audience.matched)} matched)</div>`
                : ''
            }</td><td class="n">${formatCount(r.report.counts.sent)}</td><td class="n">${formatCount(r.report.counts.delivered)}</td><td class="n">${r.engagement ? formatShare(r.engagement.opened, r.report.counts.sent) : '—'}</td><td class="n">${r.engagement ? formatShare(r.engagement.clicked, r.report.counts.sent) : '—'}</td><td class="n">${formatCount(r.report.counts.unsubscribed)}</td></tr>`,
        )}</tbody></table></div></section>`
}`;
  return reportDocument(`${name} · reports`, body);
}

function chartCard(id: string, heading: string, label: string, bars: readonly Bar[], max?: number): SafeHtml {
  return html`<section class="card" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2><figure>${barChart({ id, label, bars, ...(max !== undefined ? { max } : {}) })}</figure></section>`;
}
