/**
 * Double opt-in and one-click unsubscribe in the local studio over HTTP: the form, the confirmation mail in the
 * embedded SES inbox, the confirm link, and leaving again, with the same use-cases and pages as on AWS.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Studio, startStudio } from '../../src/studio/studio.js';
import { DEFAULT_CONFIRMATION_LIMITS } from '../../src/subscribers/confirmation-limits.js';

describe('studio subscribe, confirm and unsubscribe', () => {
  let root: string;
  let studio: Studio;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-subscribe-'));
    mkdirSync(join(root, 'briefs'));
    studio = await startStudio({ briefsDir: join(root, 'briefs'), stateDir: join(root, 'state'), port: 0, seedCsv: null });
  }, 30_000);

  afterAll(async () => {
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const post = (path: string, body: string) =>
    fetch(`${studio.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });

  async function inbox(): Promise<Array<{ subject: string; body: { html: string }; destination: { to: string[] } }>> {
    return (
      (await (await fetch(`${studio.sesEndpoint}/store`)).json()) as {
        emails: Array<{ subject: string; body: { html: string }; destination: { to: string[] } }>;
      }
    ).emails;
  }

  it('shows the form, refuses bad input with every problem, mails one confirmation, and the link subscribes', async () => {
    const form = await fetch(`${studio.url}/subscribe?list=weekly`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="website"');

    const bad = await post('/subscribe', 'list=weekly&email=nope');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter an address such as name@example.com.');

    // The pair of posts: the first mails a confirmation, the second (same mailbox, same window) gets the same
    // answer and no mail. The per-mailbox budgets are fixed windows on the studio's real clock (10 minutes and a
    // day, starting at multiples of their length; confirmation-limits.ts), so when a window boundary falls
    // between the two posts the second rightly mails again. Such a pair says nothing about the property and is
    // done again with a fresh address; the next pair starts just after a boundary, so it cannot straddle one.
    const windows = DEFAULT_CONFIRMATION_LIMITS.perMailbox.map((limit) => limit.windowMs);
    const sameWindows = (a: number, b: number) => windows.every((ms) => Math.floor(a / ms) === Math.floor(b / ms));
    let email = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      email = `new.reader${attempt === 0 ? '' : `.${attempt}`}@example.org`;
      const before = studio.deps.clock.now();
      const ok = await post('/subscribe', `list=weekly&email=${encodeURIComponent(email)}&firstName=Nia`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('Check your inbox');
      expect((await studio.deps.store.get('weekly', email))!.status).toBe('pending');
      expect((await post('/subscribe', `list=weekly&email=${encodeURIComponent(email)}`)).status).toBe(200);
      if (sameWindows(before, studio.deps.clock.now())) break;
    }
    const mails = (await inbox()).filter((m) => m.destination.to.some((to) => to.includes(email)));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Confirm your subscription to The Weekly Brief');

    const link = /href="([^"]+\/confirm\?t=[^"]+)"/.exec(mails[0]!.body.html)![1]!.replace(/&amp;/g, '&');
    expect(link.startsWith(`${studio.url}/confirm?t=`)).toBe(true);
    // Opening the link (as a mail scanner would) only asks; the page's button confirms.
    const asked = await fetch(link);
    expect([asked.status, await asked.text()]).toEqual([200, expect.stringContaining('Confirm subscription</button>')]);
    expect((await studio.deps.store.get('weekly', email))!.status).toBe('pending');
    const confirmed = await post(new URL(link).pathname + new URL(link).search, '');
    expect([confirmed.status, await confirmed.text()]).toEqual([200, expect.stringContaining('You are subscribed')]);
    expect((await studio.deps.store.get('weekly', email))!.status).toBe('subscribed');

    const unsubscribeLink = /href="([^"]+\/unsubscribe\?t=[^"]+)"/.exec(mails[0]!.body.html)![1]!.replace(/&amp;/g, '&');
    const left = await post(new URL(unsubscribeLink).pathname + new URL(unsubscribeLink).search, 'List-Unsubscribe=One-Click');
    expect(left.status).toBe(200);
    expect((await studio.deps.store.get('weekly', email))!.status).toBe('unsubscribed');
  }, 30_000);

  it('answers a forged confirmation link with the generic page and changes nothing', async () => {
    const response = await fetch(`${studio.url}/confirm?t=v1.k1.eyJsIjoid2Vla2x5In0.forged`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This link is not valid');
  });
});
