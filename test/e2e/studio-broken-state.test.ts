/**
 * The studio opens its state folder before it starts anything: a corrupt database fails the start with the
 * file's name and leaves nothing running. Before, the embedded SES emulator (and its inbox port) was started
 * first and stayed up after the error until the process exited.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../src/studio/studio.js';
import { freePort } from '../support/emulators.js';

const root = mkdtempSync(join(tmpdir(), 'nb-broken-state-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Whether something still listens on `port` (a leaked emulator would). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('the studio on a broken state folder', () => {
  it('refuses to start, naming what in the state folder is wrong, with no emulator left listening', async () => {
    const state = join(root, 'state');
    mkdirSync(state);
    writeFileSync(join(state, 'state.db'), 'not a database, just text where the database was '.repeat(100));
    mkdirSync(join(root, 'briefs'));
    const inboxPort = await freePort();
    await expect(startStudio({ briefsDir: join(root, 'briefs'), stateDir: state, port: 0, inboxPort, seedCsv: null })).rejects.toThrow(
      state,
    );
    expect(await isFree(inboxPort)).toBe(true);
  });
});
