/**
 * The real `newsbrief` binary for end-to-end tests, run as a user runs it: `node bin/newsbrief.js`, which runs
 * the CLI compiled by esbuild (scripts/build-cli.js). The build is made once per test file before the first
 * start, so that parallel starts find it ready, and a test fails if it cannot be built instead of silently
 * running the TypeScript sources.
 */
import { type ChildProcess, execFile, spawn, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { patience } from './patience.js';

/** The project's root folder. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** bin/newsbrief.js */
export const CLI_BIN = fileURLToPath(new URL('../../bin/newsbrief.js', import.meta.url));
const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));

const run = promisify(execFile);
let built: Promise<string> | undefined;

/** Builds the CLI for the sources as they are (or finds the build); resolves with its entry file. */
export function buildCli(): Promise<string> {
  built ??= run(process.execPath, [BUILD_SCRIPT]).then(({ stdout }) => stdout.trim());
  return built;
}

/** What a finished run printed and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `newsbrief ...args` to the end; never rejects for a non-zero exit. */
export async function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  await buildCli();
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts `newsbrief ...args` and returns the child process (for tests that signal or kill it); await buildCli() first. */
export function spawnCli(args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [CLI_BIN, ...args], { cwd: ROOT, ...options });
}

/** How a run that had to end went: its output, its exit code, and whether the hang detector killed it. */
export interface CliEnding {
  readonly code: number | null;
  readonly hung: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `newsbrief ...args` until it ends, killing it only if it hangs (a generous, load-scaled hang detector,
 * not a speed budget): for tests whose point is that the CLI exits at all. Await buildCli() first.
 */
export function runCliUntilItEnds(args: readonly string[], options: SpawnOptions = {}): Promise<CliEnding> {
  return new Promise((resolve) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let hung = false;
    const killer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, patience(60_000));
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, hung, stdout, stderr });
    });
  });
}
