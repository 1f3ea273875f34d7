/** Writes parsed CSV rows into a subscriber store: the import behind `subscribers import` and the demo seed. */
import type { CsvSubscriber } from './parse-csv.js';
import { transition } from './status-transitions.js';
import type { SubscriberStore } from '../ports.js';

/** What an import changed. */
export interface ImportCounts {
  readonly added: number;
  readonly updated: number;
  /** Rows for people who left (unsubscribed, bounced, complained): their status is kept, with the reason. */
  readonly refused: readonly { readonly email: string; readonly line: number; readonly reason: string }[];
}

/** Upserts every row by the shared status table: an import never re-subscribes someone who left. */
export async function importSubscribers(
  store: SubscriberStore,
  list: string,
  rows: readonly CsvSubscriber[],
  at: string,
): Promise<ImportCounts> {
  let added = 0;
  let updated = 0;
  const refused: { email: string; line: number; reason: string }[] = [];
  for (const row of rows) {
    const existing = await store.get(list, row.email);
    const next = transition(existing?.status, 'import');
    if (next.refused) {
      refused.push({ email: row.email, line: row.line, reason: next.refused });
      continue;
    }
    await store.upsert(
      { list, email: row.email, firstName: row.firstName, attributes: row.attributes, status: next.status ?? 'subscribed' },
      at,
    );
    if (existing) updated++;
    else added++;
  }
  return { added, updated, refused };
}
