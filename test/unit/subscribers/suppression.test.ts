import { describe, expect, it } from 'vitest';
import { suppressionHash } from '../../../src/subscribers/suppression.js';

describe('suppressionHash', () => {
  it('is the same for every spelling of one address, and holds nothing of it', () => {
    const hash = suppressionHash('salt-1', 'Ada@Example.org');
    expect(suppressionHash('salt-1', ' ada@example.ORG ')).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('ada');
  });

  it('differs between deployments (salts) and between addresses', () => {
    expect(suppressionHash('salt-2', 'ada@example.org')).not.toBe(suppressionHash('salt-1', 'ada@example.org'));
    expect(suppressionHash('salt-1', 'bob@example.org')).not.toBe(suppressionHash('salt-1', 'ada@example.org'));
  });
});
