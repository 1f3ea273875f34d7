/**
 * The suite's Python tools, moto_server and cfn-lint: the ones on PATH, else a virtual environment built once
 * from test/python-requirements.txt under node_modules/.cache/newsbrief-python and reused by every later run.
 * Inside node_modules because `npm ci` wipes it with everything else the lock file installed, so a fresh
 * install never meets a stale venv, and nothing lands outside the clone. Called by the vitest global setup
 * and by .ci/run (`npx tsx test/support/python-tools.ts`, which exits 1 when a tool is missing).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Python executables the tests run. */
export const PYTHON_TOOLS = ['moto_server', 'cfn-lint'] as const;

/** One of PYTHON_TOOLS. */
export type PythonTool = (typeof PYTHON_TOOLS)[number];

/** Where a tool was found, or why it is missing and the command that fixes it (one sentence each). */
export type ToolStatus = { readonly path: string; readonly from: string } | { readonly missing: string; readonly fix: string };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REQUIREMENTS = join(ROOT, 'test', 'python-requirements.txt');
const DEFAULT_VENV = join(ROOT, 'node_modules', '.cache', 'newsbrief-python');
const BIN = process.platform === 'win32' ? 'Scripts' : 'bin';
const INSTALL_PYTHON = 'install Python 3 with venv (Debian/Ubuntu: `sudo apt-get install python3 python3-venv`), then run the tests again';

/** The first executable file called `name` on PATH. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * moto_server and cfn-lint: from PATH when there, else from the cached venv (built now if needed; a lock
 * keeps concurrent test runs from building it twice). Never throws: what cannot be provided is reported.
 */
export async function provisionPythonTools(
  options: { env?: NodeJS.ProcessEnv; venv?: string; log?: (line: string) => void } = {},
): Promise<Record<PythonTool, ToolStatus>> {
  const env = options.env ?? process.env;
  const venv = options.venv ?? env.NEWSBRIEF_PYTHON_VENV ?? DEFAULT_VENV;
  const found = await Promise.all(PYTHON_TOOLS.map((tool) => fromPath(tool, env)));
  const statuses = Object.fromEntries(PYTHON_TOOLS.map((tool, i) => [tool, found[i]])) as Record<PythonTool, ToolStatus | undefined>;
  if (PYTHON_TOOLS.every((tool) => statuses[tool])) return statuses as Record<PythonTool, ToolStatus>;

  const built = await ensureVenv(venv, env, options.log ?? (() => {}));
  for (const tool of PYTHON_TOOLS) {
    if (statuses[tool]) continue;
    const path = join(venv, BIN, tool);
    statuses[tool] =
      'missing' in built
        ? built
        : existsSync(path)
          ? { path, from: shown(venv) }
          : { missing: `${tool} is not in ${shown(venv)}`, fix: fixCommand(venv) };
  }
  return statuses as Record<PythonTool, ToolStatus>;
}

/** The tool on PATH; a pyenv shim is resolved to its executable (a shim exists for every installed version's scripts, not only the active one's). */
async function fromPath(tool: PythonTool, env: NodeJS.ProcessEnv): Promise<ToolStatus | undefined> {
  const path = findExecutable(tool, env);
  if (!path) return undefined;
  if (!path.includes(`${sep}shims${sep}`) || !findExecutable('pyenv', env)) return { path, from: 'PATH' };
  const which = await run('pyenv', ['which', tool], env);
  return which.code === 0 ? { path: which.stdout.trim(), from: 'PATH (pyenv)' } : undefined;
}

/** The venv of the pinned requirements, built (under a lock) unless its stamp says it already matches them. */
async function ensureVenv(
  venv: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<{ ok: true } | { missing: string; fix: string }> {
  const stamp = join(venv, '.newsbrief-requirements');
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  const current = () => (existsSync(stamp) ? readFileSync(stamp, 'utf8') : undefined);
  if (current() === wanted) return { ok: true };

  mkdirSync(dirname(venv), { recursive: true });
  const release = await lock(`${venv}.lock`);
  try {
    if (current() === wanted) return { ok: true }; // another run built it while we waited
    const python = findExecutable('python3', env) ?? findExecutable('python', env);
    if (!python)
      return { missing: 'moto_server and cfn-lint are not on PATH, and there is no python3 to install them with', fix: INSTALL_PYTHON };
    const venvPython = join(venv, BIN, process.platform === 'win32' ? 'python.exe' : 'python');
    log(`newsbrief tests: installing moto_server and cfn-lint into ${shown(venv)} (once; pinned in test/python-requirements.txt)`);
    if (!existsSync(venvPython)) {
      rmSync(venv, { recursive: true, force: true });
      const created = await run(python, ['-m', 'venv', venv], env);
      if (created.code !== 0) {
        rmSync(venv, { recursive: true, force: true });
        return {
          missing: `moto_server and cfn-lint are not on PATH, and \`python3 -m venv\` failed (${lastLine(created.stderr)})`,
          fix: INSTALL_PYTHON,
        };
      }
    }
    // Few retries: offline, pip otherwise spends minutes before it gives up, on every run.
    const install = await run(
      venvPython,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '2', '--timeout', '20', '-r', REQUIREMENTS],
      env,
    );
    writeFileSync(join(venv, 'pip-install.log'), install.stdout + install.stderr);
    if (install.code !== 0) {
      const why = (install.stderr.match(/^ERROR: .*$/gm)?.pop() ?? lastLine(install.stderr)).replace(/^ERROR: /, '');
      return {
        missing: `moto_server and cfn-lint are not on PATH, and pip could not install test/python-requirements.txt (${why}; log in ${shown(join(venv, 'pip-install.log'))})`,
        fix: fixCommand(venv),
      };
    }
    writeFileSync(stamp, wanted);
    return { ok: true };
  } finally {
    release();
  }
}

/** The command that installs the tools by hand, relative to the repository root. */
function fixCommand(venv: string): string {
  const at = shown(venv);
  return `\`python3 -m venv ${at} && ${join(at, BIN, 'pip')} install -r test/python-requirements.txt\` with PyPI reachable, or put moto_server and cfn-lint on PATH`;
}

/** A path as a person would type it from the repository root. */
function shown(path: string): string {
  const inside = relative(ROOT, path);
  return inside.startsWith('..') ? path : inside;
}

/** A lock directory holding the owner's pid; a lock whose owner died (or never wrote its pid within a minute) is taken over. */
async function lock(directory: string): Promise<() => void> {
  const pidFile = join(directory, 'pid');
  for (;;) {
    try {
      mkdirSync(directory);
      writeFileSync(pidFile, String(process.pid));
      return () => rmSync(directory, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
    const stale = owner ? !alive(owner) : ageMs(directory) > 60_000;
    if (stale) rmSync(directory, { recursive: true, force: true });
    // Waiting on a live owner has no deadline: pip's own timeouts bound it.
    else await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || 'no output';
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (error && typeof error.code !== 'number' ? error.message : '') });
    });
  });
}

// `npx tsx test/support/python-tools.ts`: provision now (CI does this before the tests) and say what was found.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const statuses = await provisionPythonTools({ log: (line) => console.log(line) });
  for (const [tool, status] of Object.entries(statuses)) {
    console.log(
      'path' in status ? `${tool}: ${status.path} (from ${status.from})` : `${tool}: MISSING: ${status.missing}. Fix: ${status.fix}`,
    );
  }
  process.exitCode = Object.values(statuses).every((status) => 'path' in status) ? 0 : 1;
}
