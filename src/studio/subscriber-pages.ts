/**
 * The studio's Subscribers pages at list scale: the lists with their counts by status, one list's members a
 * page at a time (searched by address, filtered by status, tag and field, paged by cursor), and one person's
 * page (their data, tags and fields, status as stored, and what they did with each issue). Pure views over
 * data the routes read (subscriber-routes.ts); every value goes through the safe `html` template.
 */
import { TAGS_FIELD, tagsOf } from '../brief/audience.js';
import type { DeliveryRecord, Subscriber, SubscriberStatus } from '../model.js';
import type { MemberFilter } from '../ports.js';
import type { ReaderIssue } from '../engagement/reader-history.js';
import { html, type SafeHtml } from '../render/html-template.js';
import { layout, type StudioLinks } from './studio-pages.js';

/** Members a page shows. */
export const MEMBERS_PAGE_SIZE = 50;
const PAGE_SIZE_TEXT = String(MEMBERS_PAGE_SIZE);

/** Every status, in the order the pages show them. */
export const MEMBER_STATUSES: readonly SubscriberStatus[] = ['subscribed', 'pending', 'unsubscribed', 'bounced', 'complained'];

/** A list with how many members have each status (from the store's counts, never a read of the members). */
export interface ListCounts {
  readonly id: string;
  readonly displayName: string;
  readonly counts: Readonly<Record<SubscriberStatus, number>>;
}

/** One page of a list's members and the links around it. */
export interface MemberPageView {
  readonly list: ListCounts;
  readonly filter: MemberFilter;
  readonly members: readonly Subscriber[];
  /** The cursor of the page after this one (undefined: this is the last). */
  readonly next?: string | undefined;
  /** The cursors of the pages before this one, oldest first ('' is the first page); empty on the first page. */
  readonly back: readonly string[];
  /** The cursor this page started after (undefined: the first page). */
  readonly after?: string | undefined;
  /** A sentence about a query part that was not used (e.g. a field without a value). */
  readonly note?: string | undefined;
}

/** One person's page. */
export interface PersonView {
  readonly list: ListCounts;
  readonly member: Subscriber;
  readonly issues: readonly ReaderIssue[];
  /** How many of the list's issues were looked at (issues without a delivery to this person are not rows). */
  readonly issuesExamined: number;
}

/** The path of a list's members page with this filter and cursor trail. */
export function membersPath(list: string, filter: MemberFilter, after?: string, back: readonly string[] = []): string {
  const query = new URLSearchParams();
  if (filter.addressPrefix) query.set('q', filter.addressPrefix);
  if (filter.status) query.set('status', filter.status);
  if (filter.tag) query.set('tag', filter.tag);
  if (filter.field) {
    query.set('field', filter.field.name);
    query.set('value', filter.field.value);
  }
  if (after !== undefined) query.set('after', after);
  for (const cursor of back) query.append('back', cursor);
  const text = query.toString();
  return `/subscribers/${encodeURIComponent(list)}${text ? `?${text}` : ''}`;
}

/** The path of one person's page. */
export function personPath(list: string, id: string): string {
  return `/subscribers/${encodeURIComponent(list)}/member/${encodeURIComponent(id)}`;
}

const total = (counts: Readonly<Record<SubscriberStatus, number>>) => MEMBER_STATUSES.reduce((sum, s) => sum + counts[s], 0);
const badge = (status: string) =>
  html`<span class="badge ${status === 'subscribed' ? 'valid' : status === 'pending' ? 'scheduled' : 'sent'}">${status}</span>`;

/** The lists, each with its counts by status and a link to its members (at phone width: subscribed and all; the list page has the rest). */
export function listsOverviewPage(lists: readonly ListCounts[], stateDir: string, links: StudioLinks): string {
  const body = html`<h1>Subscribers</h1>
<p class="sub">The local store in <code>${stateDir}</code>. Import more with <code>newsbrief subscribers import FILE.csv --list ID</code>.</p>
<div class="card table-scroll"><table class="rows" data-testid="lists"><caption class="visually-hidden">Lists and their members by status</caption>
<thead><tr><th scope="col">List</th>${MEMBER_STATUSES.map((s) => html`<th scope="col" class="num${s === 'subscribed' ? '' : ' wide'}">${s}</th>`)}<th scope="col" class="num">All</th></tr></thead>
<tbody>${lists.map(
    (list) =>
      html`<tr><th scope="row"><a href="${membersPath(list.id, {})}">${list.displayName}</a> <span class="muted small mono">${list.id}</span></th>${MEMBER_STATUSES.map(
        (s) => html`<td class="num${s === 'subscribed' ? '' : ' wide'}">${list.counts[s].toLocaleString('en-US')}</td>`,
      )}<td class="num">${total(list.counts).toLocaleString('en-US')}</td></tr>`,
  )}</tbody></table></div>`;
  return layout('Subscribers', links, body, undefined);
}

/** One page of a list's members, with the search form, the counts by status and the page links. */
export function membersPage(view: MemberPageView, links: StudioLinks): string {
  const { list, filter } = view;
  const all = total(list.counts);
  const filtered = Boolean(filter.addressPrefix || filter.status || filter.tag || filter.field);
  const previous = view.back.length > 0 ? view.back.at(-1)! : undefined;
  const pager = html`<nav class="pager" aria-label="Member pages">${
    view.after !== undefined
      ? html`<a href="${membersPath(list.id, filter)}" data-testid="first-page">« First</a><a rel="prev" data-testid="previous-page" href="${membersPath(list.id, filter, previous === '' ? undefined : previous, view.back.slice(0, -1))}">‹ Previous ${PAGE_SIZE_TEXT}</a>`
      : ''
  }${view.next !== undefined ? html`<a rel="next" data-testid="next-page" href="${membersPath(list.id, filter, view.next, [...view.back, view.after ?? ''])}">Next ${PAGE_SIZE_TEXT} ›</a>` : ''}</nav>`;
  const body = html`<p class="small"><a href="/subscribers">← All lists</a></p>
<h1>${list.displayName} <span class="muted small mono">${list.id}</span></h1>
<p class="sub" data-testid="counts">${all.toLocaleString('en-US')} members: ${MEMBER_STATUSES.map(
    (s, i) =>
      html`${i > 0 ? ', ' : ''}<a href="${membersPath(list.id, { ...filter, status: s })}" data-status-count="${s}">${list.counts[s].toLocaleString('en-US')} ${s}</a>`,
  )}.</p>
<form class="card search" method="get" action="${membersPath(list.id, {})}" role="search" aria-label="Search members">
<div class="field grow"><label for="q">Address starts with</label><input id="q" name="q" type="search" autocomplete="off" spellcheck="false" value="${filter.addressPrefix ?? ''}"></div>
<div class="field"><label for="status">Status</label><select id="status" name="status"><option value="">Any</option>${MEMBER_STATUSES.map(
    (s) => html`<option value="${s}"${filter.status === s ? html` selected` : ''}>${s}</option>`,
  )}</select></div>
<div class="field"><label for="tag">Tag</label><input id="tag" name="tag" autocomplete="off" value="${filter.tag ?? ''}"></div>
<div class="field"><label for="field">Field</label><input id="field" name="field" autocomplete="off" placeholder="country" value="${filter.field?.name ?? ''}"></div>
<div class="field"><label for="value">Field value</label><input id="value" name="value" autocomplete="off" placeholder="DE" value="${filter.field?.value ?? ''}"></div>
<div class="actions"><button class="btn primary" type="submit">Search</button>${filtered ? html`<a class="btn" href="${membersPath(list.id, {})}">Clear</a>` : ''}</div>
</form>
${view.note ? html`<p class="small muted" role="status">${view.note}</p>` : ''}
<div class="card table-scroll">${
    view.members.length === 0
      ? html`<div class="empty" data-testid="no-members">${filtered ? 'No member matches.' : 'No members.'}</div>`
      : html`<table class="rows" data-testid="members"><caption class="visually-hidden">Members of ${list.displayName}${filtered ? ' that match the search' : ''}</caption>
<thead><tr><th scope="col">Email</th><th scope="col" class="wide">Name</th><th scope="col">Status</th><th scope="col" class="wide">Tags</th></tr></thead>
<tbody>${view.members.map(
          (m) =>
            html`<tr><td class="mono addr"><a href="${personPath(list.id, m.id)}">${m.email}</a></td><td class="wide" dir="auto">${m.firstName ?? ''}</td><td>${badge(m.status)}</td><td class="wide small">${tagsOf(m).join(', ')}</td></tr>`,
        )}</tbody></table>`
  }</div>
${pager}`;
  return layout(`${list.displayName} · Subscribers`, links, body, null);
}

/** One person: data, tags, fields, status as stored, and each issue they were sent. */
export function personPage(view: PersonView, links: StudioLinks): string {
  const { member, list } = view;
  const fields = Object.entries(member.attributes ?? {}).filter(([name]) => name !== TAGS_FIELD);
  const tags = tagsOf(member);
  const left = member.status === 'unsubscribed' || member.status === 'bounced' || member.status === 'complained';
  const leftThrough = view.issues.find((i) => i.leftHere);
  const body = html`<p class="small"><a href="${membersPath(list.id, {})}">← ${list.displayName}</a></p>
<h1 class="addr" data-testid="person-email">${member.email}</h1>
<p class="sub">${badge(member.status)} member of ${list.displayName}</p>
<section class="card pad" aria-labelledby="data-heading"><h2 id="data-heading">Data</h2>
<dl class="facts"><dt>Email</dt><dd class="mono addr">${member.email}</dd><dt>First name</dt><dd dir="auto">${member.firstName ?? html`<span class="muted">—</span>`}</dd>
<dt>Joined</dt><dd class="mono">${member.createdAt}</dd><dt>Tags</dt><dd data-testid="person-tags">${
    tags.length > 0 ? tags.map((t) => html`<span class="chip">${t}</span> `) : html`<span class="muted">none</span>`
  }</dd></dl>
${
  fields.length > 0
    ? html`<table class="rows" data-testid="person-fields"><caption class="visually-hidden">Fields</caption><thead><tr><th scope="col">Field</th><th scope="col">Value</th></tr></thead><tbody>${fields.map(
        ([name, value]) => html`<tr><th scope="row" class="mono">${name}</th><td dir="auto">${value}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="small muted">No fields.</p>`
}</section>
<section class="card pad" aria-labelledby="status-heading" data-testid="person-status"><h2 id="status-heading">Status</h2>
<p>${member.status} since <span class="mono">${member.updatedAt}</span>${
    left
      ? html` — <strong>left the list (${member.status})</strong>${leftThrough ? html` through the unsubscribe link of issue <code>${leftThrough.issue}</code>` : ''}`
      : ''
  }.</p>
<p class="small muted">The store keeps the current status, when it last changed and when the member joined; earlier changes are not stored.</p></section>
<section class="card pad" aria-labelledby="issues-heading"><h2 id="issues-heading">Issues</h2>${
    view.issues.length === 0
      ? html`<p class="muted" data-testid="person-issues-none">No issue was sent to this member yet (${view.issuesExamined} issues of the list looked at).</p>`
      : html`<div class="table-scroll"><table class="rows stack" data-testid="person-issues"><caption class="visually-hidden">Issues sent to this member</caption>
<thead><tr><th scope="col">Issue</th><th scope="col">Received</th><th scope="col">Opened</th><th scope="col">Clicked</th></tr></thead><tbody>${view.issues.map(
          (i) =>
            html`<tr data-issue="${i.issue}"><th scope="row" class="mono"><a href="/reports/${encodeURIComponent(list.id)}/${encodeURIComponent(i.issue)}">${i.issue}</a>${
              i.leftHere ? html`<div class="small">left through this issue</div>` : ''
            }</th><td data-label="Received">${deliveryText(i.delivery)}</td><td data-label="Opened">${
              i.opened === undefined
                ? html`<span class="muted">not tracked</span>`
                : i.opened === 'no'
                  ? 'no'
                  : i.opened === 'human'
                    ? 'yes'
                    : 'machine open only'
            }</td><td data-label="Clicked">${
              i.clicked === undefined
                ? html`<span class="muted">not tracked</span>`
                : i.clicked.length === 0
                  ? i.machineClick
                    ? 'scanner only'
                    : 'no'
                  : html`<ul class="plain">${i.clicked.map((l) => html`<li>#${l.position} ${l.text || l.url}</li>`)}</ul>`
            }</td></tr>`,
        )}</tbody></table></div>
<p class="small muted">Opens and clicks are each reader's first ones, as the engagement ledger claims them (their times are not shown: only click times are kept, for the scanner rule); machine opens and scanner clicks are told apart.</p>`
  }</section>`;
  return layout(`${member.email} · Subscribers`, links, body, null);
}

function deliveryText(delivery: DeliveryRecord): SafeHtml {
  const when = delivery.completedAt ?? delivery.claimedAt;
  return html`${delivery.status} <span class="small muted mono">${when}</span>`;
}
