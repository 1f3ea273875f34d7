/** The checked-in rendered issues that send-path tests start from are what the renderer makes today. */
import { describe, expect, it } from 'vitest';
import { type RenderedIssue, renderIssue } from '../../../src/render/render-issue.js';
import type { Template } from '../../../src/render/slots.js';
import { renderConfirmation } from '../../../src/subscribers/confirmation-brief.js';
import { confirmationFixture, LISTS, renderedFixture } from '../../support/fixtures.js';
import { renderedFixtureSpecs } from '../../support/rendered-fixtures.js';

const specs = renderedFixtureSpecs();

describe('rendered fixtures (test/fixtures/rendered; npm run fixtures:rendered rewrites them)', () => {
  it.each(Object.keys(specs))('%s is what renderIssue makes of its brief today', async (name) => {
    const { brief, list, options } = specs[name]!;
    expect(renderedFixture(name), `test/fixtures/rendered/${name}.json is out of date: run npm run fixtures:rendered`).toEqual(
      JSON.parse(JSON.stringify(await renderIssue(brief, list, options))),
    );
  });

  it('gives the confirmation mail renderConfirmation renders for a real link (the text part wraps at other places)', async () => {
    const weekly = LISTS.lists.get('weekly')!;
    const url = 'https://news.example.com/confirm?t=v1.abc_DEF-123&list=weekly';
    const words = (template: Template) => ({ ...template, parts: template.parts.map((part) => part.replace(/\s+/g, ' ')) });
    const fixture = await confirmationFixture(weekly, url);
    const rendered = JSON.parse(JSON.stringify(await renderConfirmation(weekly, url))) as RenderedIssue;
    expect({ ...fixture, text: words(fixture.text) }).toEqual({ ...rendered, text: words(rendered.text) });
    expect(fixture.html.parts.join('')).toContain('href="https://news.example.com/confirm?t=v1.abc_DEF-123&amp;list=weekly"');
  });
});
