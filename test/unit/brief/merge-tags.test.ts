import { describe, expect, it } from 'vitest';
import { parseBrief } from '../../../src/brief/parse-brief.js';
import { findMergeTags, scanMergeTags } from '../../../src/brief/merge-tags.js';
import { briefText, KNOWN_LISTS } from '../../support/fixtures.js';

const problemsOf = (overrides: Record<string, unknown>) => {
  const result = parseBrief(briefText(overrides), { knownLists: KNOWN_LISTS });
  return result.ok ? [] : result.problems;
};

describe('merge-tag grammar', () => {
  it.each([
    ['Good morning, {{firstName}!', 'is not closed'],
    ['Good morning, {{firstName, and welcome', 'is not closed'],
    ['Good morning, {{firstName|there}!', 'is not closed'],
    ['Hi {{firstName|{{email}}}}', 'cannot be nested'],
    ['Hi {{firstName} and {{email}}', 'is not closed'],
    ['Hi {firstName}}', 'closes no merge tag'],
    ['Hi {{{firstName}}}', 'stray brace'],
    ['Hi {{}}', 'names no field'],
    ['Hi {{firstname}}', 'did you mean {{firstName}}'],
    ['Hi {{first_name|there}}', 'did you mean {{firstName}}'],
    ['Hi {{password}}', 'is unknown'],
    ['Hi {{firstName|a|b}}', 'more than one "|"'],
    ['Hi {{email|nobody}}', 'takes no fallback'],
  ])('refuses %j with the field pointer and what would be accepted', (subject, why) => {
    const problems = problemsOf({ subject, stories: [{ headline: 'h', paragraphs: [subject] }] });
    expect(problems.map((p) => p.pointer)).toEqual(['/subject', '/stories/0/paragraphs/0']);
    expect(problems[0]!.message).toContain(why);
    expect(problems[0]!.message).toMatch(/\{\{firstName\|?[a-z]*\}\}|\{\{email\}\}/);
  });

  it.each([
    'Hi {{firstName}}',
    'Hi {{ firstName | dear reader }}',
    'Sent to {{email}}.',
    'Braces { alone } are text',
    '{{firstName|}} and {{email}}',
  ])('accepts %j', (subject) => {
    expect(problemsOf({ subject })).toEqual([]);
  });

  it('reads the tags of a well-formed text with their fallbacks and places', () => {
    expect(findMergeTags('Hi {{ firstName | dear reader }}, {{email}}')).toEqual([
      { name: 'firstName', fallback: 'dear reader', start: 3, end: 32 },
      { name: 'email', fallback: undefined, start: 34, end: 43 },
    ]);
    expect(scanMergeTags('{{firstName|}}').tags[0]!.fallback).toBeUndefined();
  });
});
