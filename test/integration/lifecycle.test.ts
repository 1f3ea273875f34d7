/**
 * The unsubscribe and feedback handlers with their real wiring and the AWS SDK over HTTP: DynamoDB on
 * moto_server (with the byId index; the ledger writes transactions, which dynalite lacks), S3 on s3rver, Secrets Manager on moto_server. The unsubscribe endpoint
 * is reached over real HTTP through a function-URL front; SES feedback arrives in real SNS envelopes.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedbackLedger } from '../../src/adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { ENV } from '../../src/config/env-names.js';
import { parseKeyring, signToken } from '../../src/deliver/tokens.js';
import { startMoto, startS3rver, startSesLocal, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { skipWithout } from '../support/test-tools.js';
import { type FunctionUrlServer, serveFunctionUrl } from '../support/function-url-server.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { sesFixture, snsEvent } from '../support/ses-events.js';

const BUCKET = 'newsbrief-briefs';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:newsbrief-feedback';
const KEYRING = { current: 'k2', k1: 'integration-old-signing-key-0123456789abcdef', k2: 'integration-new-signing-key-0123456789abcdef' };
const keyring = parseKeyring(KEYRING);
const LISTS_JSON = JSON.stringify({ lists: JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')).lists });
const AT = '2026-03-01T00:00:00Z';

let s3rver: Emulator, moto: Emulator;
let store: DynamoSubscriberStore, ledger: DynamoLedger, feedback: DynamoFeedbackLedger, s3: S3Client;
let front: FunctionUrlServer;
let subscribeFront: FunctionUrlServer;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let feedbackHandler: typeof import('../../lambdas/feedback.js').handler;

beforeAll(async () => {
  useFakeAwsCredentials();
  [s3rver, moto, ses] = await Promise.all([startS3rver([BUCKET]), startMoto(), startSesLocal()]);
  const dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await createNewsbriefTables(dynamo);
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoSubscriberStore(db, 'subscribers', randomUUID);
  ledger = new DynamoLedger(db, 'ledger');
  feedback = new DynamoFeedbackLedger(db, 'ledger');
  s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
  const secret = await new SecretsManagerClient({ endpoint: moto.endpoint }).send(
    new CreateSecretCommand({ Name: 'keys', SecretString: JSON.stringify(KEYRING) }),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3rver.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    [ENV.briefsBucket]: BUCKET,
    [ENV.subscribersTable]: 'subscribers',
    [ENV.ledgerTable]: 'ledger',
    [ENV.listsJson]: LISTS_JSON,
    [ENV.keysSecretArn]: secret.ARN!,
    [ENV.feedbackTopicArn]: TOPIC,
    [ENV.breakerMinSample]: '10',
  });
  front = await serveFunctionUrl((await import('../../lambdas/unsubscribe.js')).handler);
  feedbackHandler = (await import('../../lambdas/feedback.js')).handler;
  subscribeFront = await serveFunctionUrl((await import('../../lambdas/subscribe.js')).handler);
});

afterAll(async () => {
  await Promise.all([front?.close(), subscribeFront?.close(), s3rver?.stop(), moto?.stop(), ses?.stop()]);
});

async function statusOf(list: string, email: string): Promise<string | undefined> {
  return (await store.get(list, email))?.status;
}

describe.skipIf(skipWithout('moto_server'))('unsubscribe endpoint over HTTP', () => {
  const oneClick = (url: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });

  it('GET shows the page and changes nothing; the one-click POST unsubscribes at once; a repeat is a harmless 200', async () => {
    const ada = await store.upsert({ list: 'weekly', email: 'ada@example.org', status: 'subscribed' }, AT);
    const url = `${front.url}/?t=${encodeURIComponent(signToken({ list: 'weekly', subscriber: ada.id, purpose: 'unsubscribe' }, keyring))}`;

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('will receive no more issues of The Weekly Brief');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await statusOf('weekly', 'ada@example.org')).toBe('subscribed');

    const post = await oneClick(url);
    expect([post.status, post.headers.get('location')]).toEqual([200, null]);
    expect(await post.text()).toContain('You are unsubscribed');
    expect(await statusOf('weekly', 'ada@example.org')).toBe('unsubscribed');

    const replay = await oneClick(url);
    expect(replay.status).toBe(200);
    expect(await statusOf('weekly', 'ada@example.org')).toBe('unsubscribed');
  });

  it.each([
    [
      "multipart/form-data (RFC 8058's recommendation)",
      () => {
        const form = new FormData();
        form.set('List-Unsubscribe', 'One-Click');
        return { body: form };
      },
    ],
    ['form-encoded', () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })],
    ['an empty body', () => ({})],
    ['an unknown body', () => ({ headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 159, 146, 150]) })],
  ])('a one-click POST with %s unsubscribes with a plain 200', async (_, init) => {
    const email = `${randomUUID()}@example.org`;
    const reader = await store.upsert({ list: 'weekly', email, status: 'subscribed' }, AT);
    const url = `${front.url}/?t=${encodeURIComponent(signToken({ list: 'weekly', subscriber: reader.id, purpose: 'unsubscribe' }, keyring))}`;

    const response = await fetch(url, { method: 'POST', redirect: 'manual', ...init() });

    expect([response.status, response.headers.get('location'), response.headers.get('set-cookie')]).toEqual([200, null, null]);
    expect(await response.text()).toContain('You are unsubscribed');
    expect(await statusOf('weekly', email)).toBe('unsubscribed');
  });

  it('keeps honouring links signed with an older key after rotation', async () => {
    const old = await store.upsert({ list: 'weekly', email: 'old-link@example.org', status: 'subscribed' }, AT);
    const oldRing = parseKeyring({ current: 'k1', k1: KEYRING.k1 });
    const response = await oneClick(
      `${front.url}/?t=${signToken({ list: 'weekly', subscriber: old.id, purpose: 'unsubscribe' }, oldRing)}`,
    );
    expect(response.status).toBe(200);
    expect(await statusOf('weekly', 'old-link@example.org')).toBe('unsubscribed');
  });

  it('answers forged, tampered, truncated and unknown-key tokens with one generic 400 and changes nothing', async () => {
    const grace = await store.upsert({ list: 'weekly', email: 'grace@example.org', status: 'subscribed' }, AT);
    const other = await store.upsert({ list: 'weekly', email: 'other@example.org', status: 'subscribed' }, AT);
    const good = signToken({ list: 'weekly', subscriber: grace.id, purpose: 'unsubscribe' }, keyring);
    const [v, kid, payload, mac] = good.split('.');
    // Grace's signature on someone else's id: the replay of a valid MAC over another payload.
    const swapped = `${v}.${kid}.${Buffer.from(JSON.stringify({ l: 'weekly', s: other.id, p: 'unsubscribe' })).toString('base64url')}.${mac}`;
    const forgedKey = signToken(
      { list: 'weekly', subscriber: grace.id, purpose: 'unsubscribe' },
      parseKeyring({ current: 'k2', k2: 'attacker-chosen-key-0123456789abcdef-000' }),
    );
    const bad = [
      `${v}.${kid}.${payload}.${mac!.slice(0, -2)}AA`,
      good.slice(0, good.length - 10),
      `v1.k9.${payload}.${mac}`,
      swapped,
      forgedKey,
      'garbage',
    ];
    const bodies = new Set<string>();
    for (const token of bad) {
      const response = await oneClick(`${front.url}/?t=${encodeURIComponent(token)}`);
      expect(response.status).toBe(400);
      bodies.add(await response.text());
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('This link is not valid');
    expect(await statusOf('weekly', 'grace@example.org')).toBe('subscribed');
    expect(await statusOf('weekly', 'other@example.org')).toBe('subscribed');
  });
});

describe.skipIf(skipWithout('moto_server'))('feedback handler with SES events in SNS envelopes', () => {
  const issue = { list: 'weekly', id: '2026-03-02' };

  beforeAll(async () => {
    for (const email of ['gone@example.org', 'alsogone@example.org', 'full@example.org', 'angry@example.org', 'happy@example.org']) {
      await store.upsert({ list: 'weekly', email, status: 'subscribed' }, AT);
    }
    await ledger.claimIssue(issue, { renderedKey: 'rendered/weekly/2026-03-02/issue.json', source: 'briefs/x.json', at: AT });
    await ledger.markPagePlanned(issue, 0, 20, undefined);
    await ledger.addCounts(issue, { sent: 20 });
  });

  it('ignores a message from a foreign topic', async () => {
    await feedbackHandler(snsEvent('arn:aws:sns:us-east-1:999999999999:not-ours', sesFixture('complaint')));
    expect(await statusOf('weekly', 'angry@example.org')).toBe('subscribed');
    expect((await feedback.issueHealth(issue)).counts.complained).toBe(0);
  });

  it('counts a delivery and a transient bounce without changing anyone', async () => {
    await feedbackHandler(snsEvent(TOPIC, sesFixture('delivery'), sesFixture('bounce-transient')));
    expect(await statusOf('weekly', 'full@example.org')).toBe('subscribed');
    const { counts } = await feedback.issueHealth(issue);
    expect([counts.delivered, counts.softBounced]).toEqual([1, 1]);
  });

  it('suppresses both recipients of a permanent bounce, counts each once even when SNS delivers it twice, and trips the breaker', async () => {
    const envelope = snsEvent(TOPIC, sesFixture('bounce-permanent'));
    await feedbackHandler(envelope);
    await feedbackHandler(envelope);
    expect(await statusOf('weekly', 'gone@example.org')).toBe('bounced');
    expect(await statusOf('weekly', 'alsogone@example.org')).toBe('bounced');
    const health = await feedback.issueHealth(issue);
    expect(health.counts.bounced).toBe(2);
    // 2 of 20 sent = 10 % > 5 %, with the minimum sample lowered to 10 for this test.
    expect(health.breaker?.reason).toBe('bounce rate 10 % (2 of 20 sent) passed the limit of 5 %');

    const report = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/weekly/2026-03-02.json' }))).Body!.transformToString(),
    );
    expect(report).toMatchObject({
      counts: { planned: 20, sent: 20, bounced: 2, delivered: 1, softBounced: 1 },
      breaker: { tripped: { reason: expect.stringContaining('bounce rate') } },
    });
  });

  it('marks a complainer complained and never lets a later bounce undo it', async () => {
    await feedbackHandler(snsEvent(TOPIC, sesFixture('complaint')));
    const bounce = sesFixture('bounce-permanent');
    bounce.mail.messageId = 'another-message';
    bounce.bounce.bouncedRecipients = [{ emailAddress: 'angry@example.org' }];
    await feedbackHandler(snsEvent(TOPIC, bounce));
    expect(await statusOf('weekly', 'angry@example.org')).toBe('complained');
    expect((await feedback.issueHealth(issue)).counts.complained).toBe(1);
  });
});

describe.skipIf(skipWithout('moto_server'))('subscribe endpoint over HTTP', () => {
  const post = (body: string) =>
    fetch(`${subscribeFront.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('mails one confirmation through SES, and its link subscribes; a bounced address is refused', async () => {
    expect((await fetch(`${subscribeFront.url}/subscribe?list=weekly`)).status).toBe(200);
    const first = await post('list=weekly&email=joiner%40example.org&firstName=Jo');
    expect([first.status, await first.text()]).toEqual([200, expect.stringContaining('Check your inbox')]);
    expect((await post('list=weekly&email=joiner%40example.org')).status).toBe(200);
    expect(await statusOf('weekly', 'joiner@example.org')).toBe('pending');

    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: Array<{ destination: { to: string[] }; body: { html: string } }>;
    };
    const mails = store.emails.filter((m) => m.destination.to.some((to) => to.includes('joiner@example.org')));
    expect(mails).toHaveLength(1);
    const link = /href="([^"]+\/confirm\?t=[^"]+)"/.exec(mails[0]!.body.html)![1]!.replace(/&amp;/g, '&');
    // Function URLs are https on their own domain; the front here is plain http on localhost.
    const confirmUrl = new URL(link);
    const linkOnFront = `${subscribeFront.url}${confirmUrl.pathname}${confirmUrl.search}`;
    // A GET (the reader, or a mail scanner opening links) only asks; the page's button POSTs and confirms.
    const asked = await fetch(linkOnFront);
    expect([asked.status, await asked.text()]).toEqual([200, expect.stringContaining('Confirm subscription</button>')]);
    expect(await statusOf('weekly', 'joiner@example.org')).toBe('pending');
    const confirmed = await fetch(linkOnFront, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect([confirmed.status, await confirmed.text()]).toEqual([200, expect.stringContaining('You are subscribed')]);
    expect(await statusOf('weekly', 'joiner@example.org')).toBe('subscribed');

    await seedBounced();
    const held = await post('list=weekly&email=bounced-before%40example.org');
    // The same answer as for anyone: the form does not reveal that an address bounced.
    expect(held.status).toBe(200);
    expect(await held.text()).toContain('Check your inbox');
    expect(await statusOf('weekly', 'bounced-before@example.org')).toBe('bounced');
  });

  async function seedBounced(): Promise<void> {
    await store.upsert({ list: 'weekly', email: 'bounced-before@example.org', status: 'bounced' }, AT);
  }
});
