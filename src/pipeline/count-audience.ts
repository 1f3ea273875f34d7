/**
 * Counting an audience's members with the subscriber store, page by page in flat memory: intake asks
 * whether a brief's audience reaches anybody before it renders, schedules or sends anything.
 */
import { matchesAudience } from '../brief/audience.js';
import type { Audience } from '../model.js';
import type { SubscriberStore } from '../ports.js';

/** How a count went: `matched` members of `examined` subscribed ones; `complete` false when it stopped at `stopAt`. */
export interface AudienceCount {
  readonly matched: number;
  readonly examined: number;
  readonly complete: boolean;
}

/** How to count. */
export interface CountOptions {
  /** Members read per page (default 1,000). */
  readonly pageSize?: number;
  /** Stop once this many matched (intake needs to know only that someone does); default: count all. */
  readonly stopAt?: number;
}

/** Counts the subscribed members of `list` in `audience` (all of them when it is undefined). */
export async function countAudience(
  store: Pick<SubscriberStore, 'pageSubscribed'>,
  list: string,
  audience: Audience | undefined,
  options: CountOptions = {},
): Promise<AudienceCount> {
  const pageSize = options.pageSize ?? 1000;
  const stopAt = options.stopAt ?? Number.POSITIVE_INFINITY;
  let matched = 0;
  let examined = 0;
  let cursor: string | undefined;
  do {
    // A page may come back empty with a cursor (a filtered query whose page held no subscribed member): go on.
    const page = await store.pageSubscribed(list, cursor, pageSize);
    for (const member of page.subscribers) {
      examined++;
      if (matchesAudience(member, audience) && ++matched >= stopAt) return { matched, examined, complete: false };
    }
    cursor = page.next;
  } while (cursor !== undefined);
  return { matched, examined, complete: true };
}
