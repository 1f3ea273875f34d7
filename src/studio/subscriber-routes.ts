/**
 * The Subscribers routes: `/subscribers` (each list's counts by status), `/subscribers/<list>` (a page of 50
 * members after a cursor, searched and filtered by the store's indexed query) and
 * `/subscribers/<list>/member/<id>` (one person). Nothing here reads a whole list: counts come from
 * countByStatus, pages from searchMembers, a person's issues from one lookup per issue of the list.
 */
import { FIELD_NAME_PATTERN } from '../brief/audience.js';
import { READER_CLAIM_PREFIX } from '../engagement/engagement-counters.js';
import { renderedLinks } from '../engagement/rendered-links.js';
import type { Subscriber, SubscriberStatus } from '../model.js';
import type { MemberFilter } from '../ports.js';
import { unsubscribeEventKey } from '../subscribers/unsubscribe.js';
import { respondHtml, respondNotFound } from './http-respond.js';
import type { Route, RouteHandler } from './route-table.js';
import type { StudioContext } from './studio-context.js';
import type { StudioLinks } from './studio-pages.js';
import {
  type ListCounts,
  listsOverviewPage,
  MEMBER_STATUSES,
  MEMBERS_PAGE_SIZE,
  membersPage,
  personPage,
  type ReaderIssueView,
} from './subscriber-pages.js';

/** Store reads one page may take (a store that filters after reading can return short pages). */
const MAX_READS = 20;
/** Cursors kept for the Previous link; older ones fall off (First still works). */
const MAX_BACK = 200;

/** The Subscribers routes, over the studio's context. */
export function subscriberRoutes(ctx: StudioContext, links: StudioLinks): Route[] {
  const linksOf = renderedLinks(ctx.blobs);

  const countsOf = async (id: string): Promise<ListCounts | undefined> => {
    const list = ctx.lists.lists.get(id);
    return list && { id: list.id, displayName: list.displayName, counts: await ctx.store.countByStatus(list.id) };
  };

  const showLists: RouteHandler = async ({ response }) => {
    const lists = await Promise.all([...ctx.lists.lists.keys()].map(async (id) => (await countsOf(id))!));
    respondHtml(response, 200, listsOverviewPage(lists, ctx.stateDir, links));
  };

  const showMembers: RouteHandler = async ({ response, params, url }) => {
    const list = await countsOf(params.list!);
    if (!list) return respondNotFound(response);
    const { filter, note } = filterOf(url.searchParams);
    const after = url.searchParams.get('after') || undefined;
    const back = url.searchParams.getAll('back').slice(-MAX_BACK);
    const members: Subscriber[] = [];
    let cursor = after;
    let next: string | undefined;
    for (let reads = 0; reads < MAX_READS; reads++) {
      const page = await ctx.store.searchMembers(list.id, cursor, MEMBERS_PAGE_SIZE - members.length, filter);
      members.push(...page.subscribers);
      next = cursor = page.next;
      if (next === undefined || members.length >= MEMBERS_PAGE_SIZE) break;
    }
    respondHtml(response, 200, membersPage({ list, filter, members, next, back, after, note }, links));
  };

  const showPerson: RouteHandler = async ({ response, params }) => {
    const list = await countsOf(params.list!);
    const member = list && (await ctx.store.getById(list.id, params.id!));
    if (!list || !member) return respondNotFound(response);
    const config = ctx.lists.lists.get(list.id)!;
    const issues = (await ctx.store.listIssues()).filter((record) => record.list === list.id);
    const rows: ReaderIssueView[] = [];
    for (const record of issues) {
      const issue = { list: list.id, id: record.id };
      const delivery = ctx.store.delivery(issue, member.id);
      if (!delivery) continue;
      const issueLinks = config.tracking?.clicks ? ((await linksOf(issue)) ?? []) : [];
      const claim = (what: string) => `${READER_CLAIM_PREFIX}${what}#${member.id}`;
      const keys = {
        open: claim('open#human'),
        machineOpen: claim('open#machine'),
        machineClick: claim('click#machine'),
        left: unsubscribeEventKey(member.id),
      };
      const linkKeys = issueLinks.map((link) => claim(`link-${link.position}`));
      const found = await ctx.store.claimedAmong(issue, [...Object.values(keys), ...linkKeys]);
      rows.push({
        issue: record.id,
        delivery,
        opened: config.tracking?.opens ? (found.has(keys.open) ? 'human' : found.has(keys.machineOpen) ? 'machine' : 'no') : undefined,
        clicked: config.tracking?.clicks ? issueLinks.filter((_, i) => found.has(linkKeys[i]!)) : undefined,
        machineClick: found.has(keys.machineClick),
        leftHere: found.has(keys.left),
      });
    }
    respondHtml(response, 200, personPage({ list, member, issues: rows.reverse(), issuesExamined: issues.length }, links));
  };

  return [
    { method: 'GET', path: '/subscribers', handler: showLists },
    { method: 'GET', path: '/subscribers/:list', handler: showMembers },
    { method: 'GET', path: '/subscribers/:list/member/:id', handler: showPerson },
  ];
}

/** The filter a query string asks for; parts that cannot be used are dropped, with a note saying so. */
export function filterOf(query: URLSearchParams): { filter: MemberFilter; note?: string } {
  const text = (name: string) => (query.get(name) ?? '').trim();
  const status = text('status');
  const [field, value] = [text('field'), text('value')];
  const notes: string[] = [];
  if (status !== '' && !MEMBER_STATUSES.includes(status as SubscriberStatus))
    notes.push(`"${status}" is not a status; any status is shown.`);
  let fieldFilter: MemberFilter['field'];
  if (field !== '' || value !== '') {
    if (field === '' || value === '') notes.push('A field filter needs both a field name and a value.');
    else if (!FIELD_NAME_PATTERN.test(field)) notes.push(`"${field}" is not a field name (a letter, then letters, digits, "_" or "-").`);
    else fieldFilter = { name: field, value };
  }
  const filter: MemberFilter = {
    ...(text('q') ? { addressPrefix: text('q') } : {}),
    ...(MEMBER_STATUSES.includes(status as SubscriberStatus) ? { status: status as SubscriberStatus } : {}),
    ...(text('tag') ? { tag: text('tag') } : {}),
    ...(fieldFilter ? { field: fieldFilter } : {}),
  };
  return notes.length > 0 ? { filter, note: notes.join(' ') } : { filter };
}
