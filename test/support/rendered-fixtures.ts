/**
 * What each checked-in rendered issue (test/fixtures/rendered/NAME.json) is rendered from: a brief and its
 * list from config/lists.json. scripts/render-fixtures.ts writes them; rendered-fixtures.test.ts checks them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidBrief } from '../../src/brief/brief-schema.js';
import { parseBrief } from '../../src/brief/parse-brief.js';
import type { ListConfig } from '../../src/config/lists.js';
import type { RenderOptions } from '../../src/render/render-issue.js';
import { CONFIRMATION_RENDER_OPTIONS, confirmationBrief } from '../../src/subscribers/confirmation-brief.js';
import { briefText, FIXTURE_CONFIRM_URL, FIXTURES, KNOWN_LISTS, LISTS, validExample } from './fixtures.js';

/** A brief and the list it is rendered for. */
export interface RenderedFixtureSpec {
  readonly brief: ValidBrief;
  readonly list: ListConfig;
  /** How it is rendered (the confirmation mail has no web copy); renderIssue's defaults when absent. */
  readonly options?: RenderOptions;
}

function forBrief(brief: ValidBrief): RenderedFixtureSpec {
  return { brief, list: LISTS.lists.get(brief.list)! };
}

function fromText(text: string): RenderedFixtureSpec {
  const parsed = parseBrief(text, { knownLists: KNOWN_LISTS });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return forBrief(parsed.brief);
}

/** Every rendered fixture by name: each valid example under its file name, and the briefs tests build. */
export function renderedFixtureSpecs(): Record<string, RenderedFixtureSpec> {
  const specs: Record<string, RenderedFixtureSpec> = {};
  for (const file of readdirSync(join(FIXTURES, 'valid')).filter((f) => f.endsWith('.json')))
    specs[file.replace(/\.json$/, '')] = forBrief(validExample(file));
  // archive-page.test.ts: a brief with merge tags in the subject, a headline and a paragraph, and the plain base brief.
  specs['merge-tags'] = fromText(
    briefText({ subject: 'Hi {{firstName|reader}}', stories: [{ headline: 'For {{firstName|you}}', paragraphs: ['Sent to {{email}}.'] }] }),
  );
  specs['base-brief'] = fromText(briefText());
  // subscribe.test.ts: the confirmation mail, with a placeholder link that confirmationFixture replaces.
  const weekly = LISTS.lists.get('weekly')!;
  specs['confirmation-weekly'] = {
    brief: confirmationBrief(weekly, FIXTURE_CONFIRM_URL),
    list: weekly,
    options: CONFIRMATION_RENDER_OPTIONS,
  };
  // The same mail for the right-to-left list: its language, its direction, its footer.
  const arabic = LISTS.lists.get('arabic-weekly')!;
  specs['confirmation-arabic-weekly'] = {
    brief: confirmationBrief(arabic, FIXTURE_CONFIRM_URL),
    list: arabic,
    options: CONFIRMATION_RENDER_OPTIONS,
  };
  return specs;
}
