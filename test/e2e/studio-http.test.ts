/**
 * The studio's edges over real HTTP: it answers only its own Host (DNS rebinding) and POSTs only from its own
 * pages (CSRF); an oversized body gets a 413 the client can read; Send asks first and sends only what was
 * confirmed; a brief whose sendAt is ahead says "Schedule for …" with its time and can be unscheduled; the
 * stylesheet and script are files with their content types and caching.
 */
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Studio, startStudio } from '../../src/studio/studio.js';
import { until } from '../support/until.js';

const READERS = 'email,firstName\nada@example.com,Ada\ngrace@example.org,Grace\n';
const BRIEF = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: 1,
    id,
    list: 'weekly',
    subject: `Subject of ${id}`,
    stories: [{ headline: 'Hello {{firstName|friend}}', paragraphs: ['Text.'] }],
    ...extra,
  });

/** One request with exactly the headers given (fetch would not let a test set Host). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the studio over HTTP', () => {
  let root: string;
  let studio: Studio;
  let port: string;
  const inbox = async () => ((await (await fetch(`${studio.sesEndpoint}/store`)).json()) as { emails: { subject: string }[] }).emails;
  const sendHeaders = { 'x-newsbrief-studio': '1', 'content-type': 'application/x-www-form-urlencoded' };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-studio-http-'));
    mkdirSync(join(root, 'briefs'));
    writeFileSync(join(root, 'readers.csv'), READERS);
    writeFileSync(join(root, 'briefs', 'now.json'), BRIEF('now'));
    writeFileSync(
      join(root, 'briefs', 'later.json'),
      BRIEF('later', { sendAt: `${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16)}:00Z` }),
    );
    studio = await startStudio({
      briefsDir: join(root, 'briefs'),
      stateDir: join(root, 'state'),
      port: 0,
      seedCsv: join(root, 'readers.csv'),
      ratePerSecond: 500,
    });
    port = new URL(studio.url).port;
  }, 30_000);

  afterAll(async () => {
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('the request guard', () => {
    it('refuses a foreign Host (DNS rebinding) with 421 and a clear message, and shows no subscriber', async () => {
      const response = await raw(`${studio.url}/subscribers/weekly`, { headers: { host: `rebind.evil.example:${port}` } });
      expect(response.status).toBe(421);
      expect(response.body).toContain('DNS rebinding');
      expect(response.body).toContain(`http://localhost:${port}/`);
      expect(response.body).not.toContain('ada@example.com');
    });

    it('refuses a send through a foreign Host even with the studio’s own header, and sends nothing', async () => {
      const response = await raw(`${studio.url}/brief/now.json/send`, {
        method: 'POST',
        headers: { ...sendHeaders, host: `rebind.evil.example:${port}` },
        body: 'list=weekly&recipients=2&start=now',
      });
      expect(response.status).toBe(421);
      expect(await inbox()).toHaveLength(0);
    });

    it('answers its own loopback names', async () => {
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
        const response = await raw(`${studio.url}/subscribers/weekly`, { headers: { host } });
        expect([host, response.status]).toEqual([host, 200]);
        expect(response.body).toContain('ada@example.com');
      }
    });

    it('refuses a POST from another site’s page (CSRF) with 403, and lets the studio’s own origin through', async () => {
      const foreign = await fetch(`${studio.url}/subscribe`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'list=weekly&email=victim%40example.com',
      });
      expect(foreign.status).toBe(403);
      expect(await foreign.text()).toContain('came from a page at https://evil.example');
      expect(await studio.deps.store.get('weekly', 'victim@example.com')).toBeUndefined();

      const own = await fetch(`${studio.url}/subscribe`, {
        method: 'POST',
        headers: { origin: studio.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'list=weekly&email=nope',
      });
      expect(own.status).toBe(400); // past the guard: the form's own answer
    });
  });

  describe('request bodies', () => {
    it('answers a body over 16 KiB with a readable 413, for a little over and for a lot over', async () => {
      for (const size of [17 * 1024, 2 * 1024 * 1024]) {
        const response = await raw(`${studio.url}/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `list=weekly&email=${'a'.repeat(size)}%40example.com`,
        });
        expect([size, response.status]).toEqual([size, 413]);
        expect(response.body).toContain('larger than 16 KiB');
      }
      // The connection was not reset, and the studio still answers.
      expect((await fetch(`${studio.url}/`)).status).toBe(200);
    });
  });

  describe('the confirm step', () => {
    it('asks on the brief page with the list and the number of subscribers', async () => {
      const page = await (await fetch(`${studio.url}/brief/now.json`)).text();
      expect(page).toContain('Send to The Weekly Brief (2 subscribed)');
      expect(page).toContain('Send to 2 subscribers of The Weekly Brief?');
      expect(page).toContain('id="send-confirm-yes"');
      expect(page).toMatch(/<input type="hidden" name="recipients" value="2">/);
    });

    it('refuses an unconfirmed send (428) and a stale one (409), and sends nothing', async () => {
      const unconfirmed = await fetch(`${studio.url}/brief/now.json/send`, { method: 'POST', headers: sendHeaders, body: '' });
      expect(unconfirmed.status).toBe(428);
      expect(await unconfirmed.text()).toContain('Send to 2 subscribers of The Weekly Brief?');

      const stale = await fetch(`${studio.url}/brief/now.json/send`, {
        method: 'POST',
        headers: sendHeaders,
        body: 'list=weekly&recipients=1&start=now',
      });
      expect(stale.status).toBe(409);
      expect(await stale.text()).toContain('2 subscribers of The Weekly Brief would get it now, not 1');

      const withoutHeader = await fetch(`${studio.url}/brief/now.json/send`, {
        method: 'POST',
        body: 'list=weekly&recipients=2&start=now',
      });
      expect(withoutHeader.status).toBe(403);
      expect(await inbox()).toHaveLength(0);
    });

    it('sends what was confirmed', async () => {
      const sent = await fetch(`${studio.url}/brief/now.json/send`, {
        method: 'POST',
        headers: sendHeaders,
        body: 'list=weekly&recipients=2&start=now',
      });
      expect(sent.status).toBe(202);
      const mails = await until(inbox, (m) => m.length >= 2);
      expect(mails.map((m) => m.subject)).toEqual(['Subject of now', 'Subject of now']);
    });
  });

  describe('a brief whose sendAt is ahead', () => {
    it('shows its time in UTC and local time, and says Schedule instead of Send', async () => {
      const page = await (await fetch(`${studio.url}/brief/later.json`)).text();
      expect(page).toMatch(/id="send"\s*>Schedule for \d{4}-\d\d-\d\d \d\d:\d\d UTC<\/button>/);
      expect(page).not.toContain('>Send to The Weekly Brief');
      expect(page).toMatch(/Schedule for 2 subscribers of The Weekly Brief, to go out at \d{4}-\d\d-\d\d \d\d:\d\d UTC\?/);
      expect(page).toMatch(/\(local time: <time datetime="[^"]+Z" data-local-time>[^<]+ [A-Za-z_]+(\/[A-Za-z_+-]+)*<\/time>\)/);
      expect(page).toContain('name="start" value="');
    });

    it('schedules it once confirmed, shows the schedule, and cancels it on request', async () => {
      const page = await (await fetch(`${studio.url}/brief/later.json`)).text();
      const start = /name="start" value="([^"]+)"/.exec(page)![1]!;
      const scheduled = await fetch(`${studio.url}/brief/later.json/send`, {
        method: 'POST',
        headers: sendHeaders,
        body: `list=weekly&recipients=2&start=${encodeURIComponent(start)}`,
      });
      expect([scheduled.status, await scheduled.text()]).toEqual([202, 'Scheduling.']);
      await until(
        () => studio.deps.scheduler.pending(),
        (p) => p.length === 1,
      );

      const after = await (await fetch(`${studio.url}/brief/later.json`)).text();
      expect(after).toContain('data-testid="schedule"');
      expect(after).toContain('data-issue-action="unschedule"');
      expect(after).toContain('<span class="badge scheduled" data-testid="status">scheduled</span>');

      const cancelled = await fetch(`${studio.url}/brief/later.json/unschedule`, {
        method: 'POST',
        headers: { 'x-newsbrief-studio': '1' },
      });
      expect(cancelled.status).toBe(200);
      expect(await cancelled.text()).toContain('Cancelled the schedule');
      expect(studio.deps.scheduler.pending()).toHaveLength(0);
      expect(await inbox()).toHaveLength(2); // only the earlier send
    });
  });

  describe('pages and assets', () => {
    it('links its stylesheet and script as files, with no inline script, under a CSP that forbids inline script', async () => {
      const response = await fetch(`${studio.url}/brief/now.json`);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const page = await response.text();
      expect(page).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(page).not.toMatch(/\sstyle="/);
      const css = /<link rel="stylesheet" href="([^"]+)">/.exec(page)![1]!;
      const js = /<script src="([^"]+)" defer>/.exec(page)![1]!;
      expect(css).toMatch(/^\/assets\/studio\.css\?v=[0-9a-f]{12}$/);

      const sheet = await fetch(`${studio.url}${css}`);
      expect(sheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(sheet.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await sheet.text()).toContain('.badge.valid');
      const script = await fetch(`${studio.url}${js}`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toContain("new EventSource('/events')");

      // Unversioned: revalidated by ETag each time, 304 when unchanged.
      const plain = await fetch(`${studio.url}/assets/studio.css`);
      expect(plain.headers.get('cache-control')).toBe('no-cache');
      const again = await fetch(`${studio.url}/assets/studio.css`, { headers: { 'if-none-match': plain.headers.get('etag')! } });
      expect(again.status).toBe(304);
      expect((await fetch(`${studio.url}/assets/..%2Fstudio.ts`)).status).toBe(404);
    });

    it('answers a wrong method with 405 and Allow, and an unknown path with 404', async () => {
      const wrong = await fetch(`${studio.url}/brief/now.json/send`);
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
      expect((await fetch(`${studio.url}/nothing-here`)).status).toBe(404);
      expect((await fetch(`${studio.url}/brief/missing.json`)).status).toBe(404);
    });
  });
});
