/**
 * Local mode's database across real processes: several processes claiming the same deliveries on one state
 * folder at once (the studio and a CLI) each get a share and never the same one, with no lock files; and an
 * import killed with SIGKILL mid-way loses no batch it had committed and leaves no half batch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStore, STATE_DB_FILE } from '../../src/adapters/local/local-store.js';

const ROOT = resolve(import.meta.dirname, '../..');
const STORE_MODULE = join(ROOT, 'src/adapters/local/local-store.ts');
const IMPORT_MODULE = join(ROOT, 'src/subscribers/import-subscribers.ts');
// Many processes start tsx at once on a small machine: minutes at worst, not a deadline to meet.
const SLOW = { timeout: 300_000 };

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-processes-'));
  dirs.push(dir);
  return dir;
};

/** Runs TypeScript `code` (an ES module body) in a new Node process with tsx; stdout is collected. */
function runScript(code: string): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out + err, done };
}

describe('local state across processes', () => {
  it('gives each delivery to exactly one of several processes claiming at once', SLOW, async () => {
    const dir = tempDir();
    const issue = { list: 'weekly', id: 'contended' };
    await new LocalStore(dir).claimIssue(issue, { renderedKey: 'k', source: 's', at: '2026-03-02T09:00:00.000Z' });
    const DELIVERIES = 300;
    const claimers = [0, 1, 2].map((n) =>
      runScript(`
          const { LocalStore } = await import(${JSON.stringify(STORE_MODULE)});
          const store = new LocalStore(${JSON.stringify(dir)});
          const issue = ${JSON.stringify(issue)};
          let claimed = 0;
          for (let i = 0; i < ${DELIVERIES}; i++) {
            const nowMs = Date.now();
            const claim = await store.claimDelivery(issue, 's' + i, { at: new Date(nowMs).toISOString(), nowMs, holder: 'worker-${n}', until: nowMs + 600000 });
            if (claim.state === 'claimed') {
              claimed++;
              await store.completeDelivery(issue, 's' + i, { status: 'sent', messageId: 'm-${n}-' + i }, new Date().toISOString());
            }
          }
          console.log('claimed ' + claimed);
        `),
    );
    const codes = await Promise.all(claimers.map((c) => c.done));
    expect(codes, claimers.map((c) => c.output()).join('\n')).toEqual([0, 0, 0]);
    const claimed = claimers.map((c) => Number(/claimed (\d+)/.exec(c.output())?.[1]));
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(DELIVERIES);
    const store = new LocalStore(dir);
    expect((await store.getIssue(issue))?.counts).toMatchObject({ sent: DELIVERIES });
    expect([...(await store.deliveriesOf(issue)).values()].every((d) => d.status === 'sent')).toBe(true);
    expect(readdirSync(dir).filter((name) => !name.startsWith(STATE_DB_FILE))).toEqual([]);
  });

  it('loses no committed batch of an import killed with SIGKILL, and keeps no half batch', SLOW, async () => {
    const dir = tempDir();
    const BATCH = 2_000;
    const importer = runScript(`
        const { LocalStore } = await import(${JSON.stringify(STORE_MODULE)});
        const { importSubscribers } = await import(${JSON.stringify(IMPORT_MODULE)});
        const store = new LocalStore(${JSON.stringify(dir)});
        function* rows() {
          for (let i = 0; i < 1_000_000; i++) yield { email: 'reader-' + String(i).padStart(7, '0') + '@example.com', attributes: {}, line: i + 2 };
        }
        await importSubscribers(store, 'weekly', rows(), new Date().toISOString(), {
          batchSize: ${BATCH},
          onProgress: (p) => console.log('committed ' + p.added),
        });
      `);
    // Killed once a few batches are committed, in the middle of later ones.
    let committed = 0;
    while (committed < 5 * BATCH) {
      const exited = await Promise.race([importer.done.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
      if (exited) throw new Error(`the import ended before it was killed: ${importer.output()}`);
      const all = [...importer.output().matchAll(/committed (\d+)/g)];
      committed = Number(all.at(-1)?.[1] ?? 0);
    }
    importer.child.kill('SIGKILL');
    await importer.done;
    const reported = Math.max(...[...importer.output().matchAll(/committed (\d+)/g)].map((m) => Number(m[1])));

    const raw = new DatabaseSync(join(dir, STATE_DB_FILE));
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    const rows = Number((raw.prepare('SELECT count(*) AS n FROM subscribers').get() as { n: number }).n);
    raw.close();
    expect(rows).toBeGreaterThanOrEqual(reported);
    expect(rows % BATCH).toBe(0);
    // The store opens and goes on where the import stopped.
    const store = new LocalStore(dir);
    expect((await store.countByStatus('weekly')).subscribed).toBe(rows);
  });
});
