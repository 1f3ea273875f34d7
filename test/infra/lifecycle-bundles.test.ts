import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_ENTRIES } from '../../lib/subscriber-lifecycle.js';
import { bundleContents } from '../support/bundle-inputs.js';

const inputsOf = async (entry: string): Promise<string[]> => (await bundleContents(entry)).inputs;

describe('lifecycle bundles', () => {
  it.each([
    ['unsubscribe', DEFAULT_LIFECYCLE_ENTRIES.unsubscribe],
    ['feedback', DEFAULT_LIFECYCLE_ENTRIES.feedback],
  ])('%s bundles without MJML (answers fast on a cold start)', async (_, entry) => {
    const inputs = await inputsOf(entry);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.filter((path) => /(^|\/)node_modules\/mjml/.test(path))).toEqual([]);
  }, 60_000);

  it('subscribe bundles, MJML included (it renders the confirmation mail)', async () => {
    const inputs = await inputsOf(DEFAULT_LIFECYCLE_ENTRIES.subscribe);
    expect(inputs.some((path) => /(^|\/)node_modules\/mjml/.test(path))).toBe(true);
  }, 60_000);
});
