/**
 * "Always once" across kill -9, through the real CLI: `newsbrief send` to 420 subscribers is killed with
 * SIGKILL early, in the middle and late, then run again until it says it is done. The mail goes to an SES
 * emulator owned by the test (NEWSBRIEF_SES_ENDPOINT), so that what each killed run sent survives it.
 * Every subscriber is mailed, duplicates stay within the messages in flight at each kill, the ledger's
 * counts equal what SES accepted, and a final run sends nothing. Also: two sends of one issue at once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Each case starts the CLI several times over 420 readers: minutes on a busy machine, not a deadline to meet.
const SLOW = { timeout: 600_000 };
import { LocalStore } from '../../src/adapters/local/local-store.js';
import { openLocalStore } from '../../src/wiring/local-files.js';
import { buildCli, spawnCli } from '../support/cli.js';
import { countBySubject, startSesLocal } from '../support/emulators.js';

const READERS = 420;

let ses: Awaited<ReturnType<typeof startSesLocal>>;
const dirs: string[] = [];

beforeAll(async () => {
  await buildCli();
  ses = await startSesLocal();
});
afterAll(async () => {
  await ses?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A state folder with READERS subscribed members of `weekly`, and a brief with a unique subject. */
async function prepare(tag: string): Promise<{ dir: string; brief: string; subject: string }> {
  const dir = mkdtempSync(join(tmpdir(), `newsbrief-crash-${tag}-`));
  dirs.push(dir);
  // Opened as the CLI opens a new state folder: with its keyring, which a send refuses to do without.
  const store = openLocalStore(join(dir, 'state'));
  for (let i = 0; i < READERS; i++) {
    await store.upsert(
      { list: 'weekly', email: `${tag}-${String(i).padStart(3, '0')}@crash.example.org`, firstName: `Reader ${i}`, status: 'subscribed' },
      '2026-03-01T00:00:00.000Z',
    );
  }
  const subject = `Crash ${tag} ${Date.now()}`;
  const brief = join(dir, `${tag}.json`);
  writeFileSync(
    brief,
    JSON.stringify({ version: 1, id: `crash-${tag}`, list: 'weekly', subject, stories: [{ headline: 'Hello {{firstName|friend}}' }] }),
  );
  return { dir, brief, subject };
}

/** Starts `newsbrief send` on the folder; resolves with its exit code (or signal) and output. */
function startSend(
  dir: string,
  brief: string,
): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; output: string }> } {
  const child = spawnCli(['send', brief, '--state', join(dir, 'state')], {
    env: { ...process.env, NEWSBRIEF_SES_ENDPOINT: ses.endpoint, NEWSBRIEF_MAX_SEND_RATE: '150' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

/** Messages the emulator accepted for a subject, per recipient. */
async function received(subject: string): Promise<Map<string, number>> {
  return countBySubject(await ses.emails(), subject);
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/** Polls until at least `n` messages went out (no fixed deadline: a busy machine is only slower). */
async function waitForSent(subject: string, n: number, run: { done: Promise<unknown> }): Promise<void> {
  let finished = false;
  void run.done.then(() => (finished = true));
  while (!finished && total(await received(subject)) < n) await new Promise((resolve) => setTimeout(resolve, 20));
  if (finished) throw new Error(`the send finished before ${n} messages went out: the kill point was never reached`);
}

describe('newsbrief send killed with SIGKILL', () => {
  it(
    'mails every subscriber after kills early, in the middle and late; duplicates only within what was in flight; a last run sends nothing',
    SLOW,
    async () => {
      const { dir, brief, subject } = await prepare('kill');
      const killPoints = [15, Math.floor(READERS / 2), READERS - 40];
      for (const point of killPoints) {
        const run = startSend(dir, brief);
        await waitForSent(subject, point, run);
        run.child.kill('SIGKILL');
        expect((await run.done).signal).toBe('SIGKILL');
      }
      const resumed = await startSend(dir, brief).done;
      expect(resumed.code, resumed.output).toBe(0);
      expect(resumed.output).toMatch(/re-sent|sent/);

      const counts = await received(subject);
      expect(counts.size).toBe(READERS); // nobody lost
      const duplicates = total(counts) - counts.size;
      expect(duplicates).toBeLessThanOrEqual(2 * killPoints.length);

      const issue = await new LocalStore(join(dir, 'state')).getIssue({ list: 'weekly', id: 'crash-kill' });
      // The ledger counts each delivery once, as SES accepted it; nothing is left unknown.
      expect(issue?.counts).toMatchObject({ sent: READERS, unknown: 0, failed: 0 });

      const last = await startSend(dir, brief).done;
      expect(last.code, last.output).toBe(0);
      expect(last.output).toMatch(/0 sent, 420 skipped as already sent/);
      expect(total(await received(subject))).toBe(total(counts));
    },
  );

  it('sends each subscriber once when two sends of the same issue run at the same time', SLOW, async () => {
    const { dir, brief, subject } = await prepare('twice');
    const [a, b] = await Promise.all([startSend(dir, brief).done, startSend(dir, brief).done]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    const counts = await received(subject);
    expect(counts.size).toBe(READERS);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
  });

  it('stops cleanly on SIGTERM: what was in flight is recorded, nothing is left open, and the next run sends the rest', SLOW, async () => {
    const { dir, brief, subject } = await prepare('term');
    const run = startSend(dir, brief);
    await waitForSent(subject, 100, run);
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    expect(stopped.output).toMatch(/stopped/);
    const store = new LocalStore(join(dir, 'state'));
    const open = [...(await store.deliveriesOf({ list: 'weekly', id: 'crash-term' })).values()].filter(
      (d) => d.status === 'claimed' || d.status === 'unknown',
    );
    expect(open).toEqual([]);
    const rest = await startSend(dir, brief).done;
    expect(rest.code, rest.output).toBe(0);
    const counts = await received(subject);
    expect(counts.size).toBe(READERS);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
  });
});
