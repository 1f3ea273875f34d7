import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthTemplate } from './synth-stack.js';

describe('cfn-lint', () => {
  it('finds no problem in the template (W3005, CDK\'s redundant DependsOn, ignored)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbrief-cfn-lint-'));
    const file = join(dir, 'Newsbrief.template.json');
    writeFileSync(file, JSON.stringify(synthTemplate({ alarmEmail: 'ops@example.com', maxSendRate: '14' }).toJSON(), null, 1));

    const run = spawnSync('cfn-lint', [file, '--ignore-checks', 'W3005'], { encoding: 'utf8' });

    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error('cfn-lint is not on PATH: install it (`pip install cfn-lint`) to run the infra suite; it is required, not optional.');
    }
    expect(run.status, `cfn-lint output:\n${run.stdout}${run.stderr}`).toBe(0);
  }, 60_000);
});
