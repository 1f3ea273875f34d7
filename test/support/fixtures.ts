/** The shared example briefs (copied from the team's examples) and the example lists, for every kind of test. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBrief } from '../../src/brief/parse-brief.js';
import type { ValidBrief } from '../../src/brief/brief-schema.js';
import { loadListsFile } from '../../src/adapters/local/files.js';

export const FIXTURES = new URL('../fixtures', import.meta.url).pathname;
export const LISTS = loadListsFile();
export const KNOWN_LISTS = [...LISTS.lists.keys()];

/** File names of the examples in test/fixtures/valid or invalid. */
export function exampleFiles(kind: 'valid' | 'invalid'): string[] {
  return readdirSync(join(FIXTURES, kind)).filter((f) => f.endsWith('.json')).sort();
}

/** Reads a fixture as bytes. */
export function readFixture(relative: string): Buffer {
  return readFileSync(join(FIXTURES, relative));
}

/** Parses a valid example, failing loudly if it is not valid. */
export function validExample(name: string): ValidBrief {
  const result = parseBrief(readFixture(`valid/${name}`), { knownLists: KNOWN_LISTS, sourceName: name });
  if (!result.ok) throw new Error(`${name} should be valid: ${JSON.stringify(result.problems)}`);
  return result.brief;
}

/** A brief built from a small valid base with overrides, as a JSON string. */
export function briefText(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, id: 'test-issue', list: 'weekly', subject: 'Subject', stories: [{ headline: 'Headline' }], ...overrides });
}
