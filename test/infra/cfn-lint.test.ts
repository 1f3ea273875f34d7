import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { skipWithout, toolPath } from '../support/test-tools.js';
import { synthTemplate } from './synth-stack.js';

describe.skipIf(skipWithout('cfn-lint'))('cfn-lint', () => {
  it("finds no problem in the template (W3005, CDK's redundant DependsOn, ignored)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbrief-cfn-lint-'));
    const file = join(dir, 'Newsbrief.template.json');
    writeFileSync(file, JSON.stringify(synthTemplate({ alarmEmail: 'ops@example.com', maxSendRate: '14' }).toJSON(), null, 1));

    // Asynchronously, so that the worker stays responsive (and its timeout can fire) while Python works.
    const run = await promisify(execFile)(toolPath('cfn-lint'), [file, '--ignore-checks', 'W3005'], { encoding: 'utf8' }).then(
      (out) => ({ status: 0, ...out }),
      (error: { code?: number | string; stdout?: string; stderr?: string; message: string }) => ({
        status: error.code,
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? error.message,
      }),
    );

    expect(run.status, `cfn-lint output:\n${run.stdout}${run.stderr}`).toBe(0);
  });
});
