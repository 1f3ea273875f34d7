/**
 * One reader's history in a list: for each of the list's recent issues, whether it was delivered to them, whether
 * they opened it, which links they clicked and whether they left through it. Everything comes from what the
 * ledger keeps per reader anyway: the delivery (`delivery#…`, written before sending) and the once-per-reader
 * claims that make opens, clicks and unsubscribes unique (see count-engagement.ts and unsubscribe.ts). So no
 * index and no write on the send path is needed: a few keyed reads per issue looked at.
 */
import type { DeliveryRecord, IssueLink, IssueRecord, IssueRef } from '../model.js';
import { unsubscribeEventKey } from '../subscribers/unsubscribe.js';
import { READER_CLAIM_PREFIX } from './engagement-counters.js';

/** How many of a list's last issues a history looks at. */
export const READER_HISTORY_ISSUES = 24;

/** One issue of a reader's history (only issues that were delivered to them: planned, claimed or sent). */
export interface ReaderIssue {
  readonly issue: string;
  readonly delivery: DeliveryRecord;
  /** Undefined when the list does not track opens. */
  readonly opened?: 'human' | 'machine' | 'no' | undefined;
  /** The links they clicked (none named when the link map could not be read); undefined when the list does not track clicks. */
  readonly clicked?: readonly IssueLink[] | undefined;
  /** True when they clicked any link (a person, not a scanner), known even without the link map. */
  readonly clickedAny: boolean;
  /** True when a scanner clicked (machine clicks are kept apart and have no per-link reader claim). */
  readonly machineClick: boolean;
  /** True when they left through this issue's unsubscribe link. */
  readonly leftHere: boolean;
}

/** What the ledger holds for one reader and one issue: the delivery, and which of the asked claim keys exist. */
export interface ReaderRecords {
  readonly delivery?: DeliveryRecord | undefined;
  readonly claims: ReadonlySet<string>;
}

/** What reading a history needs; each ledger answers it with its own reads (keyed, never a scan). */
export interface ReaderHistoryDeps {
  /** At most `limit` issues of `list`, newest first. */
  readonly recentIssues: (list: string, limit: number) => Promise<readonly IssueRef[]>;
  /** Per ask, in order: the reader's delivery of the issue and which of `claimKeys` are claimed on it. */
  readonly readerRecords: (
    subscriberId: string,
    asks: readonly { readonly issue: IssueRef; readonly claimKeys: readonly string[] }[],
  ) => Promise<readonly ReaderRecords[]>;
  /** The issue's link map (for clicks by link); undefined when unknown. */
  readonly links: (issue: IssueRef) => Promise<readonly IssueLink[] | undefined>;
}

/** The reader's history, newest issue first; `examined` is how many of the list's issues were looked at. */
export async function readReaderHistory(
  deps: ReaderHistoryDeps,
  reader: { readonly list: string; readonly id: string },
  tracking: { readonly opens: boolean; readonly clicks: boolean },
  limit = READER_HISTORY_ISSUES,
): Promise<{ readonly issues: readonly ReaderIssue[]; readonly examined: number }> {
  const issues = await deps.recentIssues(reader.list, limit);
  const claim = (what: string) => `${READER_CLAIM_PREFIX}${what}#${reader.id}`;
  const keys = {
    open: claim('open#human'),
    machineOpen: claim('open#machine'),
    click: claim('click#human'),
    machineClick: claim('click#machine'),
    left: unsubscribeEventKey(reader.id),
  };
  const linksOf = await Promise.all(issues.map(async (issue) => (tracking.clicks ? ((await deps.links(issue)) ?? []) : [])));
  const linkKeysOf = linksOf.map((links) => links.map((link) => claim(`link-${link.position}`)));
  const records = await deps.readerRecords(
    reader.id,
    issues.map((issue, i) => ({ issue, claimKeys: [...Object.values(keys), ...linkKeysOf[i]!] })),
  );
  const rows: ReaderIssue[] = [];
  issues.forEach((issue, i) => {
    const { delivery, claims } = records[i] ?? { claims: new Set<string>() };
    if (!delivery) return;
    rows.push({
      issue: issue.id,
      delivery,
      opened: tracking.opens ? (claims.has(keys.open) ? 'human' : claims.has(keys.machineOpen) ? 'machine' : 'no') : undefined,
      clicked: tracking.clicks ? linksOf[i]!.filter((_, n) => claims.has(linkKeysOf[i]![n]!)) : undefined,
      clickedAny: tracking.clicks && claims.has(keys.click),
      machineClick: claims.has(keys.machineClick),
      leftHere: claims.has(keys.left),
    });
  });
  return { issues: rows, examined: issues.length };
}

/** The `limit` most recent of `records` that belong to `list`, newest first (for stores that hold every issue at hand). */
export function recentIssuesAmong(
  records: readonly Pick<IssueRecord, 'list' | 'id' | 'claimedAt'>[],
  list: string,
  limit: number,
): IssueRef[] {
  // ISO 8601 timestamps in UTC compare as strings.
  return records
    .filter((r) => r.list === list)
    .sort((a, b) => b.claimedAt.localeCompare(a.claimedAt))
    .slice(0, limit)
    .map((r) => ({ list: r.list, id: r.id }));
}

/** A store that keeps every issue, delivery and claim at hand (local state, the studio's): what its history reads. */
export interface ReaderHistoryStore {
  listIssues(): Promise<readonly Pick<IssueRecord, 'list' | 'id' | 'claimedAt'>[]>;
  delivery(issue: IssueRef, subscriberId: string): DeliveryRecord | undefined;
  claimedAmong(issue: IssueRef, keys: readonly string[]): Promise<ReadonlySet<string>>;
}

/** History deps over such a store, with the issues' link maps from `links`. */
export function readerHistoryOfStore(store: ReaderHistoryStore, links: ReaderHistoryDeps['links']): ReaderHistoryDeps {
  return {
    recentIssues: async (list, limit) => recentIssuesAmong(await store.listIssues(), list, limit),
    readerRecords: (subscriberId, asks) =>
      Promise.all(
        asks.map(async ({ issue, claimKeys }) => ({
          delivery: store.delivery(issue, subscriberId),
          claims: await store.claimedAmong(issue, claimKeys),
        })),
      ),
    links,
  };
}
