/** Bundles a Lambda entry with the NodejsFunction's esbuild settings and lists what went in, for bundle-content tests. */
import { build } from 'esbuild';
import { functionBundling } from '../../lib/newsbrief-function.js';

/**
 * The source files bundled from `entry`, the imports left external (the stack's settings: ESM, node24, ES module
 * builds first, everything bundled but the packages bundled beside the handler, LAZY_MODULES), and the npm
 * packages that put code in the bundle: a package esbuild read but dropped (unused) is not among them.
 */
export async function bundleContents(entry: string): Promise<{ inputs: string[]; externals: string[]; packages: string[] }> {
  const bundling = functionBundling({ sourceMaps: false });
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    banner: { js: bundling.banner },
    mainFields: bundling.mainFields,
    external: bundling.externalModules,
    metafile: true,
    write: false,
    logLevel: 'silent',
    outfile: 'bundle/index.mjs',
  });
  const outputs = Object.values(result.metafile.outputs);
  const externals = outputs.flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const packages = new Set<string>();
  for (const output of outputs) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      if (name && input.bytesInOutput > 0) packages.add(name);
    }
  }
  return { inputs: Object.keys(result.metafile.inputs), externals, packages: [...packages].sort() };
}

/** The AWS SDK clients (`@aws-sdk/client-*`) whose code is in a bundle. */
export function sdkClientsOf(packages: readonly string[]): string[] {
  return packages.filter((name) => name.startsWith('@aws-sdk/client-')).map((name) => name.slice('@aws-sdk/client-'.length));
}
