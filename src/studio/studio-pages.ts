/**
 * The studio's pages: plain HTML built with the safe `html` template. Their stylesheet and script are files
 * in ./assets (linked by the URLs in StudioLinks); what the script needs is in data- attributes.
 */
import type { Problem } from '../config/problems.js';
import { html, type SafeHtml } from '../render/html-template.js';
import { confirmationFields, confirmationQuestion, type SendConfirmation, type StartTime, subscriberCount } from './send-confirmation.js';

/** Where a brief stands. */
export type BriefStatus = 'valid' | 'invalid' | 'scheduled' | 'sending' | 'sent';

/** One row of the index. */
export interface BriefRow {
  readonly file: string;
  readonly status: BriefStatus;
  readonly subject?: string | undefined;
  readonly issueId?: string | undefined;
  readonly listName?: string | undefined;
  readonly problemCount: number;
  readonly renderMs: number;
  /** One line about the last send, when there was one. */
  readonly sentSummary?: string | undefined;
}

/** What every page links to: the local inbox, and the studio's stylesheet and script (versioned URLs). */
export interface StudioLinks {
  readonly inboxUrl: string;
  readonly stylesheet: string;
  readonly script: string;
}

/** The data of one brief's page. */
export interface BriefView extends BriefRow {
  readonly version: number;
  readonly scheme: 'light' | 'dark';
  readonly problems: readonly Problem[];
  readonly text?: string | undefined;
  readonly listId?: string | undefined;
  readonly subscriberCount?: number | undefined;
  /** What Send would do now (list, subscriber count, start): the confirm step asks exactly this. */
  readonly confirmation?: SendConfirmation | undefined;
  /** The brief's sendAt, when Send would schedule it rather than send it at once. */
  readonly startTime?: StartTime | undefined;
  /** The schedule already waiting for this issue (made here or by `newsbrief send`). */
  readonly pendingSchedule?: (StartTime & { readonly inMs: number }) | undefined;
  /** Set once the brief's issue has started: what Pause, Resume and Cancel act on. */
  readonly control?: IssueControlView | undefined;
}

/** Where a started issue stands, for its Pause / Resume / Cancel buttons. */
export interface IssueControlView {
  /** Why and since when it is paused. */
  readonly paused?: { readonly at: string; readonly reason: string } | undefined;
  /** The circuit breaker's trip, while it holds the issue. */
  readonly breaker?: { readonly at: string; readonly reason: string } | undefined;
  /** ISO 8601: cancelled then; no buttons any more. */
  readonly cancelledAt?: string | undefined;
  /** True when not every planned recipient was handled (a stopped, paused or held send): Send continues it. */
  readonly unfinished: boolean;
}

/**
 * The frame of every page. `live`: the brief file whose page reloads when it changes, undefined for a page
 * that reloads on any change (the index), null for a page without live updates.
 */
export function layout(title: string, links: StudioLinks, body: SafeHtml, live?: string | null): string {
  const liveAttributes =
    live === null ? '' : live === undefined ? html` data-live="all"` : html` data-live="brief" data-live-file="${live}"`;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · newsbrief studio</title><link rel="stylesheet" href="${links.stylesheet}"><script src="${links.script}" defer></script></head>
<body${liveAttributes}><header class="top"><a class="brand" href="/">newsbrief <span>studio</span></a>
<nav><a href="/">Briefs</a><a href="/subscribers">Subscribers</a><a href="${links.inboxUrl}" target="_blank" rel="noopener">Local inbox ↗</a></nav>
${live === null ? '' : html`<span class="live" title="Live reload (Server-Sent Events)">live</span>`}</header>
<main>${body}</main></body></html>`}`;
}

/** A scheduled issue as the index page shows it. */
export interface ScheduledView {
  readonly list: string;
  readonly id: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  /** Milliseconds from now (the server's clock), for the countdown. */
  readonly inMs: number;
}

/** The index: every brief of the watched folder with its status, and the scheduled issues. */
export function indexPage(folder: string, rows: readonly BriefRow[], links: StudioLinks, scheduled: readonly ScheduledView[] = []): string {
  const body = html`<h1>Briefs</h1>
<p class="sub">Watching <code>${folder}</code> — save a brief and it is validated and rendered again at once.</p>
<div class="card">${
    rows.length === 0
      ? html`<div class="empty">No briefs yet: put a <code>.json</code> brief in <code>${folder}</code>.</div>`
      : html`<table class="rows" data-testid="briefs"><thead><tr><th>Brief</th><th>Subject</th><th>List</th><th>Status</th><th>Render</th></tr></thead><tbody>${rows.map(
          (row) => html`<tr data-file="${row.file}"><td class="file"><a href="/brief/${encodeURIComponent(row.file)}">${row.file}</a>${
            row.issueId ? html`<div class="muted small mono">${row.issueId}</div>` : ''
          }</td>
<td dir="auto">${row.subject ?? html`<span class="muted">${row.problemCount === 1 ? '1 problem' : `${row.problemCount} problems`}</span>`}</td>
<td dir="auto">${row.listName ?? html`<span class="muted">—</span>`}</td>
<td><span class="badge ${row.status}">${row.status}</span>${row.sentSummary ? html`<div class="muted small">${row.sentSummary}</div>` : ''}</td>
<td class="muted small">${row.renderMs} ms</td></tr>`,
        )}</tbody></table>`
  }</div>${scheduled.length > 0 ? scheduledSection(scheduled) : ''}`;
  return layout('Briefs', links, body, undefined);
}

// The countdown runs in the page (studio.js) from the server's "in ms", so a wrong laptop clock cannot skew it.
function scheduledSection(scheduled: readonly ScheduledView[]): SafeHtml {
  return html`<h2>Scheduled</h2>
<div class="card"><table class="rows" data-testid="scheduled"><thead><tr><th>Issue</th><th>Sends at (UTC)</th><th>In</th></tr></thead><tbody>${scheduled.map(
    (s) =>
      html`<tr><td class="mono">${s.list}/${s.id}</td><td class="mono">${s.at}</td><td class="mono" data-countdown-ms="${String(s.inMs)}">…</td></tr>`,
  )}</tbody></table></div>`;
}

/** One brief: problems, or its render at desktop and phone widths, the text part and downloads. */
export function briefPage(view: BriefView, links: StudioLinks): string {
  const base = `/brief/${encodeURIComponent(view.file)}`;
  const frame = (width: number, label: string) =>
    html`<div class="frame ${view.scheme}"><h3>${label} · ${width} px</h3><iframe title="${label} preview" data-width="${width}" width="${width + 2}" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" src="${base}/email.html?scheme=${view.scheme}&v=${view.version}"></iframe></div>`;
  const sendable = view.status === 'valid' || view.status === 'sent' || view.status === 'scheduled';
  const body = html`<p class="small"><a href="/">← All briefs</a></p>
<h1>${view.subject ?? view.file}</h1>
<p class="sub"><span class="badge ${view.status}" data-testid="status">${view.status}</span> &nbsp;<code>${view.file}</code>${
    view.listName ? html` · list <strong>${view.listName}</strong>` : ''
  }${view.issueId ? html` · issue <code>${view.issueId}</code>` : ''} · rendered in ${view.renderMs} ms${view.sentSummary ? html` · ${view.sentSummary}` : ''}</p>
${
  view.problems.length > 0
    ? html`<section class="card problems" data-testid="problems"><h2>${view.problems.length === 1 ? '1 problem' : `${view.problems.length} problems`} — nothing can be sent until they are fixed</h2>
<table>${view.problems.map((p) => html`<tr><td class="pointer"><code>${p.pointer || '(document)'}</code></td><td>${p.message}</td></tr>`)}</table>
<p class="small muted note">Edit <code>${view.file}</code> and save: this page checks it again by itself.</p></section>`
    : ''
}${
  view.text !== undefined
    ? html`<div class="toolbar" id="brief-actions" data-base="${base}" data-inbox-url="${links.inboxUrl}">
<span class="seg" role="group" aria-label="Colour scheme"><a href="${base}?scheme=light" class="${view.scheme === 'light' ? 'on' : ''}">Light</a><a href="${base}?scheme=dark" class="${view.scheme === 'dark' ? 'on' : ''}">Dark</a></span>
<a class="btn" href="${base}/message.eml" download>Download .eml</a>
<a class="btn" href="${base}/email.txt" target="_blank">Plain text</a>
<span class="spacer"></span>
<button class="btn" id="proof" ${sendable ? '' : 'disabled'}>Send proof</button>
<button class="btn primary" id="send" ${sendable ? '' : 'disabled'}>${
        view.startTime
          ? html`Schedule for ${view.startTime.utc}`
          : html`Send to ${view.listName ?? 'list'} (${view.subscriberCount ?? 0} ${view.confirmation?.audience ? 'in its audience' : 'subscribed'})`
      }</button>
</div>
${view.confirmation ? confirmBox(view.confirmation, view.startTime, view.status === 'sent') : ''}
${view.pendingSchedule ? scheduleBar(view.pendingSchedule) : ''}
${view.control ? controlBar(view.control) : ''}
${view.control && view.listId && view.issueId ? html`<p class="small" data-testid="report-link"><a href="/reports/${encodeURIComponent(view.listId)}/${encodeURIComponent(view.issueId)}">Report: delivered, bounces, unsubscribes, opens and clicks →</a></p>` : ''}
<section class="card progress" id="progress" aria-live="polite"><strong id="progress-title">Sending…</strong><div class="bar"><div id="progress-bar"></div></div><div class="small muted" id="progress-text"></div></section>
<div class="previews">${frame(600, 'Desktop')}${frame(375, 'Phone')}</div>
<h2>Plain-text part</h2>
<pre class="text" data-testid="text">${view.text}</pre>`
    : ''
}`;
  return layout(view.subject ?? view.file, links, body, view.file);
}

/** A time as UTC, with the local time beside it (rewritten to the browser's zone by studio.js). */
function timeOf(time: StartTime): SafeHtml {
  return html`<strong>${time.utc}</strong> (local time: <time datetime="${time.iso}" data-local-time>${time.local}</time>)`;
}

// Shown by Send: the list, how many subscribers get it and when; its fields go with the send, which the studio
// refuses if they no longer hold (someone subscribed meanwhile, or the time passed).
function confirmBox(confirmation: SendConfirmation, startTime: StartTime | undefined, started: boolean): SafeHtml {
  const fields = confirmationFields(confirmation);
  const detail = startTime
    ? html`It goes out at ${timeOf(startTime)}, if the studio (or <code>npm start</code>) is running then; until then you can cancel it here.`
    : started
      ? html`This issue has been sent before: whoever has it already is skipped, and nobody gets it twice.`
      : confirmation.audience
        ? html`The subscribed members of ${confirmation.listName} in its audience (${confirmation.audience}) get it now. A send cannot be taken back.`
        : html`Everyone subscribed to ${confirmation.listName} gets it now. A send cannot be taken back.`;
  const yes = startTime ? html`Yes, schedule for ${startTime.utc}` : html`Yes, send to ${subscriberCount(confirmation.recipients)}`;
  return html`<section class="card confirm" id="send-confirm" data-testid="send-confirm" hidden><p><strong>${confirmationQuestion(confirmation)}</strong></p>
<p class="small muted">${detail}</p>
<form id="send-confirm-form">${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button class="btn primary" id="send-confirm-yes" type="submit">${yes}</button><button class="btn" id="send-confirm-no" type="button">Cancel</button></form></section>`;
}

// The schedule already waiting for this issue, with its countdown and a way to call it off.
function scheduleBar(pending: StartTime & { readonly inMs: number }): SafeHtml {
  return html`<div class="card schedule" data-testid="schedule"><span>Scheduled: goes out at ${timeOf(pending)}, in <span class="mono" data-countdown-ms="${String(pending.inMs)}">…</span>.</span><span class="spacer"></span>
<button class="btn" data-issue-action="unschedule">Cancel schedule</button></div>`;
}

// The started issue's state and its Pause / Resume / Cancel buttons (the same use-cases as `newsbrief issue`).
function controlBar(c: IssueControlView): SafeHtml {
  if (c.cancelledAt) return html`<p class="small muted" data-testid="issue-state">Cancelled at ${c.cancelledAt}: nothing more is sent.</p>`;
  const state = c.breaker
    ? html`Held by the circuit breaker since ${c.breaker.at}: ${c.breaker.reason}.`
    : c.paused
      ? html`Paused since ${c.paused.at}: ${c.paused.reason}.`
      : c.unfinished
        ? html`Not every recipient was handled yet: Send continues it (whoever has it is skipped).`
        : html`Every planned recipient was handled.`;
  const resumable = Boolean(c.breaker || c.paused);
  return html`<div class="toolbar" data-testid="issue-control"><span class="small muted" data-testid="issue-state">${state}</span><span class="spacer"></span>
${c.paused ? '' : html`<button class="btn" data-issue-action="pause">Pause</button>`}
${resumable ? html`<button class="btn" data-issue-action="resume"${c.breaker ? html` data-breaker="${c.breaker.reason}"` : ''}>${c.breaker ? 'Resume past the circuit breaker' : 'Resume'}</button>` : ''}
<button class="btn" data-issue-action="cancel">Cancel issue</button></div>`;
}

/** A page with one message and, optionally, a form: the unsubscribe pages. */
export function messagePage(title: string, message: SafeHtml, links: StudioLinks, form?: { action: string; button: string }): string {
  const body = html`<section class="card center"><h1>${title}</h1><p>${message}</p>${
    form
      ? html`<form method="post" action="${form.action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button class="btn primary" type="submit">${form.button}</button></form>`
      : ''
  }</section>`;
  return layout(title, links, body, null);
}
