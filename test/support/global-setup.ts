/**
 * Vitest global setup, once per run before any test file: finds or installs the external tools the suite
 * runs (moto_server and cfn-lint, Chromium) and hands their paths to the test files (see test-tools.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findExecutable, provisionPythonTools, type ToolStatus } from './python-tools.js';
import type { TestTool } from './test-tools.js';

/** Provides `testTools` (a path or the reason it is missing, per tool) and `testRunDir` (scratch for this run). */
export default async function setup(project: TestProject): Promise<() => void> {
  const python = await provisionPythonTools({ log: (line) => console.log(line) });
  const tools: Record<TestTool, ToolStatus> = { ...python, chromium: findChromium(process.env) };
  const runDir = mkdtempSync(join(tmpdir(), 'newsbrief-test-run-'));
  project.provide('testTools', tools);
  project.provide('testRunDir', runDir);
  return () => rmSync(runDir, { recursive: true, force: true });
}

/** CHROMIUM_PATH if set, else chromium (Debian) or chromium-browser (Ubuntu) on PATH. */
function findChromium(env: NodeJS.ProcessEnv): ToolStatus {
  const fix = '`sudo apt-get install chromium fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji` (or set CHROMIUM_PATH)';
  if (env.CHROMIUM_PATH) {
    return existsSync(env.CHROMIUM_PATH)
      ? { path: env.CHROMIUM_PATH, from: 'CHROMIUM_PATH' }
      : { missing: `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`, fix };
  }
  const path = findExecutable('chromium', env) ?? findExecutable('chromium-browser', env);
  return path ? { path, from: 'PATH' } : { missing: 'Chromium is not installed', fix };
}
