/**
 * Local mode end to end, through the real CLI and the real studio: a messy CSV in, one personalized message
 * per reader out (read back from the .eml outbox and from the SES emulator), a second run that sends
 * nothing, and an RFC 8058 one-click unsubscribe over HTTP that the next issue honours.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import { startStudio, type Studio } from '../../src/studio/studio.js';

const MESSY_CSV = [
  'email,firstName,team',
  '  ada@EXAMPLE.com ,Ada,core', // spaces and an upper-case domain
  'grace@example.org,Grace,',
  'ada@example.com,,docs', // the same address again: merged
  'not-an-address,Nobody,', // refused with its line number
  '"linus@Example.NET",Linus,kernel', // quoted
  'margaret@example.com,,', // no first name: the fallback greets her
  '',
].join('\n');

const BRIEF = (id: string, subject: string) =>
  JSON.stringify({
    version: 1,
    id,
    list: 'weekly',
    subject,
    stories: [{ headline: 'Hello {{firstName|friend}}', paragraphs: ['This copy was made for {{email}}.'] }],
  });

function captureIo(cwd: string): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, env: {}, isTty: false };
}

async function readOutbox(folder: string): Promise<ParsedMail[]> {
  return Promise.all(readdirSync(folder).map((name) => simpleParser(readFileSync(join(folder, name)))));
}

function unsubscribeUrlOf(mail: ParsedMail): string {
  // mailparser turns List-* headers into objects; the raw line is what a mail client reads.
  const header = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r?\n\s+/g, '') ?? '';
  const url = /<(http[^>]+)>/.exec(header)?.[1];
  if (!url) throw new Error(`no unsubscribe URL in ${header}`);
  return url;
}

describe('newsbrief send through the local pipeline', () => {
  let root: string;
  let studio: Studio;
  const state = () => join(root, 'state');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-e2e-'));
    mkdirSync(join(root, 'briefs'));
    writeFileSync(join(root, 'briefs', 'issue-one.json'), BRIEF('issue-one', 'Issue one for {{firstName|you}}'));
    writeFileSync(join(root, 'briefs', 'issue-two.json'), BRIEF('issue-two', 'Issue two'));
    writeFileSync(join(root, 'readers.csv'), MESSY_CSV);
    studio = await startStudio({ briefsDir: join(root, 'briefs'), stateDir: state(), port: 0, seedCsv: null, ratePerSecond: 500 });
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports a messy CSV: trims, lower-cases domains, merges duplicates, reports bad rows by line', async () => {
    const io = captureIo(root);
    const code = await main(['subscribers', 'import', 'readers.csv', '--list', 'weekly', '--state', 'state'], io);
    expect(code).toBe(3); // partly imported: one invalid row
    expect(io.lines.join('\n')).toMatch(/4 added.*1 duplicate row\(s\) merged.*1 invalid row/);
    expect(io.lines.join('\n')).toContain('line 5:');

    const exported = captureIo(root);
    expect(await main(['subscribers', 'export', '--list', 'weekly', '--state', 'state'], exported)).toBe(0);
    const csv = exported.lines.join('\n');
    expect(
      csv
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['ada@example.com', 'grace@example.org', 'linus@example.net', 'margaret@example.com']);
    expect(csv).toContain('ada@example.com,Ada,subscribed,docs');
  });

  it('sends every subscriber exactly one personalized message with their own unsubscribe link', async () => {
    const io = captureIo(root);
    const code = await main(['send', 'briefs/issue-one.json', '--state', 'state', '--outbox', 'outbox-1'], io);
    expect(io.lines.join('\n')).toContain('4 sent, 0 skipped as already sent, 0 suppressed, 0 failed');
    expect(code).toBe(0);

    const mails = await readOutbox(join(root, 'outbox-1'));
    const byAddress = new Map(mails.map((m) => [(m.to as { value: { address: string }[] }).value[0]!.address, m]));
    expect([...byAddress.keys()].sort()).toEqual(['ada@example.com', 'grace@example.org', 'linus@example.net', 'margaret@example.com']);
    expect(mails).toHaveLength(4);
    expect(byAddress.get('ada@example.com')!.subject).toBe('Issue one for Ada');
    expect(byAddress.get('margaret@example.com')!.subject).toBe('Issue one for you');
    expect(byAddress.get('linus@example.net')!.text).toContain('Hello Linus');
    expect(byAddress.get('margaret@example.com')!.text).toContain('Hello friend');
    expect(byAddress.get('grace@example.org')!.text).toContain('made for grace@example.org');
    expect(byAddress.get('grace@example.org')!.html).toContain('made for grace@example.org');

    const links = mails.map(unsubscribeUrlOf);
    expect(new Set(links).size).toBe(4);
    for (const [i, link] of links.entries()) {
      expect(link.startsWith(`${studio.url}/unsubscribe?t=`)).toBe(true);
      expect(mails[i]!.text).toContain(link); // the footer's link is the header's link
    }
    expect(mails[0]!.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );

    // The CLI joined the running studio: the same messages are in its local inbox.
    const inbox = (await (await fetch(`${studio.sesEndpoint}/store`)).json()) as { emails: { subject: string }[] };
    expect(inbox.emails.filter((e) => e.subject.startsWith('Issue one'))).toHaveLength(4);
  });

  it('sends nothing new the second time, and says so', async () => {
    const io = captureIo(root);
    expect(await main(['send', 'briefs/issue-one.json', '--state', 'state', '--outbox', 'outbox-1b'], io)).toBe(0);
    expect(io.lines.join('\n')).toMatch(/0 sent, 4 skipped as already sent.*nothing new to send/);
    expect(() => readdirSync(join(root, 'outbox-1b'))).not.toThrow();
    expect(readdirSync(join(root, 'outbox-1b'))).toHaveLength(0);
    const inbox = (await (await fetch(`${studio.sesEndpoint}/store`)).json()) as { emails: unknown[] };
    expect(inbox.emails).toHaveLength(4);
  });

  it('unsubscribes through the link (GET changes nothing, one-click POST does) and the next issue skips them', async () => {
    const grace = (await readOutbox(join(root, 'outbox-1'))).find((m) => m.text?.includes('grace@example.org'))!;
    const link = unsubscribeUrlOf(grace);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await studio.deps.store.get('weekly', 'grace@example.org'))!.status).toBe('subscribed');

    const oneClick = await fetch(link, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await studio.deps.store.get('weekly', 'grace@example.org'))!.status).toBe('unsubscribed');

    const io = captureIo(root);
    expect(await main(['send', 'briefs/issue-two.json', '--state', 'state', '--outbox', 'outbox-2'], io)).toBe(0);
    expect(io.lines.join('\n')).toContain('3 sent, 0 skipped as already sent, 1 suppressed, 0 failed');
    const recipients = (await readOutbox(join(root, 'outbox-2'))).map((m) => (m.to as { text: string }).text);
    expect(recipients).toHaveLength(3);
    expect(recipients.join(' ')).not.toContain('grace@example.org');
  });

  it('refuses a tampered unsubscribe link without changing anything', async () => {
    const response = await fetch(`${studio.url}/unsubscribe?t=v1.dev1.eyJsIjoid2Vla2x5In0.forged`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(400);
  });

  it('does not send an old issue to someone who joined after it went out', async () => {
    writeFileSync(join(root, 'late.csv'), 'email,firstName\nlate@example.com,Late\n');
    expect(await main(['subscribers', 'import', 'late.csv', '--list', 'weekly', '--state', 'state'], captureIo(root))).toBe(0);
    const io = captureIo(root);
    expect(await main(['send', 'briefs/issue-one.json', '--state', 'state', '--outbox', 'outbox-1c'], io)).toBe(0);
    expect(io.lines.join('\n')).toMatch(/: 0 sent, \d+ skipped as already sent/);
    expect(readdirSync(join(root, 'outbox-1c'))).toHaveLength(0);
  });
});
