import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileScheduler } from '../../../src/adapters/local/file-scheduler.js';
import type { ScheduledStart } from '../../../src/model.js';

const start = (name: string, at: string, version = 'v1'): ScheduledStart => ({
  name,
  at,
  message: {
    format: 'newsbrief/start-issue@1',
    issue: { list: 'weekly', id: name },
    renderedKey: `rendered/weekly/${name}/issue.json`,
    version,
  },
});

describe('FileScheduler', () => {
  it('keeps one schedule per name across instances, replaces it, and hands out due ones once', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'nb-sched-')), 'schedules');
    const a = new FileScheduler(folder);
    expect(await a.upsert(start('one', '2026-03-03T07:00:00Z'))).toBe('created');
    expect(await a.upsert(start('one', '2026-03-03T08:00:00Z', 'v2'))).toBe('replaced');
    await a.upsert(start('two', '2026-03-03T06:00:00Z'));

    const b = new FileScheduler(folder); // another process on the same state folder
    expect(b.pending().map((s) => [s.name, s.at])).toEqual([
      ['two', '2026-03-03T06:00:00Z'],
      ['one', '2026-03-03T08:00:00Z'],
    ]);
    expect(b.takeDue(Date.parse('2026-03-03T07:30:00Z')).map((s) => s.name)).toEqual(['two']);
    expect(a.takeDue(Date.parse('2026-03-03T07:30:00Z'))).toEqual([]);
    expect(await a.cancel('one')).toBe(true);
    expect(await a.cancel('one')).toBe(false);
    expect(b.pending()).toEqual([]);
  });
});
