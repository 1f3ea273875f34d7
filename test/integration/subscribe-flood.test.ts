/**
 * The flood the issue measured (2,000 stranger addresses → 2,000 confirmation mails; 203 to one inbox through
 * `+tag` and case variants), posted again over real HTTP through the function-URL front to the subscribe
 * endpoint, once with its AWS adapters (DynamoDB on dynalite: the budgets' conditional ADDs) and once with local
 * mode's store (SQLite); SES on aws-ses-v2-local and the real MJML confirmation mail both times. The clock is
 * fixed (moved by hand between bursts), so no window turns mid-test. Posts go concurrently, as a flood would.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfirmationThrottle } from '../../src/adapters/aws/dynamo-confirmation-throttle.js';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { LocalStore } from '../../src/adapters/local/local-store.js';
import { functionUrlResult, readFunctionUrlRequest } from '../../src/adapters/aws/function-url-request.js';
import { SesMailer } from '../../src/adapters/aws/ses-mailer.js';
import { parseListsConfig } from '../../src/config/lists.js';
import { parseKeyring } from '../../src/deliver/tokens.js';
import { renderConfirmation } from '../../src/subscribers/confirmation-brief.js';
import { DEFAULT_CONFIRMATION_LIMITS, withHourlyBudgets } from '../../src/subscribers/confirmation-limits.js';
import { LIFECYCLE_PAGE_HEADERS } from '../../src/subscribers/lifecycle-page.js';
import { type EndpointAnswer, subscribeEndpoint, type SubscribeEndpointDeps } from '../../src/subscribers/subscribe-endpoint.js';
import { type Emulator, startDynalite, startSesLocal, useFakeAwsCredentials } from '../support/emulators.js';
import { type FunctionUrlServer, serveFunctionUrl } from '../support/function-url-server.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

const lists = parseListsConfig(JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')));
/** The defaults (1 per mailbox per 10 min, 3 a day, 100 per list per hour), with the overall hour set to 150 as the environment can. */
const LIMITS = withHourlyBudgets(DEFAULT_CONFIRMATION_LIMITS, { overall: 150 });
const START = Date.parse('2026-03-02T09:00:00Z');
const MINUTE = 60_000;
const IN_FLIGHT = 24;

let dynalite: Emulator;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let mailer: SesMailer;
let db: DynamoDBDocumentClient;
let stateDir: string;
let localStore: LocalStore | undefined;

beforeAll(async () => {
  useFakeAwsCredentials();
  [dynalite, ses] = await Promise.all([startDynalite(), startSesLocal()]);
  const dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
  await createNewsbriefTables(dynamo);
  db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  mailer = new SesMailer(new SESClient({ endpoint: ses.endpoint, region: 'us-east-1' }), undefined);
  stateDir = mkdtempSync(join(tmpdir(), 'newsbrief-flood-'));
}, 60_000);

afterAll(async () => {
  localStore?.close();
  await Promise.all([dynalite?.stop(), ses?.stop()]);
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** The subscribe endpoint's stores: the AWS adapters, or local mode's. */
type Stores = Pick<SubscribeEndpointDeps, 'subscribers' | 'throttle'>;

/** A function-URL front over the endpoint with these stores and `clock`; `refusals` collects what the handler would log. */
async function serveSubscribe(stores: Stores, clock: { now(): number }, refusals: string[]): Promise<FunctionUrlServer> {
  const deps: Omit<SubscribeEndpointDeps, 'defaultConfirmBaseUrl'> = {
    ...stores,
    mailer,
    lists,
    keyring: parseKeyring({ current: 'k1', k1: 'flood-test-signing-key-0123456789abcdef' }),
    clock,
    renderConfirmation,
    limits: LIMITS,
  };
  // What lambdas/subscribe.ts does, with these deps: read the event, run the endpoint, answer (and log a refusal).
  return serveFunctionUrl(async (event: LambdaFunctionURLEvent) => {
    const defaultConfirmBaseUrl = `https://${event.requestContext.domainName}/confirm`;
    const page: EndpointAnswer = await subscribeEndpoint({ ...deps, defaultConfirmBaseUrl }, readFunctionUrlRequest(event));
    if (page.refused) refusals.push(page.refused.by);
    return functionUrlResult(page.status, LIFECYCLE_PAGE_HEADERS, page.html);
  });
}

interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly body: string;
}

/** Posts every form, `IN_FLIGHT` at a time; the answers in order. */
async function flood(front: FunctionUrlServer, forms: ReadonlyArray<{ list: string; email: string }>): Promise<Answer[]> {
  const answers: Answer[] = new Array(forms.length);
  let next = 0;
  const worker = async () => {
    while (next < forms.length) {
      const i = next++;
      const response = await fetch(`${front.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(forms[i]).toString(),
      });
      answers[i] = { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return answers;
}

/** Confirmation mails the SES emulator holds, per recipient address (lower-cased). */
async function mailsTo(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const email of await ses.emails()) {
    for (const to of email.destination.to) {
      // Lower-cased: the domain is stored lower-case, and each variant differs in more than case.
      const address = (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase();
      counts.set(address, (counts.get(address) ?? 0) + 1);
    }
  }
  return counts;
}

const sum = (counts: Iterable<number>) => [...counts].reduce((a, b) => a + b, 0);

describe.each([
  {
    backend: 'DynamoDB (dynalite)',
    domain: 'dynamo.example',
    inbox: 'Jane.Doe',
    stores: (): Stores => {
      const throttle = new DynamoConfirmationThrottle(db, 'ledger');
      return { subscribers: new DynamoSubscriberStore(db, 'subscribers', randomUUID), throttle };
    },
  },
  {
    backend: 'local store (SQLite)',
    domain: 'local.example',
    inbox: 'John.Roe',
    stores: (): Stores => {
      localStore = new LocalStore(stateDir);
      return { subscribers: localStore, throttle: localStore };
    },
  },
])('a flood of the subscribe form on $backend', ({ backend, domain, inbox, stores }) => {
  const clock = { ms: START, now: () => clock.ms };
  const refusals: string[] = [];
  let front: FunctionUrlServer;

  beforeAll(async () => {
    front = await serveSubscribe(stores(), clock, refusals);
  });
  afterAll(async () => front?.close());

  it('2,000 posts from 2,000 distinct addresses on two lists get one identical answer per list and exactly 150 mails (the overall hour), at most 100 per list', async () => {
    const forms = Array.from({ length: 2000 }, (_, i) => ({
      list: i % 2 === 0 ? 'weekly' : 'morning-digest',
      email: `stranger-${i}@${domain}`,
    }));
    const started = performance.now();
    const answers = await flood(front, forms);
    const seconds = (performance.now() - started) / 1000;

    for (const list of ['weekly', 'morning-digest']) {
      const own = answers.filter((_, i) => forms[i]!.list === list);
      expect(new Set(own.map((a) => JSON.stringify(a)))).toHaveProperty('size', 1);
      expect(own[0]).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    }
    const mails = await mailsTo();
    const perList = (list: string) => sum(forms.filter((f) => f.list === list).map((f) => mails.get(f.email) ?? 0));
    expect(forms.every((f) => (mails.get(f.email) ?? 0) <= 1)).toBe(true);
    expect(perList('weekly')).toBeLessThanOrEqual(100);
    expect(perList('morning-digest')).toBeLessThanOrEqual(100);
    expect(perList('weekly') + perList('morning-digest')).toBe(150);
    expect(refusals.filter((r) => r === 'overall' || r === 'list')).toHaveLength(1850);
    console.info(
      `${backend}: 2,000 posts in ${seconds.toFixed(1)} s (${Math.round(2000 / seconds)}/s), ` +
        `${perList('weekly') + perList('morning-digest')} mails (weekly ${perList('weekly')}, morning-digest ${perList('morning-digest')})`,
    );
  }, 300_000);

  it('200 case, +tag and dot variants of one Gmail inbox get one mail; later bursts one per 10 minutes, and none past 3 a day', async () => {
    clock.ms = START + 60 * MINUTE; // a new hour: the first flood spent the overall budget of the last one
    const variant = (i: number) => {
      const local =
        i % 3 === 0 ? inbox : i % 3 === 1 ? inbox.toUpperCase().replace('.', '') : inbox.toLowerCase().replace('.', '').split('').join('.');
      const at = i % 2 === 0 ? 'gmail.com' : 'GoogleMail.com';
      return `${local}${i === 0 ? '' : `+v${i}`}@${at}`;
    };
    const sent = async () => {
      const mails = await mailsTo();
      return sum(Array.from({ length: 260 }, (_, i) => mails.get(variant(i).toLowerCase()) ?? 0));
    };
    const burst = async (from: number, n: number) => {
      const forms = Array.from({ length: n }, (_, i) => ({ list: 'future-50', email: variant(from + i) }));
      const answers = await flood(front, forms);
      expect(new Set(answers.map((a) => JSON.stringify(a)))).toHaveProperty('size', 1);
      return sent();
    };

    expect(await burst(0, 200)).toBe(1);
    clock.ms += 10 * MINUTE;
    expect(await burst(200, 20)).toBe(2);
    clock.ms += 10 * MINUTE;
    expect(await burst(220, 20)).toBe(3);
    clock.ms += 10 * MINUTE;
    expect(await burst(240, 20)).toBe(3);
    console.info(`${backend}: 260 variants of one inbox over 30 minutes, ${await sent()} mails`);
  }, 300_000);
});
