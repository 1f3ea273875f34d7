import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { briefJsonSchema } from '../../../src/brief/brief-schema.js';

describe('brief.schema.json', () => {
  it('is the schema the code exports (run `npx newsbrief schema > brief.schema.json` after changing the format)', () => {
    const checkedIn = JSON.parse(readFileSync(new URL('../../../brief.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(checkedIn).toEqual(briefJsonSchema());
  });

  it('refuses unknown fields at every level, as the validator does', () => {
    const schema = briefJsonSchema() as {
      additionalProperties?: boolean;
      properties: Record<string, { items?: { additionalProperties?: boolean } }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.stories?.items?.additionalProperties).toBe(false);
  });
});
