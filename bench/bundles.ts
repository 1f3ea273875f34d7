/**
 * The functions as they deploy: each handler bundled with the stack's own esbuild settings and its
 * afterBundling commands (functionBundling in lib/newsbrief-function.ts), its size, and the CPU it costs to
 * load in a fresh Node process (a cold start's module load, with the function's NODE_OPTIONS), beside an empty
 * module's; and, for a function that carries a lazily loaded package (MJML), that package's size and the CPU
 * of its first import (paid by the first invocation that renders, not by the cold start).
 *
 *   npx tsx bench/bundles.ts [--source-maps]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { functionBundling, functionNodeOptions, LAZY_MODULES } from '../lib/newsbrief-function.js';

/** The deployed functions and their handler modules. */
export const FUNCTION_ENTRIES = {
  intake: 'lambdas/intake.ts',
  plan: 'lambdas/plan.ts',
  send: 'lambdas/send.ts',
  start: 'lambdas/start.ts',
  subscribe: 'lambdas/subscribe.ts',
  unsubscribe: 'lambdas/unsubscribe.ts',
  feedback: 'lambdas/feedback.ts',
} as const;

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** A bundle on disk. */
export interface Bundle {
  readonly name: FunctionName;
  /** The bundled module (index.mjs), as Lambda loads it. */
  readonly path: string;
  readonly bytes: number;
  /** The function's NODE_OPTIONS. */
  readonly nodeOptions: string;
  /** The packages bundled beside the handler (node_modules/<name>/index.js), loaded on first use. */
  readonly lazy: readonly { readonly name: string; readonly path: string; readonly bytes: number }[];
}

const PROJECT_ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** NodejsFunction's bundling options as esbuild options (what `cdk synth` runs, as its esbuild arguments). */
export function esbuildOptionsOf(bundling: ReturnType<typeof functionBundling>): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: bundling.format === 'esm' ? 'esm' : 'cjs',
    target: bundling.target,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    external: bundling.externalModules,
    banner: { js: bundling.banner },
    mainFields: bundling.mainFields,
    logLevel: 'silent',
  };
}

/** Bundles `names` into a fresh directory as the stack would; `sourceMaps` as the function's setting. */
export async function bundleFunctions(
  names: readonly FunctionName[],
  options: { readonly sourceMaps: boolean; readonly minify?: boolean | undefined },
): Promise<Bundle[]> {
  const root = mkdtempSync(join(tmpdir(), 'newsbrief-bundles-'));
  const nodeOptions = functionNodeOptions(options).NODE_OPTIONS ?? '';
  return Promise.all(
    names.map(async (name) => ({
      name,
      nodeOptions,
      ...(await bundleAsFunction({ entryPoints: [FUNCTION_ENTRIES[name]] }, join(root, name), options)),
    })),
  );
}

/**
 * Bundles `entry` (entry points or stdin, as esbuild takes them) into `dir`/index.mjs with a function's
 * settings, then runs the function's afterBundling commands as NodejsFunction does: the handler file and the
 * packages bundled beside it.
 */
export async function bundleAsFunction(
  entry: Pick<BuildOptions, 'entryPoints' | 'stdin'>,
  dir: string,
  options: { readonly sourceMaps: boolean; readonly minify?: boolean | undefined },
): Promise<Pick<Bundle, 'path' | 'bytes' | 'lazy'>> {
  const bundling = functionBundling(options);
  const path = join(dir, 'index.mjs');
  await build({
    ...esbuildOptionsOf(bundling),
    ...(options.minify === undefined ? {} : { minify: options.minify }),
    ...entry,
    absWorkingDir: PROJECT_ROOT,
    outfile: path,
  });
  // NodejsFunction runs these with the project as working directory, after esbuild.
  for (const command of bundling.commandHooks.afterBundling(PROJECT_ROOT, dir))
    execFileSync('bash', ['-c', command], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const lazy = LAZY_MODULES.map((name) => ({ name, path: join(dir, 'node_modules', name, 'index.js') }))
    .filter((module) => existsSync(module.path))
    .map((module) => ({ ...module, bytes: statSync(module.path).size }));
  return { path, bytes: statSync(path).size, lazy };
}

/**
 * CPU (user + system) and RSS after importing `path` (then `then`, a lazily loaded package beside it) in a fresh
 * Node process, measured from the script's start.
 */
export function loadCost(path: string | undefined, nodeOptions: string, then?: string): { cpuMs: number; rssMiB: number } {
  const imports = [path, then].filter((p) => p !== undefined).map((p) => `await import(${JSON.stringify(p)});`);
  const script = `const t = process.cpuUsage(); ${imports.join(' ')} const u = process.cpuUsage(t); console.log(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20 }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { cpuMs: number; rssMiB: number };
}

/** One bundle's figures. */
export interface BundleFigures {
  readonly name: FunctionName | 'empty module';
  readonly kib: number;
  /** Median module-load CPU of `runs` cold loads. */
  readonly loadCpuMs: number;
  readonly rssMiB: number;
  /** Load CPU ÷ an empty module's (the same Node, the same options). */
  readonly vsEmpty: number;
  /** Packages loaded on first use (MJML): size and the median CPU of importing them on top of the handler. */
  readonly lazy?: string | undefined;
}

/** Bundles every function and measures each cold load `runs` times (median). */
export async function runBundleBench(
  options: {
    readonly sourceMaps?: boolean | undefined;
    readonly runs?: number | undefined;
    readonly log?: ((line: string) => void) | undefined;
  } = {},
): Promise<BundleFigures[]> {
  const runs = options.runs ?? 5;
  const bundles = await bundleFunctions(Object.keys(FUNCTION_ENTRIES) as FunctionName[], { sourceMaps: options.sourceMaps ?? false });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const measure = (path: string | undefined, nodeOptions: string, then?: string) => {
    const samples = Array.from({ length: runs }, () => loadCost(path, nodeOptions, then));
    return { cpuMs: median(samples.map((s) => s.cpuMs)), rssMiB: median(samples.map((s) => s.rssMiB)) };
  };
  const emptyPath = join(mkdtempSync(join(tmpdir(), 'newsbrief-empty-')), 'index.mjs');
  writeFileSync(emptyPath, 'export const handler = async () => {};\n');
  const empty = measure(emptyPath, bundles[0]?.nodeOptions ?? '');
  const rows: BundleFigures[] = [
    { name: 'empty module', kib: 0, loadCpuMs: round(empty.cpuMs, 1), rssMiB: round(empty.rssMiB, 1), vsEmpty: 1 },
  ];
  for (const bundle of bundles) {
    options.log?.(`loading the ${bundle.name} bundle ${runs}× …`);
    const cost = measure(bundle.path, bundle.nodeOptions);
    const lazy = bundle.lazy.map((module) => {
      const withModule = measure(bundle.path, bundle.nodeOptions, module.path);
      return `${module.name} ${round(module.bytes / 1024, 0)} KiB, +${round(withModule.cpuMs - cost.cpuMs, 1)} ms on first use`;
    });
    rows.push({
      name: bundle.name,
      kib: round(bundle.bytes / 1024, 0),
      loadCpuMs: round(cost.cpuMs, 1),
      rssMiB: round(cost.rssMiB, 1),
      vsEmpty: round(cost.cpuMs / empty.cpuMs, 1),
      ...(lazy.length > 0 ? { lazy: lazy.join('; ') } : {}),
    });
  }
  return rows;
}

/** Rows for the combined `npm run bench` table. */
export function describeBundleBench(rows: readonly BundleFigures[]): [string, string, string, boolean | undefined][] {
  return rows
    .filter((r) => r.name !== 'empty module')
    .map((r) => [
      `bundle ${r.name}: size, module-load CPU (× empty module), RSS`,
      `${r.kib} KiB, ${r.loadCpuMs} ms (${r.vsEmpty}×), ${r.rssMiB} MiB${r.lazy ? `; beside it ${r.lazy}` : ''}`,
      '',
      undefined,
    ]);
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

if (process.argv[1]?.endsWith('bench/bundles.ts')) {
  const { values } = parseArgs({ options: { 'source-maps': { type: 'boolean' }, runs: { type: 'string' } } });
  const rows = await runBundleBench({
    sourceMaps: values['source-maps'] ?? false,
    runs: values.runs ? Number(values.runs) : undefined,
    log: (line) => console.error(line),
  });
  console.table(rows);
  console.log(JSON.stringify({ bench: 'bundles', rows }));
}
