import { describe, expect, it } from 'vitest';
import { findMergeTags } from '../../../src/brief/merge-tags.js';
import { parseBrief } from '../../../src/brief/parse-brief.js';
import { personalize } from '../../../src/deliver/personalize.js';
import { renderIssue } from '../../../src/render/render-issue.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { planScopeOf } from '../../../src/schedule/plan-scope.js';
import { testLists } from '../../support/fakes.js';
import { briefText, KNOWN_LISTS } from '../../support/fixtures.js';

const problemsOf = (overrides: Record<string, unknown>) => {
  const result = parseBrief(briefText(overrides), { knownLists: KNOWN_LISTS });
  return result.ok ? [] : result.problems;
};

async function rendered(subject: string, headline: string) {
  const parsed = parseBrief(briefText({ subject, stories: [{ headline, paragraphs: [`From ${headline}`] }] }), { knownLists: KNOWN_LISTS });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return renderIssue(parsed.brief, testLists.lists.get('weekly')!);
}

const reader = (attributes?: Record<string, string>) => ({ id: 'r1', email: 'ada@example.org', firstName: 'Ada', attributes });

describe('field merge tags', () => {
  it('reads {{fields.name}} and {{fields.name|fallback}}', () => {
    expect(
      findMergeTags('In {{fields.city}} or {{fields.home_town|your town}}').map(({ name, field, fallback }) => ({ name, field, fallback })),
    ).toEqual([
      { name: 'field', field: 'city', fallback: undefined },
      { name: 'field', field: 'home_town', fallback: 'your town' },
    ]);
    expect(problemsOf({ subject: 'News for {{fields.city|your city}}' })).toEqual([]);
  });

  it.each([
    ['Hi {{fields.}}', 'is not a field name'],
    ['Hi {{fields.home town}}', '"home town" is not a field name'],
    ['Hi {{fields.1st}}', 'is not a field name'],
    ['Hi {{fields.tags}}', 'names the tags'],
    ['Hi {{field.city}}', 'did you mean {{fields.city}}'],
    ['Hi {{Fields.city}}', 'did you mean {{fields.city}}'],
    ['Hi {{city}}', 'is written {{fields.city}}'],
    ['Hi {{fields.city|a|b}}', 'more than one "|"'],
  ])('refuses %j with the pointer of the text that holds it', (text, why) => {
    const problems = problemsOf({ subject: text, stories: [{ headline: 'h', sections: [{ heading: 'x', bullets: [text] }] }] });
    expect(problems.map((p) => p.pointer)).toEqual(['/subject', '/stories/0/sections/0/bullets/0']);
    expect(problems[0]!.message).toContain(why);
  });

  it('fills a field escaped for HTML, raw in the text part, and one line in the subject', async () => {
    const issue = await rendered('For {{fields.city|you}}', 'News from {{fields.city|your city}}');
    const content = personalize(issue, reader({ city: 'Zürich <script>alert(1)</script> & "co"\r\nBcc: x' }), 'https://u.example/t');
    expect(content.html).toContain('News from Zürich &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot; Bcc: x');
    expect(content.html).not.toContain('<script>');
    expect(content.text).toContain('News from Zürich <script>alert(1)</script> & "co" Bcc: x');
    expect(content.subject).not.toMatch(/[\r\n]/);
    expect(content.subject).toContain('For Zürich');
  });

  it('uses the fallback for a reader without the field, with a blank one, and for the public copy', async () => {
    const issue = await rendered('Subject', 'News from {{fields.city|your <own> city}}, {{fields.country}}!');
    for (const attributes of [undefined, {}, { city: '  ', country: '' }, { other: 'x' }]) {
      const content = personalize(issue, reader(attributes), 'https://u.example/t');
      expect(content.html).toContain('News from your &lt;own&gt; city, !');
      expect(content.text).toContain('News from your <own> city, !');
    }
    const web = fillTemplate(issue.html, {
      email: '',
      unsubscribeUrl: 'https://s.example',
      audience: 'public',
      fields: { city: 'Berlin' },
    });
    expect(web).toContain('News from your &lt;own&gt; city');
    expect(web).not.toContain('Berlin');
  });

  it('does not take a field from the prototype chain', async () => {
    const issue = await rendered('Subject', 'Value: {{fields.constructor|none}}');
    expect(personalize(issue, reader({}), 'https://u.example/t').text).toContain('Value: none');
    expect(personalize(issue, reader({ constructor: 'mine' }), 'https://u.example/t').text).toContain('Value: mine');
  });

  it('tells planning which fields the issue fills, each once', async () => {
    const issue = await rendered('For {{fields.city|you}}', 'In {{fields.country}}, {{fields.city}}');
    expect(planScopeOf(issue)).toEqual({ fields: ['city', 'country'] });
  });
});
