/**
 * Local mode's files, for the CLI commands that send nothing: where the state folder, the lists, the briefs
 * and the signing keys are, and the store and blobs kept in the state folder. It loads no SDK, so that
 * `newsbrief validate`, `status` or `report` start fast; src/wiring/local.ts, the whole local composition
 * with SES, builds on it. Commands reach local adapters only through these two modules.
 */
import { join } from 'node:path';
import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { LocalStore } from '../adapters/local/local-store.js';

export { DEFAULT_LISTS_FILE, loadListsFile, loadOrCreateKeyringFile, readBriefFile } from '../adapters/local/files.js';
export { systemClock } from '../adapters/system-clock.js';
export type { LocalStore } from '../adapters/local/local-store.js';

/** The state folder when none is given. */
export const DEFAULT_STATE_DIR = '.newsbrief';

/** The embedded store of a state folder: subscribers, ledger and feedback. */
export function openLocalStore(stateDir: string): LocalStore {
  return new LocalStore(stateDir);
}

/** The blobs of a state folder (rendered issues, reports, archive pages), as files under blobs/. */
export function openLocalBlobs(stateDir: string): FileBlobStore {
  return new FileBlobStore(join(stateDir, 'blobs'));
}
