import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../lib/newsbrief-function.js';

const SEND_ENTRY = 'lambdas/send.ts';
const PLACEHOLDER = "export const handler = async (): Promise<void> => { throw new Error('not implemented yet'); };";
const isPlaceholder = readFileSync(SEND_ENTRY, 'utf8').trim() === PLACEHOLDER;

describe('send bundle', () => {
  // The placeholder imports nothing, so the check would pass vacuously; it runs once the real handler lands.
  it.skipIf(isPlaceholder)('contains no MJML (rendering happens once, in intake)', async () => {
    // Same esbuild settings as the NodejsFunction (ESM, node24, everything bundled).
    const result = await build({
      entryPoints: [SEND_ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      banner: { js: ESM_REQUIRE_BANNER },
      metafile: true,
      write: false,
      logLevel: 'silent',
      outfile: 'send-bundle/index.mjs',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.filter((path) => /(^|\/)node_modules\/mjml/.test(path))).toEqual([]);
    const externalImports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    expect(externalImports.filter((path) => path.startsWith('mjml'))).toEqual([]);
  }, 60_000);
});
