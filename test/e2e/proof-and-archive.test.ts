/**
 * Proofs and the web archive in local mode, through the real CLI and the real studio: `send --proof` mails
 * the proof recipients only and again on every run, the real send afterwards reaches every subscriber,
 * and the studio serves the archive page, index and feed with nobody's data in them.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { startStudio, type Studio } from '../../src/studio/studio.js';
import { testLists } from '../support/fakes.js';

const READERS = 'email,firstName\nada@example.com,Ada\ngrace@example.org,Grace\n';
const BRIEF = JSON.stringify({
  version: 1,
  id: 'proofed',
  list: 'weekly',
  subject: 'Hello {{firstName|reader}}',
  stories: [{ headline: 'For {{email}}' }],
});
const PROOF_TO = testLists.lists.get('weekly')!.proofRecipients;

function captureIo(cwd: string): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, env: {}, isTty: false };
}

async function outbox(root: string, folder: string) {
  const dir = join(root, folder);
  return Promise.all(readdirSync(dir).map((name) => simpleParser(readFileSync(join(dir, name)))));
}

describe('proofs and the archive, locally', () => {
  let root: string;
  let studio: Studio;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-proof-'));
    mkdirSync(join(root, 'briefs'));
    writeFileSync(join(root, 'briefs', 'proofed.json'), BRIEF);
    writeFileSync(join(root, 'readers.csv'), READERS);
    studio = await startStudio({
      briefsDir: join(root, 'briefs'),
      stateDir: join(root, 'state'),
      port: 0,
      seedCsv: null,
      ratePerSecond: 500,
    });
    expect(await main(['subscribers', 'import', 'readers.csv', '--list', 'weekly', '--state', 'state'], captureIo(root))).toBe(0);
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('send --proof mails only the proof recipients, marked as a proof, every time it runs', async () => {
    for (const folder of ['proof-1', 'proof-2']) {
      const io = captureIo(root);
      expect(await main(['send', 'briefs/proofed.json', '--proof', '--state', 'state', '--outbox', folder], io)).toBe(0);
      expect(io.lines.join('\n')).toContain(`proof of weekly/proofed sent to ${PROOF_TO.join(', ')}`);
      const mails = await outbox(root, folder);
      expect(mails.map((m) => (m.to && 'text' in m.to ? m.to.text : ''))).toEqual(PROOF_TO);
      expect(mails[0]!.subject).toBe('[PROOF] Hello reader');
      expect(String(mails[0]!.html)).toContain('PROOF: a test send');
    }
  });

  it('leaves the issue unsent: the real send afterwards reaches every subscriber', async () => {
    const io = captureIo(root);
    expect(await main(['send', 'briefs/proofed.json', '--state', 'state', '--outbox', 'real'], io)).toBe(0);
    const mails = await outbox(root, 'real');
    expect(mails.map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort()).toEqual([
      '"Ada" <ada@example.com>',
      '"Grace" <grace@example.org>',
    ]);
    expect(mails.every((m) => !m.subject!.startsWith('[PROOF]'))).toBe(true);
  });

  it('the studio has a Send proof button that mails the proof recipients', async () => {
    const page = await (await fetch(`${studio.url}/brief/proofed.json`)).text();
    expect(page).toContain('id="proof"');
    const response = await fetch(`${studio.url}/brief/proofed.json/proof`, { method: 'POST', headers: { 'x-newsbrief-studio': '1' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('proof of weekly/proofed sent to');
  });
});
