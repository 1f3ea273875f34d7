/**
 * The local inbox of the embedded SES, over HTTP as a browser reaches it: newest first and a page at a time
 * (a 2,000-mail send used to arrive as one 44 MB document), each message opened on its own with its HTML
 * sandboxed, kept in the state folder so that a restart shows it again, on the port it was given at every
 * start, and answering only its own Host (DNS rebinding could otherwise read all local mail).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxDirOf, type SesEmulator, startSesEmulator } from '../../src/wiring/local.js';

const MESSAGES = 120;

function rawMessage(n: number): string {
  const subject = `Message ${String(n).padStart(3, '0')} ✓`;
  return [
    'From: Newsroom <news@example.com>',
    `To: reader${n}@example.org`,
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `Plain text of message ${n} =E2=9C=93`,
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(`<p>HTML of message ${n}</p><script>alert(1)</script>`).toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

/** GET with a chosen Host header (fetch sets its own). */
function get(
  url: string,
  host?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      { agent: false, host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers: host ? { host } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the local inbox', () => {
  let stateDir: string;
  let emulator: SesEmulator | undefined;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nb-inbox-'));
    emulator = await startSesEmulator({ stateDir });
    const ses = new SESClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (let n = 1; n <= MESSAGES; n++) await ses.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(rawMessage(n)) } }));
    ses.destroy();
  });

  afterAll(async () => {
    await emulator?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps every message SES took as one .eml in the state folder', async () => {
    expect(readdirSync(inboxDirOf(stateDir)).filter((name) => name.endsWith('.eml'))).toHaveLength(MESSAGES);
    // The emulator's own store still answers, as the tests and tools that read /store expect.
    expect(await emulator!.sent()).toHaveLength(MESSAGES);
  });

  it('lists 50 messages a page, newest first, with their decoded subjects', async () => {
    const first = await get(emulator!.inboxUrl);
    expect(first.status).toBe(200);
    expect(first.body).toContain(`${MESSAGES} messages`);
    expect(first.body).toContain('page 1 of 3');
    expect(first.body).toContain('Message 120 ✓');
    expect(first.body).toContain('Message 071 ✓');
    expect(first.body).not.toContain('Message 070 ✓');
    expect(first.body.indexOf('Message 120')).toBeLessThan(first.body.indexOf('Message 119'));
    expect(first.body.match(/href="\/messages\//g)).toHaveLength(50);
    const last = await get(`${emulator!.endpoint}/?page=3`);
    expect(last.body).toContain('Message 001 ✓');
    expect(last.body).not.toContain('Message 021 ✓');
    expect(last.body.match(/href="\/messages\//g)).toHaveLength(20);
  });

  it('opens one message on its own page, its HTML in a sandbox with no script', async () => {
    const list = await get(emulator!.inboxUrl);
    const link = /href="(\/messages\/[^"]+)">Message 120/.exec(list.body)![1]!;
    const page = await get(`${emulator!.endpoint}${link}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('reader120@example.org');
    expect(page.body).toContain('Plain text of message 120 ✓');
    expect(page.body).toMatch(/<iframe sandbox src="[^"]+\/html"/);
    const body = await get(`${emulator!.endpoint}${link}/html`);
    expect(body.body).toContain('<p>HTML of message 120</p>');
    expect(String(body.headers['content-security-policy'])).toMatch(/^sandbox;/);
    expect(String(body.headers['content-security-policy'])).not.toContain('script-src');
    const raw = await get(`${emulator!.endpoint}${link}.eml`);
    expect(raw.body).toContain('To: reader120@example.org');
    expect((await get(`${emulator!.endpoint}/messages/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('answers only its own Host: a page reaching it through another name reads nothing', async () => {
    const { port } = new URL(emulator!.endpoint);
    for (const path of ['/', '/store', '/messages/x']) {
      const refused = await get(`${emulator!.endpoint}${path}`, `rebind.attacker.example:${port}`);
      expect(refused.status).toBe(421);
      expect(refused.body).not.toContain('Message');
    }
    expect((await get(emulator!.inboxUrl, `localhost:${port}`)).status).toBe(200);
  });

  it('shows the same messages after a restart, on the same port', async () => {
    const port = await freePort();
    await emulator!.close();
    emulator = await startSesEmulator({ stateDir, port });
    expect(new URL(emulator.endpoint).port).toBe(String(port));
    const before = await get(emulator.inboxUrl);
    expect(before.body).toContain(`${MESSAGES} messages`);
    await emulator.close();
    emulator = await startSesEmulator({ stateDir, port });
    expect(new URL(emulator.endpoint).port).toBe(String(port));
    expect((await get(emulator.inboxUrl)).body).toContain('Message 120 ✓');
  });

  it('says so when its port is taken, and uses a free one', async () => {
    const port = Number(new URL(emulator!.endpoint).port);
    const second = await startSesEmulator({ stateDir, port });
    try {
      expect(second.endpoint).not.toBe(emulator!.endpoint);
      expect(second.notes.join('\n')).toContain(`port ${port} is taken`);
      expect((await get(second.inboxUrl)).body).toContain(`${MESSAGES} messages`);
    } finally {
      await second.close();
    }
  });
});
