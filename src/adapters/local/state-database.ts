/**
 * Local mode's one database file (node:sqlite, built into Node ≥ 22.13: nothing native to build). WAL mode
 * lets readers run beside one writer, and `busy_timeout` makes a writer wait for another process's
 * transaction instead of failing: the studio and a CLI share a state folder with no lock files. The schema
 * is versioned by `user_version` and moved forward by the migrations below, each in its own transaction.
 */
import { DatabaseSync } from 'node:sqlite';
import { setFlagsFromString } from 'node:v8';

/** File name of the database inside the state folder. */
export const STATE_DB_FILE = 'state.db';

/** How long a write waits for another process's transaction before it gives up (ms). */
const BUSY_TIMEOUT_MS = 15_000;

/** Raised when the state database cannot be opened or read: damaged, not a database, or unwritable; names the file. */
export class StateDatabaseError extends Error {
  override readonly name = 'StateDatabaseError';
}

// SQLite's primary result codes that are about the file, not the statement: say which file.
const SQLITE_BUSY = 5;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** SQLite's primary result code of an error from node:sqlite (undefined for other errors). */
const primaryCode = (error: unknown): number | undefined => {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
};

/** Whether an error from node:sqlite says the database file is damaged or is no database. */
export function isCorruptionError(error: unknown): boolean {
  const code = primaryCode(error);
  return code === SQLITE_CORRUPT || code === SQLITE_NOTADB;
}

/** Whether an error is about the file (damaged, or held by another process too long) rather than a statement. */
const isFileError = (error: unknown) => isCorruptionError(error) || primaryCode(error) === SQLITE_BUSY;

/**
 * The schema, one step per version: never edit a step that shipped, append one. Step i moves a database
 * from user_version i to i + 1. Rows keep their JSON documents (the ports' records) beside the columns that
 * are searched or counted, so that a new optional field needs no migration.
 */
const MIGRATIONS: readonly string[] = [
  // Subscribers live in a rowid table, so that an import appends its rows; only the two small indexes take
  // random inserts. Counts by status are kept by triggers, so that counting a million is one row read.
  `CREATE TABLE subscribers (
     list TEXT NOT NULL,
     key TEXT NOT NULL,
     email TEXT NOT NULL,
     id TEXT NOT NULL,
     status TEXT NOT NULL,
     first_name TEXT,
     attributes TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX subscribers_by_key ON subscribers (list, key);
   CREATE UNIQUE INDEX subscribers_by_id ON subscribers (list, id);
   CREATE TABLE subscriber_counts (
     list TEXT NOT NULL,
     status TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (list, status)
   ) WITHOUT ROWID;
   CREATE TRIGGER subscribers_counted_in AFTER INSERT ON subscribers BEGIN
     INSERT INTO subscriber_counts (list, status, n) VALUES (new.list, new.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
   END;
   CREATE TRIGGER subscribers_counted_out AFTER DELETE ON subscribers BEGIN
     UPDATE subscriber_counts SET n = n - 1 WHERE list = old.list AND status = old.status;
   END;
   CREATE TRIGGER subscribers_counted_again AFTER UPDATE OF list, status ON subscribers
     WHEN old.list IS NOT new.list OR old.status IS NOT new.status BEGIN
     UPDATE subscriber_counts SET n = n - 1 WHERE list = old.list AND status = old.status;
     INSERT INTO subscriber_counts (list, status, n) VALUES (new.list, new.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
   END;
   CREATE TABLE issues (
     list TEXT NOT NULL,
     id TEXT NOT NULL,
     claimed_at TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (list, id)
   ) WITHOUT ROWID;
   CREATE TABLE deliveries (
     list TEXT NOT NULL,
     issue TEXT NOT NULL,
     subscriber_id TEXT NOT NULL,
     status TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (list, issue, subscriber_id)
   ) WITHOUT ROWID;
   CREATE TABLE feedback (
     list TEXT NOT NULL,
     issue TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (list, issue)
   ) WITHOUT ROWID;
   CREATE TABLE feedback_events (
     list TEXT NOT NULL,
     issue TEXT NOT NULL,
     event_key TEXT NOT NULL,
     PRIMARY KEY (list, issue, event_key)
   ) WITHOUT ROWID;
   CREATE TABLE counters (
     key TEXT NOT NULL,
     window_start INTEGER NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (key, window_start)
   ) WITHOUT ROWID;
   CREATE TABLE suppressions (
     hash TEXT PRIMARY KEY,
     at TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE settings (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) WITHOUT ROWID;`,
  // New members are counted by the code that inserts them, once per batch (LocalStore.writeSubscriber and
  // createMany): a trigger ran an upsert of the counts row per inserted row, about a quarter of a bulk import's
  // insert time. Updates and deletes, one row at a time, are still counted by their triggers.
  `DROP TRIGGER subscribers_counted_in;`,
];

let youngGenerationKept = false;

/**
 * Keeps V8's young generation at its starting size in a process that uses local state. An import holds a batch
 * of 20,000 rows across several scavenges, and a local send keeps its messages in flight likewise; V8 reads that
 * as a high survival rate and doubles the young generation up to 128 MiB, which is then never given back: a
 * 1M-row import peaked at 420–440 MiB of RSS (of which 128 MiB young generation), a 20,000-message send at
 * 445 MiB. Kept small, the survivors are promoted once instead of copied again and again: less CPU, not more
 * (measured on 400k rows: 47k → 59k rows per CPU-second, peak RSS 376 → 237 MiB; `subscribers import` of 1M rows
 * peaks at about 290 MiB). The growth factor is read whenever V8 resizes, so setting it after start takes effect
 * (max-semi-space-size would not; a young generation grown before the first open stays as it is, which is why
 * bin/newsbrief.js sets the same flag on its first line: loading the CLI grew it to 64 MiB before a send opened
 * its state, 360 instead of 313 MiB peak for 6,000 messages); process-wide, once.
 */
export function keepYoungGenerationSmall(): void {
  if (youngGenerationKept) return;
  youngGenerationKept = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** The schema's steps, for tests that make a database of an older version. */
export const MIGRATIONS_FOR_TESTS = MIGRATIONS;

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** An open state database with its file's name, and transactions that name the file when it turns out damaged. */
export class StateDatabase {
  private depth = 0;

  private constructor(
    readonly db: DatabaseSync,
    readonly path: string,
  ) {}

  /** Opens (creating) the database at `path`, sets it up and migrates it; every failure names the file. */
  static open(path: string): StateDatabase {
    keepYoungGenerationSmall();
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      const state = new StateDatabase(db, path);
      // busy_timeout first: switching to WAL itself waits for a writer in another process.
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.exec('PRAGMA journal_mode = WAL');
      // In WAL mode NORMAL loses no committed transaction when a process dies (kill -9): the log is in the
      // OS's hands; only a power cut can roll back the last few, never corrupt the file.
      db.exec('PRAGMA synchronous = NORMAL');
      // A million subscribers' indexes stay in memory (64 MiB instead of 2): an import or a plan page reads
      // no page twice from the file. Checkpoints every 200 MiB of log rather than 4: a bulk import rewrites
      // most index pages in every batch, and a checkpoint copies each page once however often it was logged
      // (measured at 1M rows: 40 MiB checkpoints cost 12% more CPU and 18% more time). After a checkpoint the
      // log file is cut back to 64 MiB, so that the folder does not keep the import's peak for good.
      db.exec('PRAGMA cache_size = -65536');
      db.exec('PRAGMA wal_autocheckpoint = 50000');
      db.exec('PRAGMA journal_size_limit = 67108864');
      db.exec('PRAGMA foreign_keys = ON');
      state.migrate();
      return state;
    } catch (error) {
      db?.close();
      throw StateDatabase.explain(path, error);
    }
  }

  /** The error to show for `error` met on the database at `path`: one sentence naming the file. */
  static explain(path: string, error: unknown): Error {
    if (error instanceof StateDatabaseError) return error;
    const message = (error as Error).message;
    const why = isCorruptionError(error)
      ? `it is damaged or not a newsbrief database (${message}); restore it from a backup, or move it away to start afresh`
      : primaryCode(error) === SQLITE_BUSY
        ? `another newsbrief (a studio or a send) kept it locked for ${BUSY_TIMEOUT_MS / 1000} s (${message})`
        : message;
    return new StateDatabaseError(`cannot use the state database ${path}: ${why}`, { cause: error });
  }

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE: the write lock first, so that a check and its write see no other writer). Nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.guard(() => this.db.exec('BEGIN IMMEDIATE'));
    this.depth++;
    try {
      const result = fn();
      this.guard(() => this.db.exec('COMMIT'));
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw isFileError(error) ? StateDatabase.explain(this.path, error) : error;
    } finally {
      this.depth--;
    }
  }

  /** Runs a read, turning a damaged file's error into one that names it. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw isFileError(error) ? StateDatabase.explain(this.path, error) : error;
    }
  }

  /** Closes the file (later calls fail). */
  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private migrate(): void {
    const version = Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    if (version > SCHEMA_VERSION)
      throw new StateDatabaseError(
        `cannot use the state database ${this.path}: it has schema version ${version}, newer than this newsbrief knows (${SCHEMA_VERSION}); update newsbrief`,
      );
    for (let step = version; step < SCHEMA_VERSION; step++) {
      this.transaction(() => {
        // Another process may have migrated while this one waited for the write lock.
        const now = Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
        if (now > step) return;
        this.db.exec(MIGRATIONS[step]!);
        this.db.exec(`PRAGMA user_version = ${step + 1}`);
      });
    }
  }
}
