/**
 * The real `newsbrief send` against a broken state folder always ends: a corrupt store, a corrupt keyring, a
 * store locked by a live writer and a read-only folder each give a non-zero exit and one clear line naming
 * the file. Before, the SES emulator was started first and never closed, and the process hung for ever
 * after printing its error. The kill timeout is a hang detector (generous, scaled), not a speed budget.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliEnding, runCli, runCliUntilItEnds } from '../support/cli.js';

const BRIEF = JSON.stringify({
  version: 1,
  id: 'exits',
  list: 'weekly',
  subject: 'Exits',
  stories: [{ headline: 'Hello {{firstName|friend}}' }],
});
/** Nobody, for the read-only case when the tests run as root (root writes through any mode bits). */
const NOBODY = 65534;

function sendUntilItEnds(cwd: string, options: { uid?: number } = {}): Promise<CliEnding> {
  return runCliUntilItEnds(['send', 'brief.json', '--state', 'state'], {
    cwd,
    env: { ...process.env, NEWSBRIEF_SES_ENDPOINT: '' },
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
}

describe('newsbrief send always exits after an error', () => {
  const roots: string[] = [];

  /** A project folder with a brief and a state folder that a real import made (store and keyring). */
  async function usedProject(): Promise<{ cwd: string; state: string }> {
    const cwd = mkdtempSync(join(tmpdir(), 'nb-exits-'));
    roots.push(cwd);
    writeFileSync(join(cwd, 'brief.json'), BRIEF);
    writeFileSync(join(cwd, 'readers.csv'), 'email,firstName\nada@example.com,Ada\n');
    const imported = await runCli(['subscribers', 'import', 'readers.csv', '--list', 'weekly', '--state', 'state'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    const state = join(cwd, 'state');
    // Made by the import: the store, and the keyring the send signs with.
    expect(readdirSync(state)).toEqual(expect.arrayContaining(['state.db', 'keys.json']));
    return { cwd, state };
  }

  beforeAll(async () => {
    await buildCli();
  });

  afterAll(() => {
    for (const root of roots) {
      chmodSync(join(root, 'state'), 0o755);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a corrupt store: exits 1 naming the store file', async () => {
    const { cwd, state } = await usedProject();
    for (const name of ['state.db-wal', 'state.db-shm']) rmSync(join(state, name), { force: true });
    writeFileSync(join(state, 'state.db'), 'not a database at all, just text where the database was '.repeat(100));
    const ending = await sendUntilItEnds(cwd);
    expect(ending.hung, `hung after printing: ${ending.stderr}`).toBe(false);
    expect(ending.code).toBe(1);
    expect(ending.stderr).toContain(join(state, 'state.db'));
  });

  it('a corrupt keyring: exits 1 naming the key file', async () => {
    const { cwd, state } = await usedProject();
    writeFileSync(join(state, 'keys.json'), '{"current": "k1", "k1": ');
    const ending = await sendUntilItEnds(cwd);
    expect(ending.hung, `hung after printing: ${ending.stderr}`).toBe(false);
    expect(ending.code).toBe(1);
    expect(ending.stderr).toContain(join(state, 'keys.json'));
  });

  it('a store locked by a live writer: gives up after the lock wait, exits 1 naming the store', async () => {
    const { cwd, state } = await usedProject();
    // A live writer: another process's write transaction, held for longer than a writer waits for it.
    const writer = new DatabaseSync(join(state, 'state.db'));
    writer.exec('PRAGMA busy_timeout = 5000');
    writer.exec('BEGIN IMMEDIATE');
    try {
      const ending = await sendUntilItEnds(cwd);
      expect(ending.hung, `hung after printing: ${ending.stderr}`).toBe(false);
      expect(ending.code).toBe(1);
      expect(ending.stderr).toContain(join(state, 'state.db'));
      expect(ending.stderr).toMatch(/lock/);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('a read-only state folder: exits 1 naming the folder', async () => {
    const { cwd, state } = await usedProject();
    chmodSync(state, 0o555);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      // The child runs as nobody: it must be able to reach the project and read the state, not write it.
      for (const path of [cwd, state]) chmodSync(path, statSync(path).mode | 0o055);
      for (const name of readdirSync(state)) chmodSync(join(state, name), 0o644);
    }
    const ending = await sendUntilItEnds(cwd, asRoot ? { uid: NOBODY } : {});
    expect(ending.hung, `hung after printing: ${ending.stderr}`).toBe(false);
    expect(ending.code).toBe(1);
    expect(ending.stderr).toContain(state);
    expect(ending.stderr).toMatch(/not writable/);
  });
});
