/**
 * Local mode's files, for the CLI commands that send nothing: where the state folder, the lists, the briefs
 * and the signing keys are, and the store and blobs kept in the state folder. It loads no SDK, so that
 * `newsbrief validate`, `status` or `report` start fast; src/wiring/local.ts, the whole local composition
 * with SES, builds on it. Commands reach local adapters only through these two modules.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { loadKeyringFile } from '../adapters/local/files.js';
import { importAppendLog, STORE_FILE } from '../adapters/local/append-log-import.js';
import { LocalStore, STATE_DB_FILE } from '../adapters/local/local-store.js';
import type { Keyring } from '../deliver/tokens.js';

export {
  checkOutputFile,
  checkOutputFolder,
  DEFAULT_LISTS_FILE,
  KeyringMissingError,
  loadListsFile,
  readBriefFile,
  readInputFile,
  rotateKeyringFile,
} from '../adapters/local/files.js';
export { ListsFileStore } from '../adapters/local/lists-file-store.js';
export { systemClock } from '../adapters/system-clock.js';
export type { LocalStore } from '../adapters/local/local-store.js';

/** The state folder when none is given. */
export const DEFAULT_STATE_DIR = '.newsbrief';

/** The signing keyring's file in a state folder. */
export const KEYRING_FILE = 'keys.json';

/** Where the local inbox keeps every message the embedded SES took, one .eml each, so that it survives restarts. */
export const INBOX_DIR = 'inbox';

/**
 * What in a state folder shows it was used: subscribers or a ledger (the database, or the log of older
 * versions), a seeded demo, rendered issues, schedules. Links mailed from such a folder were signed with its keyring.
 */
const DATA_ENTRIES = [STATE_DB_FILE, STORE_FILE, 'seeded', 'blobs', 'schedules', INBOX_DIR];

/** Whether the state folder holds anything that mailed links could depend on. */
export function stateHasData(stateDir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return false;
  }
  // A folder counts once it holds something: adapters create theirs empty when they are built.
  return DATA_ENTRIES.some((name) => names.includes(name) && !isEmptyFolder(join(stateDir, name)));
}

function isEmptyFolder(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false; // a file
  }
}

/** The keyring of a state folder: created with a fresh key id when the folder is new, refused when it was lost. */
export function openKeyring(stateDir: string, path: string = join(stateDir, KEYRING_FILE)): Keyring {
  return loadKeyringFile(path, { createIfMissing: !stateHasData(stateDir), stateDir });
}

/** Creates the state folder if needed and refuses one this process cannot write, naming it. */
export function checkStateFolder(stateDir: string): void {
  try {
    mkdirSync(stateDir, { recursive: true });
    accessSync(stateDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'it is not writable by this user'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'it is not a folder'
          : (error as Error).message;
    throw new Error(`cannot use the state folder ${stateDir}: ${why} (give another with --state DIR)`);
  }
  for (const name of [STATE_DB_FILE, STORE_FILE]) {
    const store = join(stateDir, name);
    if (!existsSync(store)) continue;
    try {
      accessSync(store, constants.R_OK | constants.W_OK);
    } catch {
      throw new Error(`cannot use the store ${store}: it is not writable by this user`);
    }
  }
}

/**
 * The embedded store of a state folder (its database): subscribers, ledger and feedback. Errors name the
 * database file. In a brand-new folder the keyring is made first, with the store: a folder holding
 * subscribers but no keyring then always means that the keyring was lost, never that it was not made yet.
 * A folder of an older version is moved into the database on its first open, and `notice` is told so once.
 */
export function openLocalStore(stateDir: string, notice: (line: string) => void = (line) => console.error(line)): LocalStore {
  const dir = resolve(stateDir);
  if (!stateHasData(dir) && !existsSync(join(dir, KEYRING_FILE))) openKeyring(dir);
  const store = new LocalStore(dir);
  try {
    const moved = importAppendLog(store, dir);
    if (moved)
      notice(
        `moved ${moved.subscribers} subscriber(s), ${moved.issues} issue(s) and ${moved.deliveries} delivery record(s) from ${moved.from} into ${store.path}; the old file is kept as ${moved.backup}`,
      );
  } catch (error) {
    store.close();
    throw new Error(`cannot move the old store ${join(dir, STORE_FILE)} into ${store.path}: ${(error as Error).message}`, { cause: error });
  }
  return store;
}

/** The blobs of a state folder (rendered issues, reports, archive pages), as files under blobs/. */
export function openLocalBlobs(stateDir: string): FileBlobStore {
  return new FileBlobStore(join(stateDir, 'blobs'));
}
