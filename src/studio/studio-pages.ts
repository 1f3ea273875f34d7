/** The studio's pages: plain HTML with one small stylesheet and a few lines of script for live updates. */
import type { Problem } from '../brief/problems.js';
import { html, type SafeHtml, trusted } from '../render/html-template.js';

/** Where a brief stands. */
export type BriefStatus = 'valid' | 'invalid' | 'sending' | 'sent';

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

/** What every page's header links to. */
export interface StudioLinks {
  readonly inboxUrl: string;
}

/** The data of one brief's page. */
export interface BriefView extends BriefRow {
  readonly version: number;
  readonly scheme: 'light' | 'dark';
  readonly problems: readonly Problem[];
  readonly text?: string | undefined;
  readonly listId?: string | undefined;
  readonly subscriberCount?: number | undefined;
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

/** A list and its members, for the subscribers page. */
export interface ListView {
  readonly id: string;
  readonly displayName: string;
  readonly members: readonly { readonly email: string; readonly firstName?: string | undefined; readonly status: string }[];
}

const STYLE = trusted(`<style>
:root { color-scheme: light; --ink:#1d2330; --muted:#5d6675; --line:#e3e6eb; --bg:#f6f7f9; --card:#fff; --accent:#2156d9;
  --ok:#17794a; --ok-bg:#e4f5ec; --bad:#b3261e; --bad-bg:#fde8e6; --busy:#8a5a00; --busy-bg:#fff2d6; --done:#3d4757; --done-bg:#e8ebf0; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); }
header.top { display:flex; align-items:center; gap:24px; padding:12px 28px; background:#111827; color:#fff; }
header.top .brand { font-weight:700; letter-spacing:.2px; color:#fff; text-decoration:none; font-size:16px; }
header.top .brand span { color:#9ca3af; font-weight:400; }
header.top nav { display:flex; gap:18px; }
header.top nav a { color:#d1d5db; text-decoration:none; }
header.top nav a:hover { color:#fff; }
header.top .live { margin-left:auto; font-size:12px; color:#9ca3af; }
header.top .live::before { content:""; display:inline-block; width:8px; height:8px; border-radius:50%; background:#6b7280; margin-right:6px; vertical-align:1px; }
header.top .live.on::before { background:#34d399; }
main { max-width:1180px; margin:0 auto; padding:28px; }
h1 { font-size:24px; line-height:1.25; margin:0 0 6px; }
h2 { font-size:17px; margin:28px 0 10px; }
.sub { color:var(--muted); margin:0 0 20px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; }
table.rows { width:100%; border-collapse:collapse; }
table.rows th { text-align:left; font-size:12px; text-transform:uppercase; letter-spacing:.6px; color:var(--muted); font-weight:600; padding:10px 16px; border-bottom:1px solid var(--line); }
table.rows td { padding:12px 16px; border-bottom:1px solid var(--line); vertical-align:top; }
table.rows tr:last-child td { border-bottom:0; }
table.rows td.file a { font-weight:600; text-decoration:none; }
.muted { color:var(--muted); }
.small { font-size:13px; }
code, pre, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size:13px; }
.badge { display:inline-block; padding:2px 9px; border-radius:999px; font-size:12px; font-weight:600; white-space:nowrap; }
.badge.valid { color:var(--ok); background:var(--ok-bg); }
.badge.invalid { color:var(--bad); background:var(--bad-bg); }
.badge.sending { color:var(--busy); background:var(--busy-bg); }
.badge.sent { color:var(--done); background:var(--done-bg); }
.toolbar { display:flex; flex-wrap:wrap; align-items:center; gap:12px; margin:0 0 18px; }
.seg { display:inline-flex; border:1px solid var(--line); border-radius:8px; overflow:hidden; background:var(--card); }
.seg a { padding:6px 14px; text-decoration:none; color:var(--ink); font-size:14px; }
.seg a.on { background:#111827; color:#fff; }
.btn { display:inline-block; padding:7px 14px; border-radius:8px; border:1px solid var(--line); background:var(--card); color:var(--ink); text-decoration:none; font:inherit; font-size:14px; cursor:pointer; }
.btn.primary { background:var(--accent); border-color:var(--accent); color:#fff; font-weight:600; }
.btn[disabled] { opacity:.55; cursor:default; }
.spacer { flex:1; }
.progress { display:none; margin:0 0 18px; padding:14px 16px; }
.progress.on { display:block; }
.bar { height:8px; background:var(--line); border-radius:999px; overflow:hidden; margin:8px 0 6px; }
.bar > div { height:100%; width:0; background:var(--accent); transition:width .2s; }
.problems { border-color:#f3c1bc; background:var(--bad-bg); padding:16px 18px; margin:0 0 20px; }
.problems h2 { margin:0 0 8px; color:var(--bad); }
.problems table { border-collapse:collapse; width:100%; }
.problems td { padding:6px 12px 6px 0; vertical-align:top; }
.problems td.pointer { white-space:nowrap; width:1%; }
.problems code { background:#fff; border:1px solid #f3c1bc; border-radius:5px; padding:1px 6px; color:var(--bad); }
.previews { display:flex; gap:28px; align-items:flex-start; overflow-x:auto; padding-bottom:6px; }
.frame h3 { font-size:13px; font-weight:600; color:var(--muted); margin:0 0 8px; }
.frame iframe { display:block; border:1px solid var(--line); border-radius:10px; background:#fff; height:900px; }
.frame.dark iframe { background:#121212; border-color:#2b2f36; }
pre.text { white-space:pre-wrap; background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; max-width:760px; margin:0; line-height:1.55; }
.empty { padding:28px; text-align:center; color:var(--muted); }
.center { max-width:520px; margin:64px auto; padding:32px; text-align:center; }
.center h1 { font-size:22px; }
</style>`);

const LIVE_SCRIPT = (file: string | undefined) =>
  trusted(`<script>
(() => {
  const file = ${JSON.stringify(file ?? null).replace(/</g, '\\u003c')};
  const live = document.querySelector('.live');
  const source = new EventSource('/events');
  source.onopen = () => live && live.classList.add('on');
  source.onerror = () => live && live.classList.remove('on');
  source.addEventListener('brief', (event) => {
    const data = JSON.parse(event.data);
    if (file === null || data.file === file) location.reload();
  });
  source.addEventListener('progress', (event) => {
    const data = JSON.parse(event.data);
    if (file !== null && data.file !== file) return;
    if (file === null) { if (data.done) location.reload(); return; }
    window.newsbriefProgress && window.newsbriefProgress(data);
  });
})();
</script>`);

/** The frame of every page. */
export function layout(title: string, links: StudioLinks, body: SafeHtml, liveFile?: string | null): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · newsbrief studio</title>${STYLE}</head>
<body><header class="top"><a class="brand" href="/">newsbrief <span>studio</span></a>
<nav><a href="/">Briefs</a><a href="/subscribers">Subscribers</a><a href="${links.inboxUrl}" target="_blank" rel="noopener">Local inbox ↗</a></nav>
${liveFile === null ? '' : html`<span class="live" title="Live reload (Server-Sent Events)">live</span>`}</header>
<main>${body}</main>${liveFile === null ? '' : LIVE_SCRIPT(liveFile)}</body></html>`}`;
}

/** The index: every brief of the watched folder with its status. */
/** A scheduled issue as the index page shows it. */
export interface ScheduledView {
  readonly list: string;
  readonly id: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  /** Milliseconds from now (the server's clock), for the countdown. */
  readonly inMs: number;
}

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

// The countdown runs in the page from the server's "in ms" (so a wrong laptop clock cannot skew it).
function scheduledSection(scheduled: readonly ScheduledView[]): SafeHtml {
  return html`<h2>Scheduled</h2>
<div class="card"><table class="rows" data-testid="scheduled"><thead><tr><th>Issue</th><th>Sends at (UTC)</th><th>In</th></tr></thead><tbody>${scheduled.map(
    (s) => html`<tr><td class="mono">${s.list}/${s.id}</td><td class="mono">${s.at}</td><td class="mono" data-countdown-ms="${String(s.inMs)}">…</td></tr>`,
  )}</tbody></table></div>
${trusted(`<script>
(() => {
  const loaded = Date.now();
  const cells = [...document.querySelectorAll('[data-countdown-ms]')];
  const fmt = (ms) => {
    if (ms <= 0) return 'starting…';
    const s = Math.ceil(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + String(m).padStart(2, '0') + 'm' : m ? m + 'm ' + String(r).padStart(2, '0') + 's' : r + 's';
  };
  const tick = () => { for (const c of cells) c.textContent = fmt(Number(c.dataset.countdownMs) - (Date.now() - loaded)); };
  tick();
  setInterval(tick, 1000);
})();
</script>`)}`;
}

/** One brief: problems, or its render at desktop and phone widths, the text part and downloads. */
export function briefPage(view: BriefView, links: StudioLinks): string {
  const base = `/brief/${encodeURIComponent(view.file)}`;
  const frame = (width: number, label: string) =>
    html`<div class="frame ${view.scheme}"><h3>${label} · ${width} px</h3><iframe title="${label} preview" data-width="${width}" width="${width + 2}" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" src="${base}/email.html?scheme=${view.scheme}&v=${view.version}"></iframe></div>`;
  const sendable = view.status === 'valid' || view.status === 'sent';
  const body = html`<p class="small"><a href="/">← All briefs</a></p>
<h1>${view.subject ?? view.file}</h1>
<p class="sub"><span class="badge ${view.status}" data-testid="status">${view.status}</span> &nbsp;<code>${view.file}</code>${
    view.listName ? html` · list <strong>${view.listName}</strong>` : ''
  }${view.issueId ? html` · issue <code>${view.issueId}</code>` : ''} · rendered in ${view.renderMs} ms${view.sentSummary ? html` · ${view.sentSummary}` : ''}</p>
${
  view.problems.length > 0
    ? html`<section class="card problems" data-testid="problems"><h2>${view.problems.length === 1 ? '1 problem' : `${view.problems.length} problems`} — nothing can be sent until they are fixed</h2>
<table>${view.problems.map((p) => html`<tr><td class="pointer"><code>${p.pointer || '(document)'}</code></td><td>${p.message}</td></tr>`)}</table>
<p class="small muted" style="margin:10px 0 0">Edit <code>${view.file}</code> and save: this page checks it again by itself.</p></section>`
    : ''
}${
    view.text !== undefined
      ? html`<div class="toolbar">
<span class="seg" role="group" aria-label="Colour scheme"><a href="${base}?scheme=light" class="${view.scheme === 'light' ? 'on' : ''}">Light</a><a href="${base}?scheme=dark" class="${view.scheme === 'dark' ? 'on' : ''}">Dark</a></span>
<a class="btn" href="${base}/message.eml" download>Download .eml</a>
<a class="btn" href="${base}/email.txt" target="_blank">Plain text</a>
<span class="spacer"></span>
<button class="btn" id="proof" ${sendable ? '' : 'disabled'}>Send proof</button>
<button class="btn primary" id="send" ${sendable ? '' : 'disabled'}>Send to ${view.listName ?? 'list'} (${view.subscriberCount ?? 0} subscribed)</button>
</div>
${view.control ? controlBar(view.control) : ''}
<section class="card progress" id="progress" aria-live="polite"><strong id="progress-title">Sending…</strong><div class="bar"><div id="progress-bar"></div></div><div class="small muted" id="progress-text"></div></section>
<div class="previews">${frame(600, 'Desktop')}${frame(375, 'Phone')}</div>
<h2>Plain-text part</h2>
<pre class="text" data-testid="text">${view.text}</pre>
${trusted(SEND_SCRIPT(base, links.inboxUrl))}${view.control ? trusted(CONTROL_SCRIPT(base)) : ''}`
      : ''
  }`;
  return layout(view.subject ?? view.file, links, body, view.file);
}

const SEND_SCRIPT = (base: string, inboxUrl: string) => `<script>
(() => {
  for (const frame of document.querySelectorAll('.previews iframe')) {
    // Same-origin and script-free: the parent sizes each frame to its email so nothing scrolls twice.
    frame.addEventListener('load', () => {
      const doc = frame.contentDocument;
      if (doc) frame.style.height = Math.max(300, doc.documentElement.scrollHeight + 4) + 'px';
    });
  }
  const button = document.getElementById('send');
  const box = document.getElementById('progress');
  const bar = document.getElementById('progress-bar');
  const title = document.getElementById('progress-title');
  const text = document.getElementById('progress-text');
  window.newsbriefProgress = (p) => {
    box.classList.add('on');
    const total = p.total || 0;
    const handled = p.sent + p.skipped + p.failed;
    bar.style.width = (total ? Math.round(100 * handled / total) : (p.done ? 100 : 0)) + '%';
    if (p.done && !p.error && p.summary && p.summary.startsWith('scheduled')) {
      // A future sendAt: nothing went out; the studio's timer starts it (see the index for the countdown).
      title.textContent = 'Scheduled';
      text.textContent = p.summary;
      bar.style.width = '0%';
      button.disabled = false;
      return;
    }
    title.textContent = p.done ? (p.error ? 'Send stopped' : 'Done') : 'Sending…';
    text.textContent = (p.error ? p.error + ' — ' : '') + p.sent + ' sent' + (total ? ' of ' + total : '') + ', ' + p.skipped + ' skipped as already sent, ' + p.suppressed + ' suppressed, ' + p.failed + ' failed';
    if (p.done) {
      const link = document.createElement('a');
      link.href = ${JSON.stringify(inboxUrl)};
      link.target = '_blank';
      link.style.marginLeft = '10px';
      link.textContent = 'Open the local inbox ↗';
      text.append(link);
      button.disabled = false;
      const badge = document.querySelector('[data-testid=status]');
      if (badge && !p.error) { badge.textContent = 'sent'; badge.className = 'badge sent'; }
    }
  };
  const proof = document.getElementById('proof');
  if (proof) proof.addEventListener('click', async () => {
    proof.disabled = true;
    box.classList.add('on');
    title.textContent = 'Sending a proof…';
    bar.style.width = '0%';
    const response = await fetch(${JSON.stringify(base)} + '/proof', { method: 'POST', headers: { 'x-newsbrief-studio': '1' } });
    title.textContent = response.ok ? 'Proof' : 'Proof not sent';
    text.textContent = await response.text();
    proof.disabled = false;
  });
  if (button) button.addEventListener('click', async () => {
    button.disabled = true;
    box.classList.add('on');
    title.textContent = 'Starting…';
    const response = await fetch(${JSON.stringify(base)} + '/send', { method: 'POST', headers: { 'x-newsbrief-studio': '1' } });
    if (!response.ok) { title.textContent = 'Not sent'; text.textContent = await response.text(); button.disabled = false; }
  });
})();
</script>`;

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

const CONTROL_SCRIPT = (base: string) => `<script>
(() => {
  const box = document.getElementById('progress');
  const title = document.getElementById('progress-title');
  const text = document.getElementById('progress-text');
  for (const button of document.querySelectorAll('[data-issue-action]')) {
    button.addEventListener('click', async () => {
      const action = button.dataset.issueAction;
      const breaker = button.dataset.breaker;
      if (action === 'cancel' && !confirm('Cancel this issue for good? Its remaining recipients get nothing, and it cannot be resumed.')) return;
      if (action === 'resume' && breaker !== undefined && !confirm('The circuit breaker stopped this issue: ' + breaker + '\n\nResume it anyway? The override is recorded in its report.')) return;
      button.disabled = true;
      const response = await fetch(${JSON.stringify(base)} + '/' + action + (breaker !== undefined ? '?override-breaker=1' : ''), { method: 'POST', headers: { 'x-newsbrief-studio': '1' } });
      if (response.ok) { location.reload(); return; }
      box.classList.add('on');
      title.textContent = 'Not done';
      text.textContent = await response.text();
      button.disabled = false;
    });
  }
})();
</script>`;

/** The subscribers of every local list. */
export function subscribersPage(lists: readonly ListView[], stateDir: string, links: StudioLinks): string {
  const body = html`<h1>Subscribers</h1>
<p class="sub">The local store in <code>${stateDir}</code>. Import more with <code>newsbrief subscribers import FILE.csv --list ID</code>.</p>
${lists.map((list) => {
  const subscribed = list.members.filter((m) => m.status === 'subscribed').length;
  return html`<h2>${list.displayName} <span class="muted small mono">${list.id}</span> <span class="muted small">· ${subscribed} subscribed of ${list.members.length}</span></h2>
<div class="card">${
    list.members.length === 0
      ? html`<div class="empty">No members.</div>`
      : html`<table class="rows"><thead><tr><th>Email</th><th>First name</th><th>Status</th></tr></thead><tbody>${list.members.map(
          (m) => html`<tr><td class="mono">${m.email}</td><td>${m.firstName ?? ''}</td><td><span class="badge ${m.status === 'subscribed' ? 'valid' : 'sent'}">${m.status}</span></td></tr>`,
        )}</tbody></table>`
  }</div>`;
})}`;
  return layout('Subscribers', links, body, undefined);
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
