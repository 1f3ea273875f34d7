/**
 * The Subscribers routes: `/subscribers` (each list's counts by status), `/subscribers/<list>` (a page of 50
 * members after a cursor, searched and filtered by the store's indexed query) and
 * `/subscribers/<list>/member/<id>` (one person). Nothing here reads a whole list: counts come from
 * countByStatus, pages from searchMembers, a person's issues from one lookup per issue of the list.
 */
import { FIELD_NAME_PATTERN } from '../brief/audience.js';
import { readerHistoryOfStore, readReaderHistory } from '../engagement/reader-history.js';
import { renderedLinks } from '../engagement/rendered-links.js';
import type { Subscriber, SubscriberStatus } from '../model.js';
import type { MemberFilter } from '../ports.js';
import { respondHtml, respondNotFound } from './http-respond.js';
import type { Route, RouteHandler } from './route-table.js';
import type { StudioContext } from './studio-context.js';
import type { StudioLinks } from './studio-pages.js';
import { type ListCounts, listsOverviewPage, MEMBER_STATUSES, MEMBERS_PAGE_SIZE, membersPage, personPage } from './subscriber-pages.js';

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
    const tracking = ctx.lists.lists.get(list.id)!.tracking;
    // Every issue of the list: local state keeps them all at hand (AWS reads the last ones, see readReaderHistory).
    const { issues, examined } = await readReaderHistory(
      readerHistoryOfStore(ctx.store, linksOf),
      member,
      { opens: tracking?.opens === true, clicks: tracking?.clicks === true },
      Number.POSITIVE_INFINITY,
    );
    respondHtml(response, 200, personPage({ list, member, issues, issuesExamined: examined }, links));
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
