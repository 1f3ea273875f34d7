/** Bundles a Lambda entry with the NodejsFunction's esbuild settings and lists what went in, for bundle-content tests. */
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../../lib/newsbrief-function.js';


/** The source files bundled from `entry`, and the imports left external (ESM, node24, everything bundled). */
export async function bundleContents(entry: string): Promise<{ inputs: string[]; externals: string[] }> {
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
  const externals = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  return { inputs: Object.keys(result.metafile.inputs), externals };
}
