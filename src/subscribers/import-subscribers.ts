/**
 * Writes CSV rows into a list: the import behind `subscribers import` and the demo seed. Rows are taken in
 * batches (default 1,000): one batched read of the members they name and of the suppression list, a decision
 * per row (decideImportRow), then the batch's writes at once — new members in bulk (SubscriberAdmin.createMany:
 * BatchWriteItem on DynamoDB), changed ones each by a conditional replace. A batch is read while the one before
 * it is written, unless they share an address: a row repeated in a later batch always reads what the earlier
 * one wrote. At most two batches are held, so memory stays flat whatever the file's size.
 */
import type { Subscriber, SubscriberInput } from '../model.js';
import type { SubscriberAdmin } from '../ports.js';
import { emailKey } from './email-address.js';
import { decideImportRow } from './decide-import-row.js';
import { type CsvItem, type CsvProblem, type CsvSubscriber, mergeCsvRows } from './parse-csv.js';
import { suppressionHash } from './suppression.js';

/** What an import changed. */
export interface ImportCounts {
  readonly added: number;
  readonly updated: number;
  /** Members the file names as they already are: nothing written. */
  readonly unchanged: number;
  /** Rows merged into another row of the same address (same batch; across batches the later row updates). */
  readonly merged: number;
  /** Rows for people who left (unsubscribed, bounced, complained): their status is kept, with the reason (at most `maxListed`). */
  readonly refused: readonly { readonly email: string; readonly line: number; readonly reason: string }[];
  /** All such rows, listed or not. */
  readonly refusedTotal: number;
  /** Rows for addresses that were forgotten on request (`subscribers forget`): never imported again (at most `maxListed`). */
  readonly suppressed: readonly { readonly line: number }[];
  /** All such rows, listed or not. */
  readonly suppressedTotal: number;
  /** Invalid rows, by line (at most `maxListed`; `invalid` counts them all). */
  readonly problems: readonly CsvProblem[];
  readonly invalid: number;
}

/** Where a running import stands (after each batch). */
export interface ImportProgress {
  /** Rows taken so far (valid or not). */
  readonly rows: number;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly invalid: number;
}

/** How an import runs. */
export interface ImportOptions {
  /** Rows read, decided and written together (default 1,000). */
  readonly batchSize?: number;
  /** Conditional replaces in flight at once (default 16). */
  readonly concurrency?: number;
  /** Problems listed at most (default 10,000; all are counted). */
  readonly maxListed?: number;
  /** Called after each batch. */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
}

// A member that changed between our read and our conditional write is read and decided again, a few times.
const REPLACE_ATTEMPTS = 5;

/**
 * Imports rows (or rows and problems, as SubscriberCsvReader yields them) into `list`: never re-subscribes
 * someone who left, never imports a forgotten address, keeps each member's id and creation time.
 */
export async function importSubscribers(
  store: SubscriberAdmin,
  list: string,
  rows: Iterable<CsvItem | CsvSubscriber> | AsyncIterable<CsvItem | CsvSubscriber>,
  at: string,
  options: ImportOptions = {},
): Promise<ImportCounts> {
  const batchSize = options.batchSize ?? 1000;
  const maxListed = options.maxListed ?? 10_000;
  const counts = { added: 0, updated: 0, unchanged: 0, merged: 0, invalid: 0, rows: 0, refused: 0, suppressed: 0 };
  const refused: { email: string; line: number; reason: string }[] = [];
  const suppressed: { line: number }[] = [];
  // Lists are capped so that memory stays flat even when most rows of a huge file are refused.
  const refuse = (row: CsvSubscriber, reason: string) => {
    if (counts.refused++ < maxListed) refused.push({ email: row.email, line: row.line, reason });
  };
  const problems: CsvProblem[] = [];
  const salt = await store.suppressionSalt(false);

  // Reads what a batch names and decides each row; returns the writes, to run once the previous batch's are done.
  const readBatch = async (batch: Map<string, CsvSubscriber>): Promise<() => Promise<void>> => {
    const members = [...batch.values()];
    const hashes = salt === undefined ? [] : members.map((m) => suppressionHash(salt, m.email));
    const [existing, gone] = await Promise.all([
      store.getMany(
        list,
        members.map((m) => m.email),
      ),
      hashes.length > 0 ? store.suppressedAmong(hashes) : Promise.resolve(new Set<string>()),
    ]);
    const creates: SubscriberInput[] = [];
    const replaces: CsvSubscriber[] = [];
    for (const [i, row] of members.entries()) {
      if (gone.has(hashes[i]!)) {
        if (counts.suppressed++ < maxListed) suppressed.push({ line: row.line });
        continue;
      }
      const decision = decideImportRow(existing.get(emailKey(row.email)), row, list, at);
      if (decision.kind === 'create') creates.push(decision.input);
      else if (decision.kind === 'replace') replaces.push(row);
      else if (decision.kind === 'unchanged') counts.unchanged++;
      else refuse(row, decision.reason);
    }
    return async () => {
      await Promise.all([
        store.createMany(creates, at).then(() => {
          counts.added += creates.length;
        }),
        inParallel(replaces, options.concurrency ?? 16, (row) => replaceRow(row, existing.get(emailKey(row.email))!)),
      ]);
      options.onProgress?.({
        rows: counts.rows,
        added: counts.added,
        updated: counts.updated,
        unchanged: counts.unchanged,
        invalid: counts.invalid,
      });
    };
  };

  // Decides and writes one changed member, reading it again whenever someone else wrote it in between.
  const replaceRow = async (row: CsvSubscriber, read: Subscriber) => {
    let current: Subscriber | undefined = read;
    for (let attempt = 1; ; attempt++) {
      const decision = decideImportRow(current, row, list, at);
      if (decision.kind === 'unchanged') return void counts.unchanged++;
      if (decision.kind === 'refused') return refuse(row, decision.reason);
      if (decision.kind === 'create') {
        await store.createMany([decision.input], at);
        return void counts.added++;
      }
      if (await store.replaceIfUnchanged(decision.subscriber, current!.updatedAt)) return void counts.updated++;
      if (attempt >= REPLACE_ATTEMPTS) throw new Error(`line ${row.line}: the member kept changing while it was imported; import again`);
      current = (await store.getMany(list, [row.email])).get(emailKey(row.email));
    }
  };

  // One batch's writes run while the next batch is parsed and read (the client's work overlaps the table's),
  // unless the next batch names an address being written: then it waits, so that it reads what was written.
  let writing: { keys: ReadonlySet<string>; done: Promise<void> } | undefined;
  const flush = async (batch: Map<string, CsvSubscriber>) => {
    if (writing && [...batch.keys()].some((key) => writing!.keys.has(key))) await writing.done;
    const write = await readBatch(batch);
    await writing?.done;
    const done = write();
    done.catch(() => {}); // awaited by the next flush or at the end; this only keeps it from counting as unhandled meanwhile
    const current = { keys: new Set(batch.keys()), done };
    writing = current;
    // Written: let the batch go (its rows, reads and decisions), so that a store that writes at once (local
    // mode's database) holds one batch at a time rather than two.
    done.then(
      () => {
        if (writing === current) writing = undefined;
      },
      () => {},
    );
  };
  let batch = new Map<string, CsvSubscriber>();
  for await (const item of rows) {
    counts.rows++;
    if ('problem' in item) {
      counts.invalid++;
      if (problems.length < maxListed) problems.push(item.problem);
      continue;
    }
    const row = 'subscriber' in item ? item.subscriber : item;
    const key = emailKey(row.email);
    const earlier = batch.get(key);
    if (earlier) counts.merged++;
    batch.set(key, earlier ? mergeCsvRows(earlier, row) : row);
    if (batch.size >= batchSize) {
      await flush(batch);
      batch = new Map();
    }
  }
  if (batch.size > 0) await flush(batch);
  await writing?.done;
  return {
    added: counts.added,
    updated: counts.updated,
    unchanged: counts.unchanged,
    merged: counts.merged,
    refused,
    refusedTotal: counts.refused,
    suppressed,
    suppressedTotal: counts.suppressed,
    problems,
    invalid: counts.invalid,
  };
}

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
