import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../lib/newsbrief-function.js';
import { DEFAULT_LIFECYCLE_ENTRIES } from '../../lib/subscriber-lifecycle.js';

// Same esbuild settings as the NodejsFunction (ESM, node24, everything bundled).
async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    banner: { js: ESM_REQUIRE_BANNER },
    metafile: true,
    write: false,
    logLevel: 'silent',
    outfile: 'bundle/index.mjs',
  });
  return Object.keys(result.metafile.inputs);
}

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
