/**
 * Double opt-in and one-click unsubscribe in the local studio over HTTP: the form, the confirmation mail in the
 * embedded SES inbox, the confirm link, and leaving again, with the same use-cases and pages as on AWS.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Studio, startStudio } from '../../src/studio/studio.js';

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

    const ok = await post('/subscribe', 'list=weekly&email=new.reader%40example.org&firstName=Nia');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Check your inbox');
    expect((await studio.deps.store.get('weekly', 'new.reader@example.org'))!.status).toBe('pending');
    // A second post within the hour: same answer, no second mail.
    expect((await post('/subscribe', 'list=weekly&email=new.reader%40example.org')).status).toBe(200);
    const mails = (await inbox()).filter((m) => m.destination.to.some((to) => to.includes('new.reader@example.org')));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Confirm your subscription to The Weekly Brief');

    const link = /href="([^"]+\/confirm\?t=[^"]+)"/.exec(mails[0]!.body.html)![1]!.replace(/&amp;/g, '&');
    expect(link.startsWith(`${studio.url}/confirm?t=`)).toBe(true);
    // Opening the link (as a mail scanner would) only asks; the page's button confirms.
    const asked = await fetch(link);
    expect([asked.status, await asked.text()]).toEqual([200, expect.stringContaining('Confirm subscription</button>')]);
    expect((await studio.deps.store.get('weekly', 'new.reader@example.org'))!.status).toBe('pending');
    const confirmed = await post(new URL(link).pathname + new URL(link).search, '');
    expect([confirmed.status, await confirmed.text()]).toEqual([200, expect.stringContaining('You are subscribed')]);
    expect((await studio.deps.store.get('weekly', 'new.reader@example.org'))!.status).toBe('subscribed');

    const unsubscribeLink = /href="([^"]+\/unsubscribe\?t=[^"]+)"/.exec(mails[0]!.body.html)![1]!.replace(/&amp;/g, '&');
    const left = await post(new URL(unsubscribeLink).pathname + new URL(unsubscribeLink).search, 'List-Unsubscribe=One-Click');
    expect(left.status).toBe(200);
    expect((await studio.deps.store.get('weekly', 'new.reader@example.org'))!.status).toBe('unsubscribed');
  }, 30_000);

  it('answers a forged confirmation link with the generic page and changes nothing', async () => {
    const response = await fetch(`${studio.url}/confirm?t=v1.k1.eyJsIjoid2Vla2x5In0.forged`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This link is not valid');
  });
});
