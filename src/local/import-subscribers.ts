/** Writes parsed CSV rows into a subscriber store: the import behind `subscribers import` and the demo seed. */
import type { CsvSubscriber } from '../subscribers/parse-csv.js';
import type { SubscriberStatus, SubscriberStore } from '../ports.js';

/** What an import changed. */
export interface ImportCounts {
  readonly added: number;
  readonly updated: number;
  /** Rows for people who had left (unsubscribed, bounced, complained): their details are updated, their status is not. */
  readonly keptSuppressed: number;
}

const SUPPRESSED: ReadonlySet<SubscriberStatus> = new Set(['unsubscribed', 'bounced', 'complained']);

/** Upserts every row as subscribed, except that an import never re-subscribes someone who left. */
export async function importSubscribers(store: SubscriberStore, list: string, rows: readonly CsvSubscriber[], at: string): Promise<ImportCounts> {
  let added = 0;
  let updated = 0;
  let keptSuppressed = 0;
  for (const row of rows) {
    const existing = await store.get(list, row.email);
    const status = existing && SUPPRESSED.has(existing.status) ? existing.status : 'subscribed';
    await store.upsert({ list, email: row.email, firstName: row.firstName, attributes: row.attributes, status }, at);
    if (!existing) added++;
    else if (status !== 'subscribed') keptSuppressed++;
    else updated++;
  }
  return { added, updated, keptSuppressed };
}
