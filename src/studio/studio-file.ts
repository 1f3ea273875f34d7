/**
 * The record a running studio keeps in its state folder (`studio.json`), so that `newsbrief send` can join
 * it: its pid, URL and SES endpoint. Small on purpose: the CLI reads it without loading the studio.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What a running studio records in its state folder. */
export interface StudioFile {
  readonly pid: number;
  readonly url: string;
  readonly sesEndpoint: string;
  readonly inboxUrl: string;
}

const STUDIO_FILE = 'studio.json';

/** Records this process as the state folder's studio. */
export function writeStudioFile(stateDir: string, file: StudioFile): void {
  writeFileSync(join(stateDir, STUDIO_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/** Removes the record, if it is this process's. */
export function removeStudioFile(stateDir: string): void {
  if (readStudioFile(stateDir)?.pid === process.pid) rmSync(join(stateDir, STUDIO_FILE), { force: true });
}

/** The studio recorded in a state folder, if its process is still alive. */
export function findRunningStudio(stateDir: string): StudioFile | undefined {
  const file = readStudioFile(resolve(stateDir));
  if (!file) return undefined;
  try {
    process.kill(file.pid, 0);
    return file;
  } catch (error) {
    // EPERM: alive but someone else's; ESRCH: gone, and its record is stale.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? file : undefined;
  }
}

function readStudioFile(stateDir: string): StudioFile | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, STUDIO_FILE), 'utf8')) as StudioFile;
  } catch {
    return undefined;
  }
}
