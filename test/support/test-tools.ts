/**
 * The external tools as the global setup found them, for test files: run a tool by the path given here, and
 * skip what needs a missing one with one line saying how to install it, except under CI=true, where the
 * tests run and fail with that line instead, so that CI never passes by skipping.
 */
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { PythonTool, ToolStatus } from './python-tools.js';

/** An executable the suite needs from outside npm. */
export type TestTool = PythonTool | 'chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    testTools: Record<TestTool, ToolStatus>;
    testRunDir: string;
  }
}

function statusOf(tool: TestTool): ToolStatus {
  return (
    inject('testTools')?.[tool] ?? {
      missing: 'the test setup did not run',
      fix: 'run the tests with `npm test` or `npx vitest run` (vitest.config.ts has the global setup)',
    }
  );
}

/** The executable for `tool`; throws with what is missing and the command that fixes it. */
export function toolPath(tool: TestTool): string {
  const status = statusOf(tool);
  if ('path' in status) return status.path;
  throw new Error(`${tool} is missing: ${status.missing}. Fix: ${status.fix}`);
}

/** Whether tests needing `tool` skip: when it is missing and CI is not set; says why once per run. */
export function skipWithout(tool: TestTool): boolean {
  const status = statusOf(tool);
  if ('path' in status || process.env.CI === 'true') return false;
  sayOnce(tool, `Skipping the tests that need ${tool}: ${status.missing}. Fix: ${status.fix}.`);
  return true;
}

// Test files run in several workers: a marker file in the run's scratch folder lets only the first one speak.
function sayOnce(key: string, line: string): void {
  const runDir = inject('testRunDir');
  try {
    if (runDir) closeSync(openSync(join(runDir, `said-${key}`), 'wx'));
  } catch {
    return;
  }
  console.warn(line);
}
