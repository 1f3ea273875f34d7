/**
 * `npm run fixtures:rendered`: writes test/fixtures/rendered/NAME.json, each issue exactly as the renderer makes
 * it now (see test/support/rendered-fixtures.ts). Run it after changing the templates or the renderer;
 * test/unit/render/rendered-fixtures.test.ts fails until then.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderIssue } from '../src/render/render-issue.js';
import { RENDERED_FIXTURES } from '../test/support/fixtures.js';
import { renderedFixtureSpecs } from '../test/support/rendered-fixtures.js';

const specs = renderedFixtureSpecs();
mkdirSync(RENDERED_FIXTURES, { recursive: true });
for (const file of readdirSync(RENDERED_FIXTURES)) if (!(file.replace(/\.json$/, '') in specs)) rmSync(join(RENDERED_FIXTURES, file));
for (const [name, { brief, list, options }] of Object.entries(specs)) {
  writeFileSync(join(RENDERED_FIXTURES, `${name}.json`), `${JSON.stringify(await renderIssue(brief, list, options), null, 1)}\n`);
}
console.log(`wrote ${Object.keys(specs).length} rendered issues to ${RENDERED_FIXTURES}`);
