import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/adapters/local/local-store.js';
import { runCli } from '../support/cli.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };

const newsbrief = (...args: string[]) => runCli(args);

describe('newsbrief report (local store)', () => {
  const state = mkdtempSync(join(tmpdir(), 'nb-report-'));

  beforeAll(async () => {
    const store = new LocalStore(state);
    await store.claimIssue(ISSUE, {
      renderedKey: 'rendered/weekly/2026-03-02/issue.json',
      source: 'briefs/x.json',
      at: '2026-03-02T08:00:00Z',
    });
    await store.markPagePlanned(ISSUE, 0, 300, undefined);
    await store.addCounts(ISSUE, { sent: 296, failed: 1 });
    await store.addFeedbackCounts(ISSUE, { suppressed: 3, delivered: 290 });
    for (let i = 0; i < 16; i++) await store.countFeedbackOnce(ISSUE, `m-${i}#bounce-permanent#r${i}@example.org`, 'bounced');
    // The same event again (a redelivery) is not counted twice.
    await store.countFeedbackOnce(ISSUE, 'm-0#bounce-permanent#r0@example.org', 'bounced');
    await store.tripBreaker(ISSUE, { at: '2026-03-02T09:00:00Z', reason: 'bounce rate 5.405 % (16 of 296 sent) passed the limit of 5 %' });
  });

  it('prints the counts, the rates against the limits and the breaker', async () => {
    const result = await newsbrief('report', 'weekly', '2026-03-02', '--state', state);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('planned 300  sent 296  failed 1  unknown 0  skipped (suppressed) 3  held 0');
    expect(result.stdout).toContain('delivered 290  bounced 16  soft bounces 0  complained 0  rejected 0');
    expect(result.stdout).toContain('bounce rate 5.405 % (limit 5 %)');
    expect(result.stdout).toContain('PAUSED by the circuit breaker at 2026-03-02T09:00:00Z');
  }, 30_000);

  it('--json prints the document and --write stores it as reports/<list>/<id>.json', async () => {
    const result = await newsbrief('report', 'weekly', '2026-03-02', '--state', state, '--json', '--write');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ format: 'newsbrief/issue-report@1', counts: { planned: 300, bounced: 16 } });
    const file = join(state, 'blobs', 'reports', 'weekly', '2026-03-02.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).counts).toEqual(report.counts);
  }, 30_000);

  it('--html writes the report as a page with its charts, and still prints the summary', async () => {
    const file = join(state, 'report.html');
    const result = await newsbrief('report', 'weekly', '2026-03-02', '--state', state, '--html', file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('planned 300  sent 296');
    expect(result.stderr).toContain(`wrote the report page to ${file}`);
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('aria-label="Funnel: Planned 300; Sent 296 (98.7 %); Delivered 290 (98 %)."');
    expect(page).toContain('aria-label="Bounces and skips by type: Permanent (hard) 16;');
    expect(page).toContain('<span class="state bad">Tripped</span>');
    expect(page).toContain('tracking is off for this list');
    expect(page).not.toMatch(/<script|(src|href)="https?:/);
  }, 30_000);

  it('exits 1 for an unknown issue and 2 for a usage error', async () => {
    expect((await newsbrief('report', 'weekly', 'nope', '--state', state)).code).toBe(1);
    const usage = await newsbrief('report', '--state', state);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('give the list id, and the issue id for one issue')]);
  }, 30_000);

  it("without an issue id, prints the list's last issues and --html writes the list page", async () => {
    const file = join(state, 'weekly.html');
    const result = await newsbrief('report', 'weekly', '--state', state, '--html', file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('weekly: the last issue, newest first');
    expect(result.stdout).toMatch(/^ {2}2026-03-02 {2}sent 296 {2}opened — {2}clicked — {2}unsubscribed 0$/m);
    expect(result.stderr).toContain(`wrote the list's report page to ${file}`);
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('aria-label="Unsubscribes per issue: 2026-03-02: 0."');
    expect(page).not.toMatch(/<script|(src|href)="https?:/);
  }, 30_000);
});
