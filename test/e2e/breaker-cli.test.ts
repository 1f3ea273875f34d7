/** `newsbrief breaker status|reset-confirmations` on a local state folder, through the real CLI. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/adapters/local/local-store.js';
import { CONFIRMATION_BREAKER_WINDOW_MS, confirmationCount } from '../../src/breaker/confirmation-breaker.js';
import { runCli } from '../support/cli.js';

const newsbrief = (...args: string[]) => runCli(args);
const dayOf = (ms: number) => Math.floor(ms / CONFIRMATION_BREAKER_WINDOW_MS);

describe('newsbrief breaker (local state)', () => {
  it('shows the tripped confirmation breaker of a list, resets it, and refuses an unknown list', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nb-breaker-'));
    // The counters are per UTC day and the CLI reads the real clock: a run that straddles midnight counts in one
    // day and reads the next, so such a run is done again (it cannot straddle twice).
    let results: Awaited<ReturnType<typeof newsbrief>>[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = Date.now();
      const store = new LocalStore(state);
      await store.reset(confirmationCount('weekly', 'sent'), started);
      await store.reset(confirmationCount('weekly', 'complained'), started);
      await store.add(confirmationCount('weekly', 'sent'), started, 4);
      await store.add(confirmationCount('weekly', 'complained'), started, 3);
      store.close();
      results = [
        await newsbrief('breaker', 'status', '--state', state),
        await newsbrief('breaker', 'reset-confirmations', 'weekly', '--state', state),
        await newsbrief('breaker', 'status', 'weekly', '--state', state, '--json'),
      ];
      if (dayOf(started) === dayOf(Date.now())) break;
    }
    const [tripped, reset, after] = results as [(typeof results)[number], (typeof results)[number], (typeof results)[number]];
    expect(tripped.code).toBe(1);
    expect(tripped.stdout).toMatch(/^weekly\s+TRIPPED: .*3 complained; no confirmation mails until \d{4}-\d\d-\d\dT00:00:00\.000Z/m);
    expect(tripped.stdout).toMatch(/^morning-digest\s+ok: 0 confirmation mail\(s\) today/m);
    expect([reset.code, reset.stdout]).toEqual([0, expect.stringContaining('weekly (local): confirmation breaker reset (it had tripped')]);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).breakers).toEqual([expect.objectContaining({ list: 'weekly', tripped: false, complained: 0 })]);

    const unknown = await newsbrief('breaker', 'reset-confirmations', 'nope', '--state', state);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown list "nope"')]);
  }, 60_000);
});
