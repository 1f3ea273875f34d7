/**
 * The layering, checked import by import: handlers and the CLI → wiring → use-cases → core ← adapters.
 * Imports are read with a regex (static, re-exports, dynamic with a literal) and relative paths resolved;
 * each failure names the file and the import that breaks the rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'lambdas', 'bin', 'lib'];
/** Folders of src/ that are not core: the outside world, the composition roots and the runners. */
const OUTSIDE_CORE = ['adapters', 'wiring', 'cli', 'studio', 'local-mode'];
const FORBIDDEN_IN_CORE = [
  /^@aws-sdk\//,
  /^@aws-lambda-powertools\//,
  /^(node:)?fs(\/promises)?$/,
  /^(node:)?child_process$/,
  /^(node:)?https?$/,
];
/** Reading the world in the source text of the core: it is passed in instead (config, clock). */
const AMBIENT_IN_CORE: readonly [RegExp, string][] = [
  [/\bprocess\.env\b/, 'process.env'],
  [/\bDate\.now\(\)/, 'Date.now()'],
  [/\bnew Date\(\s*\)/, 'new Date()'],
];

/**
 * Known breaks of a rule, each with why it stands. Empty is the goal; an entry here is a debt, not a
 * permission: `file -> import` exactly as the failure message prints it.
 */
const EXEMPT: ReadonlyMap<string, string> = new Map([]);

/** `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`. */
const IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** One import of one file: `target` is a repository path for relative imports, else the bare specifier. */
interface Import {
  readonly from: string;
  readonly target: string;
  readonly relative: boolean;
}

const files = SCANNED.flatMap((dir) => walk(join(ROOT, dir))).map((f) => relative(ROOT, f));
const imports = files.flatMap((file) => importsOf(file));

describe('architecture', () => {
  it('finds the files and imports it checks', () => {
    expect(files.filter((f) => f.startsWith('src/')).length).toBeGreaterThan(50);
    expect(imports.filter((i) => i.relative).length).toBeGreaterThan(200);
  });

  it('core folders import each other without a cycle', () => {
    const edges = new Map<string, Map<string, string[]>>();
    for (const i of imports) {
      const a = coreFolderOf(i.from);
      const b = i.relative ? coreFolderOf(i.target) : undefined;
      if (!a || !b || a === b) continue;
      const to = edges.get(a) ?? new Map<string, string[]>();
      edges.set(a, to);
      to.set(b, [...(to.get(b) ?? []), `${i.from} -> ${i.target}`]);
    }
    const broken = cyclesOf(edges).flatMap((cycle) => cycle.flatMap((a) => cycle.flatMap((b) => edges.get(a)?.get(b) ?? [])));
    expect(unexempted(broken), 'imports that close a cycle between core folders').toEqual([]);
  });

  it('the core imports no SDK, no file system, no process or HTTP module', () => {
    const broken = imports
      .filter((i) => coreFolderOf(i.from) && !i.relative && FORBIDDEN_IN_CORE.some((re) => re.test(i.target)))
      .map((i) => `${i.from} -> ${i.target}`);
    expect(unexempted(broken)).toEqual([]);
  });

  it('the core reads neither the environment nor the clock', () => {
    const broken = files
      .filter((f) => coreFolderOf(f))
      .flatMap((f) => {
        const code = withoutComments(readFileSync(join(ROOT, f), 'utf8'));
        return AMBIENT_IN_CORE.filter(([re]) => re.test(code)).map(([, what]) => `${f} -> ${what}`);
      });
    expect(unexempted(broken)).toEqual([]);
  });

  it('config is names and parsing only: it imports no other part of the core', () => {
    const broken = imports
      .filter((i) => i.from.startsWith('src/config/') && i.relative && i.target.startsWith('src/') && !i.target.startsWith('src/config/'))
      .map((i) => `${i.from} -> ${i.target}`);
    expect(unexempted(broken)).toEqual([]);
  });

  it('handlers, the CLI, the studio and local mode reach adapters only through wiring', () => {
    const entry = (f: string) => f.startsWith('lambdas/') || ['src/cli/', 'src/studio/', 'src/local-mode/'].some((p) => f.startsWith(p));
    const broken = imports
      .filter((i) => entry(i.from) && i.relative && i.target.startsWith('src/adapters/'))
      .map((i) => `${i.from} -> ${i.target}`);
    expect(unexempted(broken)).toEqual([]);
  });

  it('runtime code never imports the infrastructure (lib/)', () => {
    const broken = imports
      .filter((i) => (i.from.startsWith('src/') || i.from.startsWith('lambdas/')) && i.relative && i.target.startsWith('lib/'))
      .map((i) => `${i.from} -> ${i.target}`);
    expect(unexempted(broken)).toEqual([]);
  });

  it('lists no exemption that no longer applies', () => {
    const all = new Set([
      ...imports.map((i) => `${i.from} -> ${i.target}`),
      ...files.flatMap((f) => AMBIENT_IN_CORE.map(([, what]) => `${f} -> ${what}`)),
    ]);
    expect([...EXEMPT.keys()].filter((key) => !all.has(key))).toEqual([]);
  });
});

/** The core folder of a repository path (`src/pipeline/x.ts` → `pipeline`, `src/model.ts` → `model`); undefined outside the core. */
function coreFolderOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  const folder = parts.length === 2 ? parts[1]!.replace(/\.[cm]?[jt]s$/, '') : parts[1]!;
  return OUTSIDE_CORE.includes(folder) ? undefined : folder;
}

function unexempted(broken: readonly string[]): string[] {
  return [...new Set(broken)].filter((b) => !EXEMPT.has(b)).sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): Import[] {
  const code = withoutComments(readFileSync(join(ROOT, file), 'utf8'));
  return [...code.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) return { from: file, target: spec, relative: false };
    return { from: file, target: resolveRelative(file, spec), relative: true };
  });
}

/** `./x.js` from `src/a/b.ts` → `src/a/x.ts` (the file as it is in the repository). */
function resolveRelative(file: string, spec: string): string {
  const base = relative(ROOT, resolve(ROOT, dirname(file), spec));
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(join(ROOT, c))) ?? base;
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Strongly connected components of more than one node (Tarjan). */
function cyclesOf(edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}
