import { describe, expect, it } from 'vitest';
import { audienceInWords, describeAudience, matchesAudience, tagsOf } from '../../../src/brief/audience.js';
import { briefJsonSchema } from '../../../src/brief/brief-schema.js';
import { parseBrief } from '../../../src/brief/parse-brief.js';
import { briefText, KNOWN_LISTS } from '../../support/fixtures.js';

const parse = (audience: unknown) => parseBrief(briefText({ audience }), { knownLists: KNOWN_LISTS });
const problemsOf = (audience: unknown) => {
  const result = parse(audience);
  return result.ok ? [] : result.problems.map((p) => `${p.pointer} ${p.message}`);
};

describe('the audience grammar', () => {
  it('accepts tags, fields, or both', () => {
    for (const audience of [
      { tags: ['premium'] },
      { fields: { country: ['DE', 'AT'] } },
      { tags: ['Premium', 'vip'], fields: { country: ['DE'], plan: ['pro'] } },
    ]) {
      const result = parse(audience);
      expect(result.ok && result.brief.audience).toEqual(audience);
    }
  });

  it.each([
    [{}, '/audience names no tags and no fields'],
    [{ tags: [] }, '/audience/tags must have at least 1 tag'],
    [{ tags: ['two words'] }, '/audience/tags/0 "two words" is not a tag'],
    [{ tags: ['a;b'] }, '/audience/tags/0 "a;b" is not a tag'],
    [{ tags: 'premium' }, '/audience/tags must be a list'],
    [{ fields: { country: [] } }, '/audience/fields/country must have at least 1 value'],
    [{ fields: { country: 'DE' } }, '/audience/fields/country must be a list'],
    [{ fields: { 'home town': ['x'] } }, '/audience/fields/home town is not a field name'],
    [{ fields: { tags: ['premium'] } }, '/audience/fields/tags is where tags are kept'],
    [{ fields: { country: [''] } }, '/audience/fields/country/0 must be a non-empty string'],
    [{ tag: ['premium'] }, '/audience/tag is not a field of the brief format (did you mean "tags"?)'],
    [[], '/audience must be an object'],
  ])('refuses %j with its pointer', (audience, problem) => {
    expect(problemsOf(audience).join('\n')).toContain(problem);
  });

  it('refuses more than 10 fields', () => {
    const fields = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, ['x']]));
    expect(problemsOf({ fields })).toEqual(['/audience/fields names 11 fields; at most 10']);
  });

  it('is described in the published JSON Schema, closed to other keys', () => {
    const audience = (briefJsonSchema() as { properties: Record<string, any> }).properties.audience;
    expect(audience.additionalProperties).toBe(false);
    expect(audience.description).toContain('ANY of `tags`, and ALL of `fields`');
    expect(audience.properties.tags.items.pattern).toBeDefined();
    expect(audience.properties.fields.propertyNames.pattern).toBe('^[A-Za-z][A-Za-z0-9_-]{0,63}$');
    expect(audience.properties.fields.additionalProperties).toMatchObject({ type: 'array', minItems: 1 });
  });
});

describe('matching a member', () => {
  const member = (attributes?: Record<string, string>) => ({ attributes });

  it('matches any of the tags, case-insensitively', () => {
    expect(matchesAudience(member({ tags: 'free;vip' }), { tags: ['premium', 'VIP'] })).toBe(true);
    expect(matchesAudience(member({ tags: 'free' }), { tags: ['premium', 'vip'] })).toBe(false);
    expect(matchesAudience(member(), { tags: ['premium'] })).toBe(false);
  });

  it('needs every field, each with one of its values', () => {
    const audience = { fields: { country: ['DE', 'AT'], plan: ['pro'] } };
    expect(matchesAudience(member({ country: ' at ', plan: 'PRO' }), audience)).toBe(true);
    expect(matchesAudience(member({ country: 'DE' }), audience)).toBe(false);
    expect(matchesAudience(member({ country: 'FR', plan: 'pro' }), audience)).toBe(false);
    expect(matchesAudience(member({}), { fields: { constructor: ['x'] } })).toBe(false);
  });

  it('needs the tags AND the fields when both are given; no audience is everyone', () => {
    const audience = { tags: ['premium'], fields: { country: ['DE'] } };
    expect(matchesAudience(member({ tags: 'premium', country: 'DE' }), audience)).toBe(true);
    expect(matchesAudience(member({ tags: 'premium', country: 'FR' }), audience)).toBe(false);
    expect(matchesAudience(member({ country: 'DE' }), audience)).toBe(false);
    expect(matchesAudience(member(), undefined)).toBe(true);
  });

  it('reads tags from the tags field and describes an audience in words', () => {
    expect(tagsOf(member({ tags: ' Premium ;; vip' }))).toEqual(['premium', 'vip']);
    expect(describeAudience({ tags: ['premium'], fields: { country: ['DE', 'AT'] } })).toBe('tag premium, country DE or AT');
  });

  it('says an audience as a report does: "or" within a part, "and" before the last part', () => {
    expect(audienceInWords({ tags: ['premium', 'vip'], fields: { country: ['DE', 'AT'] } })).toBe(
      'tagged premium or vip, and country DE or AT',
    );
    expect(audienceInWords({ tags: ['premium'] })).toBe('tagged premium');
    expect(audienceInWords({ fields: { country: ['DE'] } })).toBe('country DE');
    expect(audienceInWords({ tags: ['a'], fields: { country: ['DE'], plan: ['pro', 'team'] } })).toBe(
      'tagged a, country DE, and plan pro or team',
    );
  });
});
