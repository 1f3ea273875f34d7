/** Local file access shared by the CLI and the studio: briefs read with the size limit, config documents. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, readSync, closeSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAX_BRIEF_BYTES } from '../../brief/brief-schema.js';
import { type ListsConfig, parseListsConfig } from '../../config/lists.js';
import { type Keyring, parseKeyring } from '../../deliver/tokens.js';

/** The lists configuration shipped in the repository (config/lists.json). */
export const DEFAULT_LISTS_FILE = new URL('../../../config/lists.json', import.meta.url).pathname;

/** Reads at most MAX_BRIEF_BYTES + 1 bytes: enough to tell that a brief is too large without reading all of it. */
export function readBriefFile(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(MAX_BRIEF_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Loads and checks a lists configuration file. */
export function loadListsFile(path: string = DEFAULT_LISTS_FILE): ListsConfig {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the lists configuration ${path}: ${(error as Error).message}`);
  }
  return parseListsConfig(document, path);
}

/**
 * Loads the local signing keyring, creating one with a fresh random key on first use. It lives in the
 * git-ignored state folder, so no secret is ever committed; on AWS the keyring is in Secrets Manager.
 */
export function loadOrCreateKeyringFile(path: string): Keyring {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ current: 'dev1', dev1: randomBytes(32).toString('base64url') }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  try {
    return parseKeyring(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`the keyring ${path} is unusable: ${(error as Error).message}`);
  }
}
