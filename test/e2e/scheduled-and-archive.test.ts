/**
 * Scheduled sends and the web archive in local mode, through the real CLI and studio: `newsbrief send` of a
 * future brief schedules it (status and the studio's countdown show it), a re-upload replaces it, the
 * studio's timer starts it at its time, and the studio serves the archive page, index and feed with nobody's
 * data in them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { startDueLocally } from '../../src/local-mode/scheduled-locally.js';
import { startStudio, type Studio } from '../../src/studio/studio.js';

const READERS = 'email,firstName\nada@example.com,Ada\ngrace@example.org,Grace\n';
const inTwoDays = new Date(Date.now() + 2 * 86_400_000 - 1_800_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const BRIEF = (subject: string) =>
  JSON.stringify({
    version: 1,
    id: 'sunday',
    list: 'weekly',
    subject,
    sendAt: inTwoDays,
    stories: [{ headline: 'Dear {{firstName|reader}}', paragraphs: ['Sent to {{email}}.'] }],
  });

function captureIo(cwd: string): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, env: {}, isTty: false };
}

describe('scheduled sends and the archive, locally', () => {
  let root: string;
  let studio: Studio;
  const cli = async (...args: string[]) => {
    const io = captureIo(root);
    const code = await main(args, io);
    return { code, out: io.lines.join('\n') };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-sched-'));
    mkdirSync(join(root, 'briefs'));
    writeFileSync(join(root, 'readers.csv'), READERS);
    studio = await startStudio({
      briefsDir: join(root, 'briefs'),
      stateDir: join(root, 'state'),
      port: 0,
      seedCsv: null,
      ratePerSecond: 500,
    });
    expect((await cli('subscribers', 'import', 'readers.csv', '--list', 'weekly', '--state', 'state')).code).toBe(0);
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('schedules a future brief instead of sending it; status and the studio show when', async () => {
    writeFileSync(join(root, 'briefs', 'sunday.json'), BRIEF('Sunday typo'));
    const sent = await cli('send', 'briefs/sunday.json', '--state', 'state', '--outbox', 'out');
    expect(sent.code).toBe(0);
    expect(sent.out).toContain(`issue weekly/sunday scheduled for ${inTwoDays} (in 1d 23h`);
    const status = await cli('status', 'weekly', 'sunday', '--state', 'state');
    expect(status.out).toMatch(/weekly\/sunday: scheduled for .* \(in 1d 23h\)/);
    const index = await (await fetch(studio.url)).text();
    expect(index).toContain('data-testid="scheduled"');
    expect(index).toContain('weekly/sunday');
  });

  it('replaces the scheduled issue on a re-upload, and says so', async () => {
    writeFileSync(join(root, 'briefs', 'sunday.json'), BRIEF('Sunday edition'));
    const again = await cli('send', 'briefs/sunday.json', '--state', 'state', '--outbox', 'out');
    expect(again.out).toContain('replacing the upload from briefs/sunday.json');
    expect(studio.deps.scheduler.pending()).toHaveLength(1);
  });

  it('starts it when its time comes: every subscriber gets the newest version, once', async () => {
    const at = Date.parse(inTwoDays);
    expect(await startDueLocally({ ...studio.deps, clock: { now: () => at - 1000 } })).toEqual([]);
    const runs = await startDueLocally({ ...studio.deps, clock: { now: () => at } });
    expect(runs).toMatchObject([{ issue: { list: 'weekly', id: 'sunday' }, start: 'started', progress: { sent: 2 } }]);
    expect(await startDueLocally({ ...studio.deps, clock: { now: () => at + 60_000 } })).toEqual([]);
    expect((await cli('status', 'weekly', 'sunday', '--state', 'state')).out).toMatch(/sent, started .*2 sent/);
    const resend = await cli('send', 'briefs/sunday.json', '--state', 'state', '--outbox', 'out-2');
    expect(resend.out).not.toContain('scheduled for');
  });

  it('serves the archive page, index and Atom feed, with no subscriber data', async () => {
    const page = await (await fetch(`${studio.url}/archive/weekly/sunday.html`)).text();
    expect(page).toContain('Dear reader');
    expect(page).toContain('>Subscribe</a>');
    for (const secret of ['ada@example.com', 'grace@example.org', 'Ada', 'Grace', '?t=']) expect(page).not.toContain(secret);

    const index = await (await fetch(`${studio.url}/archive/weekly/`)).text();
    expect(index).toContain('Sunday edition');
    const feedResponse = await fetch(`${studio.url}/archive/weekly/feed.xml`);
    expect(feedResponse.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const feed = await feedResponse.text();
    expect(XMLValidator.validate(feed)).toBe(true);
    expect(new XMLParser().parse(feed).feed.entry.title).toBe('Sunday edition');
  });
});
