/**
 * Local file access shared by the CLI and the studio: every file a person names is checked before it is read
 * (a regular file, within its size limit), config documents, and the signing keyring of a state folder.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { MAX_BRIEF_BYTES } from '../../brief/brief-schema.js';
import { type ListsConfig, parseListsConfig } from '../../config/lists.js';
import { type Keyring, parseKeyring } from '../../deliver/tokens.js';

/** The lists configuration shipped in the repository (config/lists.json). */
export const DEFAULT_LISTS_FILE = new URL('../../../config/lists.json', import.meta.url).pathname;

/** A lists configuration is a small JSON document; anything larger is not one. */
const MAX_LISTS_BYTES = 1024 * 1024;

/** What a file argument must be, said in the error when it is something else. */
export interface InputKind {
  /** "a brief (.json file)", "a subscriber CSV file" … */
  readonly what: string;
  /** Larger files are refused with both sizes (briefs: read one byte past, so that validation reports it). */
  readonly maxBytes: number;
}

/**
 * Opens a file a person named, only if it is a regular file: a folder, a named pipe or a device is refused by
 * name at once. Opened non-blocking, so that even a pipe swapped in after a check never holds the process.
 */
function openRegularFile(path: string, kind: InputKind): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot read ${path}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`cannot read ${path}: permission denied`);
    if (code === 'EISDIR') throw new Error(`cannot read ${path}: it is a folder; give ${kind.what}`);
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new Error(`cannot read ${path}: it is ${kindOf(stats)}, not a file; give ${kind.what}`);
  }
  return { fd, stats };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Reads up to `limit` bytes of an open file. */
function readUpTo(fd: number, limit: number): Buffer {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
  return buffer.subarray(0, length);
}

/** Reads at most MAX_BRIEF_BYTES + 1 bytes: enough to tell that a brief is too large without reading all of it. */
export function readBriefFile(path: string): Uint8Array {
  const { fd } = openRegularFile(path, { what: 'a brief (a .json file)', maxBytes: MAX_BRIEF_BYTES });
  try {
    return readUpTo(fd, MAX_BRIEF_BYTES + 1);
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole text file a person named, refusing anything but a regular file within `kind.maxBytes`. */
export function readInputFile(path: string, kind: InputKind): string {
  const { fd, stats } = openRegularFile(path, kind);
  try {
    if (stats.size > kind.maxBytes)
      throw new Error(`cannot read ${path}: it has ${megabytes(stats.size)}; ${kind.what} may have at most ${megabytes(kind.maxBytes)}`);
    return readUpTo(fd, kind.maxBytes + 1).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Refuses an output path that names a folder (or any other thing a file cannot be written over). */
export function checkOutputFile(path: string): void {
  const stats = statSync(path, { throwIfNoEntry: false }); // Not there yet: it is created.
  if (stats?.isDirectory()) throw new Error(`cannot write ${path}: it is a folder; give a file name`);
}

/** Refuses an output folder that is a file. */
export function checkOutputFolder(path: string): void {
  const stats = statSync(path, { throwIfNoEntry: false }); // Not there yet: it is created.
  if (stats && !stats.isDirectory())
    throw new Error(`cannot write into ${path}: it is ${stats.isFile() ? 'a file' : kindOf(stats)}; give a folder`);
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** Loads and checks a lists configuration file. */
export function loadListsFile(path: string = DEFAULT_LISTS_FILE): ListsConfig {
  let document: unknown;
  try {
    document = JSON.parse(readInputFile(path, { what: 'a lists configuration (a .json file)', maxBytes: MAX_LISTS_BYTES }));
  } catch (error) {
    throw new Error(`cannot read the lists configuration ${path}: ${(error as Error).message.replace(`cannot read ${path}: `, '')}`);
  }
  return parseListsConfig(document, path);
}

/** Raised when a state folder that holds data has lost its keyring: making a new one would break every mailed link. */
export class KeyringMissingError extends Error {
  override readonly name = 'KeyringMissingError';
}

/**
 * A key id that was never used before: the date and random bits. Never "dev1" again: a link signed with a lost
 * key must fail as "unknown key id", not verify against a different secret of the same name.
 */
export function newKeyId(now: Date = new Date()): string {
  return `k${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Loads the local signing keyring. It lives in the git-ignored state folder, so no secret is ever committed; on
 * AWS the keyring is in Secrets Manager. Missing, it is created only when `createIfMissing` (a brand-new state
 * folder): where subscribers and sent issues exist, every link already mailed was signed with the lost file's
 * keys, so a silent new key would break them all; the error says how to restore it or start a new key on purpose.
 */
export function loadKeyringFile(path: string, options: { createIfMissing: boolean; stateDir?: string }): Keyring {
  if (!existsSync(path)) {
    if (!options.createIfMissing) {
      const state = options.stateDir ?? dirname(path);
      throw new KeyringMissingError(
        `the signing keyring ${path} is missing, but ${state} already holds subscribers or sent issues: every unsubscribe link mailed so far was signed with a key from that file. ` +
          `Restore the file from a backup (those links keep working), or run "newsbrief keys rotate --state ${state}" to start a new keyring with a new key id (links mailed before stop working).`,
      );
    }
    writeKeyringDocument(path, newKeyringDocument({}), { exclusive: true });
  }
  try {
    return parseKeyring(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`the keyring ${path} is unusable: ${(error as Error).message}`);
  }
}

/**
 * Adds a new key with a fresh id and makes it current, keeping every old key (so links already mailed keep
 * working); creates the file when it is missing. Returns the new id and the ids kept.
 */
export function rotateKeyringFile(path: string, now: Date = new Date()): { readonly current: string; readonly kept: readonly string[] } {
  let existing: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      const document = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      parseKeyring(document);
      existing = document;
    } catch (error) {
      throw new Error(`the keyring ${path} is unusable, so no key was added to it (fix or move it first): ${(error as Error).message}`);
    }
  }
  const document = newKeyringDocument(existing, now);
  writeKeyringDocument(path, document, { exclusive: false });
  const { current, ...keys } = document;
  return { current: current as string, kept: Object.keys(keys).filter((id) => id !== current) };
}

function newKeyringDocument(existing: Record<string, unknown>, now: Date = new Date()): Record<string, unknown> {
  let id = newKeyId(now);
  while (id in existing) id = newKeyId(now);
  const { current: _previous, ...keys } = existing;
  return { current: id, ...keys, [id]: randomBytes(32).toString('base64url') };
}

// Written whole and renamed into place (never half a keyring); `exclusive`: two processes creating the first
// keyring at once keep the first one's.
function writeKeyringDocument(path: string, document: Record<string, unknown>, { exclusive }: { exclusive: boolean }): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (exclusive) {
    try {
      writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}
