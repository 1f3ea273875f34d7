/**
 * Local mode end to end with an audience: SQLite state, the local runner, SES on aws-ses-v2-local. A brief for
 * "tag premium, country DE or AT" that greets readers by a field reaches exactly those members, each with their
 * own field value escaped; a brief whose audience matches nobody is refused and mails no one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBriefLocally } from '../../src/local-mode/local-runner.js';
import { createLocalDeps, type LocalDeps } from '../../src/wiring/local.js';
import { startSesLocal, useFakeAwsCredentials } from '../support/emulators.js';

let ses: Awaited<ReturnType<typeof startSesLocal>>;
let deps: LocalDeps;
let dir: string;

const MEMBERS = [
  { email: 'de-premium@example.org', attributes: { tags: 'premium', country: 'DE', city: 'Köln <&>' } },
  { email: 'at-vip@example.org', attributes: { tags: 'free;vip', country: 'at' } },
  { email: 'fr-premium@example.org', attributes: { tags: 'premium', country: 'FR', city: 'Lyon' } },
  { email: 'de-free@example.org', attributes: { tags: 'free', country: 'DE', city: 'Bonn' } },
  { email: 'de-nothing@example.org', attributes: undefined },
];

beforeAll(async () => {
  useFakeAwsCredentials();
  ses = await startSesLocal();
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-audience-'));
  deps = createLocalDeps({ stateDir: dir, sesEndpoint: ses.endpoint, publicUrl: 'http://127.0.0.1:4300', ratePerSecond: 1000 });
  for (const m of MEMBERS) await deps.store.upsert({ list: 'weekly', status: 'subscribed', ...m }, '2026-03-01T00:00:00.000Z');
  await deps.store.upsert(
    { list: 'weekly', email: 'gone-premium@example.org', status: 'unsubscribed', attributes: { tags: 'premium', country: 'DE' } },
    '2026-03-01T00:00:00.000Z',
  );
});
afterAll(async () => {
  deps?.ses.destroy();
  await ses?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const brief = (id: string, audience: object) =>
  Buffer.from(
    JSON.stringify({
      version: 1,
      id,
      list: 'weekly',
      subject: `Audience ${id}`,
      stories: [{ headline: 'News for {{fields.city|your city}}' }],
      audience,
    }),
  );

describe('sending to an audience locally', () => {
  it('mails exactly the members in the audience, each with their field escaped or the fallback', { timeout: 120_000 }, async () => {
    const result = await sendBriefLocally(deps, {
      bytes: brief('dach', { tags: ['premium', 'vip'], fields: { country: ['DE', 'AT'] } }),
      fileName: 'dach.json',
    });
    expect(result.status).toBe('sent');
    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: Array<{ destination: { to: string[] }; subject: string; body: { html?: string; text?: string } }>;
    };
    const mails = store.emails.filter((m) => m.subject === 'Audience dach');
    expect(mails.flatMap((m) => m.destination.to).sort()).toEqual(['at-vip@example.org', 'de-premium@example.org']);
    const html = (to: string) => mails.find((m) => m.destination.to.includes(to))!.body.html ?? '';
    expect(html('de-premium@example.org')).toContain('News for Köln &lt;&amp;&gt;');
    expect(html('at-vip@example.org')).toContain('News for your city');
    expect((await deps.ledger.getIssue({ list: 'weekly', id: 'dach' }))?.counts).toMatchObject({ planned: 2, sent: 2 });
  });

  it('refuses an audience that matches nobody and mails no one', { timeout: 120_000 }, async () => {
    const result = await sendBriefLocally(deps, {
      bytes: brief('nobody', { tags: ['premium'], fields: { country: ['JP'] } }),
      fileName: 'nobody.json',
    });
    expect(result).toMatchObject({ status: 'refused', problems: [{ pointer: '/audience' }] });
    const emails = await ses.emails();
    expect(emails.filter((m) => m.subject === 'Audience nobody')).toEqual([]);
  });
});
