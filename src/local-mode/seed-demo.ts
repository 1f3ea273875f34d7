/** A new state folder starts with the demo subscribers in every list, so that the first send works at once. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSubscribersCsv } from '../subscribers/parse-csv.js';
import { hasLocalStore, type LocalDeps } from '../wiring/local.js';
import { importSubscribers } from '../subscribers/import-subscribers.js';

/** The demo subscribers shipped with the project. */
export const DEMO_SUBSCRIBERS_CSV = new URL('../../config/demo-subscribers.csv', import.meta.url).pathname;
const SEEDED_MARKER = 'seeded';

/** Whether the state folder is new (no store yet, never seeded): check before the store is first written. */
export function isNewStateDir(stateDir: string): boolean {
  return !existsSync(join(stateDir, SEEDED_MARKER)) && !hasLocalStore(stateDir);
}

/**
 * Imports the CSV into every configured list and marks the folder, once: a reader who unsubscribes, or an
 * editor who imports a real list first, is never overridden by the demo. Returns a line to print.
 */
export async function seedDemoSubscribers(deps: LocalDeps, stateDir: string, csvPath: string = DEMO_SUBSCRIBERS_CSV): Promise<string> {
  const parsed = parseSubscribersCsv(readFileSync(csvPath, 'utf8'));
  const at = new Date(deps.clock.now()).toISOString();
  for (const list of deps.lists.lists.keys()) await importSubscribers(deps.store, list, parsed.subscribers, at);
  writeFileSync(join(stateDir, SEEDED_MARKER), `${at}\n`);
  return `new state folder: seeded ${parsed.subscribers.length} demo subscribers into every list (${[...deps.lists.lists.keys()].join(', ')})`;
}
