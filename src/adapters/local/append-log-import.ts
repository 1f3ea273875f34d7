/**
 * The one-time move of an old state folder's `store.jsonl` (the JSON-lines log that local mode kept before
 * its database) into the database: replayed by the old reader (AppendLog and the in-process ledger's
 * events), written in one transaction, then kept beside it as a backup. This is the only reader of that
 * format left.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { IssueRef, Subscriber } from '../../model.js';
import { emailKey } from '../../subscribers/email-address.js';
import { mergeCaseDuplicates } from '../../subscribers/merge-case-duplicates.js';
import { InProcessLedger, type LedgerEvent } from '../memory/in-process-ledger.js';
import { AppendLog } from './append-log.js';
import type { LocalStore } from './local-store.js';

/** File name of the old log inside the state folder. */
export const STORE_FILE = 'store.jsonl';

/** A line of the old log: a subscriber as it then was, or a ledger event. */
type LogRecord = { readonly t: 'sub'; readonly s: Subscriber } | LedgerEvent;

/** What was moved, for the one line that says so. */
export interface AppendLogImport {
  readonly from: string;
  readonly backup: string;
  readonly subscribers: number;
  readonly issues: number;
  readonly deliveries: number;
}

/** The backup name of the old log: `store.jsonl.bak`, or with a number when that exists. */
function backupPath(file: string): string {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${file}.bak` : `${file}.${n}.bak`;
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * Moves `<stateDir>/store.jsonl` into the store once: everything in one transaction, the file renamed to a
 * backup before it commits (and back if it does not), so that two processes opening the folder at once
 * import it once. Undefined when there is no old log.
 */
export function importAppendLog(store: LocalStore, stateDir: string): AppendLogImport | undefined {
  const file = join(stateDir, STORE_FILE);
  if (!existsSync(file)) return undefined;
  let moved: string | undefined;
  try {
    return store.transaction(() =>
      moveLog(store, file, (backup) => {
        moved = backup;
      }),
    );
  } catch (error) {
    if (moved !== undefined && !existsSync(file)) renameSync(moved, file);
    throw error;
  }
}

/** Replays the old log into the store (inside its transaction) and renames it to its backup. */
function moveLog(store: LocalStore, file: string, onMoved: (backup: string) => void): AppendLogImport | undefined {
  // Checked again under the write lock: another process may have moved it while this one waited.
  if (!existsSync(file)) return undefined;
  const subscribers = new Map<string, Subscriber>();
  let log: AppendLog<LogRecord> | undefined;
  const ledger = new InProcessLedger((applyLedger) => {
    log = new AppendLog<LogRecord>(file, (record) => {
      if (record.t === 'sub') subscribers.set(`${record.s.list}#${record.s.email}`, record.s);
      else applyLedger(record);
    });
    return log;
  });
  log!.refresh();

  // The old log keyed addresses case-sensitively: case variants of one address become one member now.
  const byKey = new Map<string, Subscriber[]>();
  for (const subscriber of subscribers.values()) {
    const key = `${subscriber.list}#${emailKey(subscriber.email)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), subscriber]);
  }
  const at = new Date().toISOString();
  for (const found of byKey.values()) store.writeSubscriber(found.length === 1 ? found[0]! : mergeCaseDuplicates(found, at));
  const refs = new Map<string, IssueRef>();
  for (const record of ledger.issues.values()) {
    refs.set(`${record.list}#${record.id}`, { list: record.list, id: record.id });
    store.writeIssue(record);
  }
  // Keys are `<list>#<issue>#<subscriber id>`: ids are random base64url, so the last `#` ends the issue.
  for (const [key, record] of ledger.deliveries) {
    const cut = key.lastIndexOf('#');
    store.writeDelivery(issueRefOf(key.slice(0, cut), refs), key.slice(cut + 1), record);
  }
  for (const [key, health] of ledger.health) store.writeHealth(issueRefOf(key, refs), health);
  for (const key of ledger.feedbackKeys) {
    // `<list>#<issue>#<event key>`: the issue is the longest known issue key it starts with.
    const issueKey = [...ledger.health.keys()].filter((k) => key.startsWith(`${k}#`)).sort((a, b) => b.length - a.length)[0];
    if (issueKey !== undefined) store.writeFeedbackKey(issueRefOf(issueKey, refs), key.slice(issueKey.length + 1));
  }
  // Confirmation claims are not moved: they only throttled mails of the last minutes, and are counted differently now.
  const backup = backupPath(file);
  renameSync(file, backup);
  onMoved(backup);
  return { from: file, backup, subscribers: byKey.size, issues: ledger.issues.size, deliveries: ledger.deliveries.size };
}

/** The issue of an old log key `<list>#<issue>`: the known record's, or split at the first `#`. */
function issueRefOf(key: string, known: ReadonlyMap<string, IssueRef>): IssueRef {
  const found = known.get(key);
  if (found) return found;
  const cut = key.indexOf('#');
  return { list: key.slice(0, cut), id: key.slice(cut + 1) };
}
