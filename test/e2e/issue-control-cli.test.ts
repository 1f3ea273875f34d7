/**
 * `newsbrief issue pause|resume|cancel` through the real CLI on a local state folder: a pause shows in
 * `newsbrief status` with its reason and stops a send, a resume lets it continue, a cancel is final, and an
 * issue held by its circuit breaker resumes only with --override-breaker, after which `newsbrief send`
 * re-plans it (the held members get it) and the report shows the override.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/adapters/local/local-store.js';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { ROOT, runCli } from '../support/cli.js';

const TRIP = { at: '2026-03-02T09:00:00Z', reason: 'bounce rate 8 % (20 of 250 sent) passed the limit of 5 %' };

const newsbrief = (...args: string[]) => runCli(args);

function captureIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), cwd: ROOT, env: {}, isTty: false };
}

const brief = (id: string) =>
  JSON.stringify({
    version: 1,
    id,
    list: 'weekly',
    subject: `Issue ${id}`,
    stories: [{ headline: 'Hello {{firstName|friend}}', paragraphs: ['Body.'] }],
  });

describe('newsbrief issue (local store)', () => {
  const root = mkdtempSync(join(tmpdir(), 'nb-issue-'));
  const state = join(root, 'state');
  const file = (name: string) => join(root, name);

  beforeAll(async () => {
    writeFileSync(file('readers.csv'), 'email,firstName\nada@example.com,Ada\ngrace@example.org,Grace\nlinus@example.net,Linus\n');
    writeFileSync(file('paused.json'), brief('paused'));
    writeFileSync(file('held.json'), brief('held'));
    const imported = await newsbrief('subscribers', 'import', file('readers.csv'), '--list', 'weekly', '--state', state);
    expect(imported.code).toBe(0);
  }, 30_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('pause shows in status with its reason and stops a send; resume lets it go on; cancel is final', async () => {
    expect((await newsbrief('send', file('paused.json'), '--state', state)).stdout).toContain('3 sent');

    const paused = await newsbrief('issue', 'pause', 'weekly', 'paused', '--reason', 'checking the links', '--state', state);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^weekly\/paused: paused at \S+: checking the links; .*newsbrief issue resume weekly paused/);
    const status = await newsbrief('status', 'weekly', 'paused', '--state', state);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^weekly\/paused: sent \(paused since \S+: checking the links\), started /);
    expect(JSON.parse((await newsbrief('status', 'weekly', 'paused', '--state', state, '--json')).stdout).pause).toMatchObject({
      kind: 'manual',
      reason: 'checking the links',
    });

    // A send of a paused issue stops at its first job.
    const blocked = await newsbrief('send', file('paused.json'), '--state', state);
    expect([blocked.code, blocked.stderr]).toEqual([1, expect.stringContaining('stopped: the issue is paused: checking the links')]);

    const resumed = await newsbrief('issue', 'resume', 'weekly', 'paused', '--state', state);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('weekly/paused: resumed: cleared the manual pause (checking the links)');
    expect(resumed.stdout).toContain('run newsbrief send on the brief again (it was paused.json), or press Send in the studio');
    expect((await newsbrief('status', 'weekly', 'paused', '--state', state)).stdout).not.toContain('paused since');
    expect((await newsbrief('send', file('paused.json'), '--state', state)).stdout).toContain('nothing new to send');

    const cancelled = await newsbrief('issue', 'cancel', 'weekly', 'paused', '--state', state);
    expect([cancelled.code, cancelled.stdout]).toEqual([
      0,
      expect.stringMatching(/^weekly\/paused: cancelled at \S+; its remaining jobs send nothing/),
    ]);
    expect((await newsbrief('status', 'weekly', 'paused', '--state', state)).stdout).toMatch(
      /^weekly\/paused: sent \(cancelled at \S+\), started /,
    );
    expect((await newsbrief('issue', 'cancel', 'weekly', 'paused', '--state', state)).stdout).toContain('already cancelled at');
    for (const action of ['resume', 'pause']) {
      const refused = await newsbrief('issue', action, 'weekly', 'paused', '--state', state);
      expect([refused.code, refused.stderr]).toEqual([
        1,
        expect.stringMatching(
          new RegExp(`^newsbrief issue: issue weekly/paused was cancelled at \\S+; a cancelled issue cannot be ${action}d`),
        ),
      ]);
    }
  }, 120_000);

  it('resume of a breaker-held issue is refused without --override-breaker; with it, send re-plans and the report shows the override', async () => {
    // The breaker holds the issue from its first job: every recipient is held, none mailed.
    await new LocalStore(state).tripBreaker({ list: 'weekly', id: 'held' }, TRIP);
    const held = await newsbrief('send', file('held.json'), '--state', state);
    expect([held.code, held.stderr]).toEqual([1, expect.stringContaining(`stopped: circuit breaker: ${TRIP.reason}`)]);
    expect((await newsbrief('report', 'weekly', 'held', '--state', state)).stdout).toContain(
      'sent 0  failed 0  unknown 0  skipped (suppressed) 0  held 3',
    );

    const refused = await newsbrief('issue', 'resume', 'weekly', 'held', '--state', state);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `newsbrief issue: issue weekly/held is held by its circuit breaker, tripped at ${TRIP.at}: ${TRIP.reason}`,
    );
    expect(refused.stderr).toContain('run again with --override-breaker');

    const resumed = await newsbrief('issue', 'resume', 'weekly', 'held', '--override-breaker', '--state', state);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`weekly/held: resumed: resumed past the circuit breaker (it had tripped: ${TRIP.reason})`);
    expect(resumed.stdout).toContain(
      'run newsbrief send on the brief again (it was held.json), or press Send in the studio: it plans the members the issue was meant for again',
    );

    const again = await newsbrief('send', file('held.json'), '--state', state);
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('3 sent')]);

    const report = await newsbrief('report', 'weekly', 'held', '--state', state);
    expect(report.stdout).toContain('sent 3');
    expect(report.stdout).toContain('circuit breaker: not tripped');
    expect(report.stdout).toMatch(
      new RegExp(`resumed past the circuit breaker at \\S+ .*\\(it had tripped at ${TRIP.at}: ${TRIP.reason.replace(/[()]/g, '\\$&')}\\)`),
    );
    const json = JSON.parse((await newsbrief('report', 'weekly', 'held', '--state', state, '--json')).stdout);
    expect(json.breaker.tripped).toBeUndefined();
    expect(json.breaker.overrides).toEqual([
      {
        at: expect.any(String),
        previous: TRIP,
        baseline: { sent: 0, bounced: 0, complained: 0 },
        ...(json.breaker.overrides[0].by ? { by: expect.any(String) } : {}),
      },
    ]);
  }, 120_000);

  it('exits 1 for an issue that never started and 2 for usage errors, naming what is accepted', async () => {
    const unknown = await newsbrief('issue', 'pause', 'weekly', 'nope', '--state', state);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('issue weekly/nope does not exist')]);
    const cases: Array<[string[], string]> = [
      [['issue'], 'say pause, resume or cancel'],
      [['issue', 'stop', 'weekly', 'x'], 'unknown action "stop" (pause, resume or cancel)'],
      [['issue', 'pause', 'weekly'], 'give the list and the issue id'],
      [['issue', 'cancel', 'weekly', 'x', '--override-breaker'], '--override-breaker goes with resume'],
      [['issue', 'resume', 'weekly', 'x', '--reason', 'r'], '--reason goes with pause'],
      [['issue', 'pause', 'weekly', 'x', '--state', state, '--table', 't'], 'use either --state or --table'],
    ];
    // In process (the same main as bin/newsbrief.js): usage errors need no state.
    for (const [args, message] of cases) {
      const io = captureIo();
      expect([await main(args, io), io.errors]).toEqual([2, [`newsbrief issue: ${message} (see newsbrief issue --help)`]]);
    }
    const help = captureIo();
    expect(await main(['issue', '--help'], help)).toBe(0);
    expect(help.lines.join('\n')).toContain('newsbrief issue resume LIST ID [--override-breaker]');
  }, 120_000);
});
