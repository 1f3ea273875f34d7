/**
 * The `newsbrief` CLI compiled by esbuild, cached in node_modules/.cache/newsbrief-cli and rebuilt whenever a
 * file that went into it changed: bin/newsbrief.js starts compiled JavaScript (no TypeScript compiler at every
 * start) and never a stale build, with no install script. `node scripts/build-cli.js` builds now and prints
 * where. Plain JavaScript on purpose: it runs before anything could compile TypeScript.
 *
 * The build is one ESM entry (main.js) plus a chunk per command, split at the CLI's dynamic imports, so that
 * `newsbrief --help` loads no command and each command loads only what it uses. Packages stay external: mjml
 * and the AWS SDK load from node_modules when a command imports them, never at start.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project the CLI is built from: the folder above scripts/. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'src/cli/main.ts';
// Inputs that shape the output without being bundled: this script (the build options) and the compiler settings.
const BUILD_INPUTS = ['scripts/build-cli.js', 'tsconfig.json'];
// Older builds of the same checkout are removed once this old: a CLI started from one may still load its chunks.
const KEEP_OLD_BUILDS_MS = 10 * 60_000;
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };

/**
 * The file URL of the compiled CLI's entry for the sources as they are now, building it first when the cached
 * build is missing or any of its inputs changed; undefined when this install cannot build (esbuild missing, or
 * nowhere to write), so that the caller runs the sources instead.
 */
export async function compiledCli(root = PROJECT_ROOT) {
  const cache = cacheDirOf(root);
  const manifestFile = join(cache, `${checkoutTag(root)}.json`);
  const fresh = freshEntry(root, cache, manifestFile);
  if (fresh) return pathToFileURL(fresh).href;
  let esbuild;
  try {
    esbuild = await import('esbuild');
    mkdirSync(cache, { recursive: true });
  } catch {
    return undefined;
  }
  return pathToFileURL(await buildCli(esbuild, root, cache, manifestFile)).href;
}

/** Where builds of the CLI are kept: node_modules/.cache, as other tools do (ignored by git, removed with node_modules). */
export function cacheDirOf(root = PROJECT_ROOT) {
  return join(root, 'node_modules', '.cache', 'newsbrief-cli');
}

/**
 * The entry of the cached build when every input it was built from still has the digest it had (content, not
 * modification time: a copied or checked-out file with an old time is still seen); otherwise undefined.
 */
export function freshEntry(root, cache, manifestFile) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, digest] of Object.entries(manifest.inputs)) {
    let bytes;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      return undefined;
    }
    if (digestOf(bytes) !== digest) return undefined;
  }
  const entry = join(cache, manifest.dir, 'main.js');
  return existsSync(entry) ? entry : undefined;
}

// Builds into a private folder, then renames it into place: CLIs starting at the same moment (parallel tests)
// each see a complete build or build their own, never half of one.
async function buildCli(esbuild, root, cache, manifestFile) {
  const inputs = {};
  for (const file of BUILD_INPUTS) inputs[file] = digestOf(readFileSync(join(root, file)));
  const tmp = join(cache, `.tmp-${process.pid}-${Date.now()}`);
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: { main: ENTRY },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      packages: 'external',
      chunkNames: 'chunks/[name]-[hash]',
      sourcemap: 'linked',
      logLevel: 'silent',
      plugins: [recordInputs(root, inputs)],
    });
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    const messages = error.errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ');
    throw new Error(`cannot build the CLI: ${messages || error.message}`);
  }
  const tag = checkoutTag(root);
  const dir = `${tag}-${digestOf(JSON.stringify(Object.entries(inputs).sort())).slice(0, 16)}`;
  try {
    renameSync(tmp, join(cache, dir));
  } catch {
    // Another process built the same inputs first: its build is identical.
    rmSync(tmp, { recursive: true, force: true });
  }
  const manifestTmp = `${manifestFile}.${process.pid}`;
  writeFileSync(manifestTmp, JSON.stringify({ dir, inputs }, null, 1));
  renameSync(manifestTmp, manifestFile);
  pruneOldBuilds(cache, tag, dir);
  return join(cache, dir, 'main.js');
}

/**
 * Reads every source esbuild bundles through one place, so that the digests recorded are of exactly the bytes
 * compiled. Also pins `import.meta.url` to the source file's own URL: modules find config/ and assets relative
 * to where they live in the project, not to the cache folder the build runs from.
 */
function recordInputs(root, inputs) {
  return {
    name: 'newsbrief-record-inputs',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const bytes = readFileSync(args.path);
        inputs[relative(root, args.path).split('\\').join('/')] = digestOf(bytes);
        const loader = LOADERS[extname(args.path)];
        if (loader === undefined || loader === 'json') return { contents: bytes, loader: loader ?? 'default' };
        const code = bytes.toString('utf8');
        const other = /\bimport\.meta\.(?!url\b)\w+/.exec(code);
        if (other) throw new Error(`${other[0]} is not supported by the CLI build (import.meta.url is)`);
        return { contents: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader };
      });
    },
  };
}

function pruneOldBuilds(cache, tag, keep) {
  for (const name of readdirSync(cache)) {
    if (!name.startsWith(`${tag}-`) || name === keep) continue;
    const dir = join(cache, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

// One cache serves every checkout that shares node_modules (a build's paths are its checkout's), each its own.
function checkoutTag(root) {
  return digestOf(resolve(root)).slice(0, 8);
}

function digestOf(data) {
  return createHash('sha256').update(data).digest('hex');
}

// `node scripts/build-cli.js`: build (or find) the CLI for the current sources and print its entry.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await compiledCli();
  if (!entry) {
    console.error('newsbrief: cannot build the CLI here (esbuild is not installed, or node_modules/.cache is not writable)');
    process.exitCode = 1;
  } else console.log(fileURLToPath(entry));
}
