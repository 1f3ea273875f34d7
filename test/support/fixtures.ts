/** The shared example briefs (copied from the team's examples) and the example lists, for every kind of test. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBrief } from '../../src/brief/parse-brief.js';
import type { ValidBrief } from '../../src/brief/brief-schema.js';
import { loadListsFile } from '../../src/adapters/local/files.js';
import type { ListConfig } from '../../src/config/lists.js';
import { escapeHtml } from '../../src/render/escape.js';
import type { RenderedIssue } from '../../src/render/render-issue.js';
import type { Template } from '../../src/render/slots.js';
import { renderedKeyOf } from '../../src/config/bucket-layout.js';
import { startIssue, type StartDeps, type StartResult } from '../../src/schedule/start-issue.js';

export const FIXTURES = new URL('../fixtures', import.meta.url).pathname;
export const LISTS = loadListsFile();
export const KNOWN_LISTS = [...LISTS.lists.keys()];

/** File names of the examples in test/fixtures/valid or invalid. */
export function exampleFiles(kind: 'valid' | 'invalid'): string[] {
  return readdirSync(join(FIXTURES, kind))
    .filter((f) => f.endsWith('.json'))
    .sort();
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
  return JSON.stringify({
    version: 1,
    id: 'test-issue',
    list: 'weekly',
    subject: 'Subject',
    stories: [{ headline: 'Headline' }],
    ...overrides,
  });
}

/** Where the checked-in rendered issues are (see rendered-fixtures.ts; `npm run fixtures:rendered` writes them). */
export const RENDERED_FIXTURES = join(FIXTURES, 'rendered');

/**
 * An issue exactly as the renderer makes it today, from test/fixtures/rendered: send-path tests start from it
 * and so never load MJML. test/unit/render/rendered-fixtures.test.ts proves each file is the renderer's output.
 */
export function renderedFixture(name: string): RenderedIssue {
  return JSON.parse(readFileSync(join(RENDERED_FIXTURES, `${name}.json`), 'utf8')) as RenderedIssue;
}

/** The confirmation link the `confirmation-weekly` fixture was rendered with; confirmationFixture puts the real one in. */
export const FIXTURE_CONFIRM_URL = 'https://confirm.invalid/fixture-confirm-url';

/**
 * The double opt-in confirmation mail of `weekly` for `confirmUrl`, as renderConfirmation renders it (a
 * RenderConfirmation) except where the plain-text part wraps around the link.
 */
export async function confirmationFixture(list: ListConfig, confirmUrl: string): Promise<RenderedIssue> {
  if (list.id !== 'weekly') throw new Error(`only the weekly list has a confirmation fixture, not ${list.id}`);
  const issue = renderedFixture('confirmation-weekly');
  const put = (template: Template, url: string): Template => ({
    ...template,
    parts: template.parts.map((part) => part.replaceAll(FIXTURE_CONFIRM_URL, url)),
  });
  return { ...issue, html: put(issue.html, escapeHtml(confirmUrl)), text: put(issue.text, confirmUrl) };
}

/**
 * What intake leaves behind for a brief that sends now, from a rendered fixture instead of MJML: the issue
 * stored at its rendered key and started (claimed, archive page published, first plan page enqueued).
 */
export async function startFixtureIssue(deps: StartDeps, name: string, source = `briefs/${name}.json`): Promise<StartResult> {
  const rendered = renderedFixture(name);
  const issue = { list: rendered.list, id: rendered.id };
  const renderedKey = renderedKeyOf(issue);
  await deps.blobs.put(renderedKey, JSON.stringify(rendered), 'application/json');
  return startIssue(deps, { issue, renderedKey, source });
}
