/**
 * The SES fault proxy, driven through the real SDK (@aws-sdk/client-ses) in front of aws-ses-v2-local:
 * what each fault looks like to the sender (error name, message, status, code), what the reader received,
 * how the SDK's own retries and timeouts behave against it, and that it stays exact under load.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSendQuotaCommand, SendRawEmailCommand, SESClient, type SESClientConfig } from '@aws-sdk/client-ses';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSesLocal } from '../support/emulators.js';
import { patience } from '../support/patience.js';
import {
  faultEvery,
  faultFraction,
  faultWhen,
  rawHeader,
  type SendRequestInfo,
  type SesFault,
  type SesFaultProxy,
  startSesFaultProxy,
} from '../support/ses-fault-proxy.js';

const SOURCE = 'News <news@news.example.com>';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

let ses: Awaited<ReturnType<typeof startSesLocal>>;
let proxy: SesFaultProxy;
let unique = 0;

beforeAll(async () => {
  ses = await startSesLocal();
  proxy = await startSesFaultProxy(ses.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await ses?.stop();
});
afterEach(() => {
  proxy.policy = () => 'pass';
});

/** An SES client on the proxy; maxAttempts 1 (as the app's wiring) unless a test wants the SDK's retries. */
function sesClient(config: SESClientConfig = {}, endpoint = proxy.endpoint): SESClient {
  return new SESClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, ...config });
}

/** An SES client on the proxy with the SDK's default retries (maxAttempts left unset). */
function sdkRetryingSesClient(): SESClient {
  return new SESClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
}

/** A fresh recipient address, so that each test finds its own mail in the emulator's store. */
function recipient(label: string): string {
  return `${label}-${++unique}@example.com`;
}

/** Sends one raw message to `to`, whose subject is `Hello <to>`. */
function send(
  client: SESClient,
  to: string,
  extra: { tags?: Record<string, string>; configurationSet?: string; abortSignal?: AbortSignal } = {},
) {
  const raw = `From: ${SOURCE}\r\nTo: ${to}\r\nSubject: Hello ${to}\r\nList-Unsubscribe: <https://news.example.com/u/${to}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi.\r\n`;
  const command = new SendRawEmailCommand({
    Source: SOURCE,
    Destinations: [to],
    RawMessage: { Data: Buffer.from(raw) },
    ConfigurationSetName: extra.configurationSet,
    Tags: extra.tags ? Object.entries(extra.tags).map(([Name, Value]) => ({ Name, Value })) : undefined,
  });
  return client.send(command, extra.abortSignal ? { abortSignal: extra.abortSignal } : {});
}

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** The error fields a sender branches on. */
function shape(error: any) {
  return {
    name: error.name,
    message: error.message,
    httpStatusCode: error.$metadata?.httpStatusCode,
    code: error.code,
    fault: error.$fault,
  };
}

/** Polls `condition` every 10 ms until it holds (no fixed sleeps: the machine may be loaded). */
async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + patience(timeoutMs);
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function receivedBy(to: string): Promise<number> {
  return (await ses.emails()).filter((email) => email.destination.to.includes(to)).length;
}

/** The proxy's record of the request to `to` (the only one, with maxAttempts 1). */
function seen(to: string) {
  const matches = proxy.requests.filter((r) => r.destinations.includes(to));
  expect(matches).toHaveLength(1);
  return matches[0]!;
}

const byDestination = (faults: Record<string, SesFault>) => (r: SendRequestInfo) => faults[r.destinations[0] ?? ''] ?? 'pass';

describe('pass', () => {
  it('forwards the message and records what the reader received', async () => {
    const to = recipient('pass');
    const out = await send(sesClient(), to, { tags: { issue: 'issue-7', list: 'weekly' }, configurationSet: 'newsbrief' });

    expect(out.MessageId).toMatch(/^ses-/);
    const message = proxy.accepted().find((m) => m.destinations.includes(to))!;
    expect(message).toMatchObject({
      destinations: [to],
      tags: { issue: 'issue-7', list: 'weekly' },
      configurationSetName: 'newsbrief',
      source: SOURCE,
      messageId: out.MessageId,
      fault: 'pass',
      upstream: 'accepted',
      sdkAttempt: 1,
    });
    expect(rawHeader(message.raw, 'subject')).toBe(`Hello ${to}`);
    expect(rawHeader(message.raw, 'List-Unsubscribe')).toBe(`<https://news.example.com/u/${to}>`);
    expect(await receivedBy(to)).toBe(1);
  });
});

describe('SES error answers', () => {
  // Observed through @aws-sdk/client-ses 3.1169: service errors carry no `code` (the wire code is in `Code`).
  const cases: Array<[SesFault, { name: string; message: string; httpStatusCode: number; fault: 'client' | 'server' }]> = [
    ['throttle', { name: 'Throttling', message: 'Maximum sending rate exceeded.', httpStatusCode: 400, fault: 'client' }],
    ['quota', { name: 'Throttling', message: 'Daily message quota exceeded.', httpStatusCode: 400, fault: 'client' }],
    ['paused', { name: 'AccountSendingPausedException', message: 'Account sending paused.', httpStatusCode: 400, fault: 'client' }],
    [
      'paused-by-review',
      {
        name: 'MessageRejected',
        message:
          'Sending paused for this account. For more information, please check the inbox of the email address associated with your AWS account.',
        httpStatusCode: 400,
        fault: 'client',
      },
    ],
    [
      'server-error',
      {
        name: 'InternalFailure',
        message: 'The request processing has failed because of an unknown error, exception or failure.',
        httpStatusCode: 500,
        fault: 'server',
      },
    ],
    [
      'unavailable',
      {
        name: 'ServiceUnavailable',
        message: 'The request has failed due to a temporary failure of the server.',
        httpStatusCode: 503,
        fault: 'server',
      },
    ],
    [
      'reject',
      {
        name: 'MessageRejected',
        message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${SOURCE}`,
        httpStatusCode: 400,
        fault: 'client',
      },
    ],
    // A custom answer: the SDK maps the Query error code to the modelled exception class.
    [
      { status: 400, code: 'ConfigurationSetDoesNotExist', message: 'Configuration set <newsbrief> does not exist.' },
      {
        name: 'ConfigurationSetDoesNotExistException',
        message: 'Configuration set <newsbrief> does not exist.',
        httpStatusCode: 400,
        fault: 'client',
      },
    ],
  ];

  it.each(cases)('%j reaches the SDK as the SES error, and nothing is sent', async (fault, expected) => {
    const to = recipient('error');
    proxy.policy = () => fault;

    const error = await failure(send(sesClient(), to));

    expect(shape(error)).toEqual({ ...expected, code: undefined });
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen(to)).toMatchObject({ fault, upstream: 'not-forwarded', messageId: undefined });
    expect(await receivedBy(to)).toBe(0);
  });

  it('answers with the exact SES v1 wire format', async () => {
    proxy.policy = () => 'throttle';
    const body = new URLSearchParams({
      Action: 'SendRawEmail',
      Version: '2010-12-01',
      'RawMessage.Data': Buffer.from('Subject: x\r\n\r\nx').toString('base64'),
    });
    const response = await fetch(proxy.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(await response.text()).toBe(
      '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>Throttling</Code>\n' +
        `    <Message>Maximum sending rate exceeded.</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    );
  });
});

describe('connection faults', () => {
  // node-http-handler renames ECONNRESET (and EPIPE, ETIMEDOUT) socket errors to TimeoutError; a RST reads
  // "read ECONNRESET" (a FIN without an answer would read "socket hang up", same code).
  const reset = { name: 'TimeoutError', message: 'read ECONNRESET', httpStatusCode: undefined, code: 'ECONNRESET', fault: undefined };

  it('reset-before: the SDK sees a reset and SES never saw the message', async () => {
    const to = recipient('reset-before');
    proxy.policy = () => 'reset-before';

    expect(shape(await failure(send(sesClient(), to)))).toEqual(reset);
    expect(seen(to)).toMatchObject({ fault: 'reset-before', upstream: 'not-forwarded' });
    expect(await receivedBy(to)).toBe(0);
  });

  it('reset-after: the SDK sees the same reset, but the reader got the message', async () => {
    const to = recipient('reset-after');
    proxy.policy = () => 'reset-after';

    expect(shape(await failure(send(sesClient(), to)))).toEqual(reset);
    expect(seen(to)).toMatchObject({ fault: 'reset-after', upstream: 'accepted', messageId: expect.stringMatching(/^ses-/) });
    expect(await receivedBy(to)).toBe(1);
  });

  it("the SDK's default retries turn one reset-after into three deliveries", async () => {
    const to = recipient('retried');
    proxy.policy = () => 'reset-after';

    const error = await failure(send(sdkRetryingSesClient(), to));

    expect(error.$metadata.attempts).toBe(3);
    const attempts = proxy.requests.filter((r) => r.destinations.includes(to));
    expect(attempts.map((r) => r.sdkAttempt)).toEqual([1, 2, 3]);
    expect(new Set(attempts.map((r) => r.invocationId)).size).toBe(1);
    expect(proxy.accepted().filter((m) => m.destinations.includes(to))).toHaveLength(3);
    expect(await receivedBy(to)).toBe(3);
  });

  it('which faults the default retry strategy retries (3 attempts) and which it does not', async () => {
    const faults: Record<string, SesFault> = {};
    const expected: Record<string, number> = {};
    const table: Array<[SesFault, number]> = [
      ['throttle', 3],
      ['quota', 3], // retried though a daily quota will not come back within the backoff
      ['paused', 1],
      ['paused-by-review', 1],
      ['server-error', 3],
      ['unavailable', 3],
      ['reject', 1],
      ['reset-before', 3],
    ];
    for (const [fault, attempts] of table) {
      const to = recipient(`retry-${fault}`);
      faults[to] = fault;
      expected[to] = attempts;
    }
    proxy.policy = byDestination(faults);
    const client = sdkRetryingSesClient();

    // In parallel: the throttling backoff alone is up to 1 s + 2 s.
    const observed = await Promise.all(
      Object.keys(faults).map(async (to) => [to, (await failure(send(client, to))).$metadata.attempts as number] as const),
    );

    expect(Object.fromEntries(observed)).toEqual(expected);
  });
});

describe('hangs', () => {
  const timeoutError = {
    name: 'TimeoutError',
    message: '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.',
    httpStatusCode: undefined,
    code: 'ETIMEDOUT',
    fault: undefined,
  };

  it('hang and hang-after are cut by requestTimeout with throwOnRequestTimeout; only hang-after delivered', async () => {
    const [hang, hangAfter] = [recipient('hang'), recipient('hang-after')];
    proxy.policy = byDestination({ [hang]: 'hang', [hangAfter]: 'hang-after' });
    const client = sesClient({ requestHandler: new NodeHttpHandler({ requestTimeout: 500, throwOnRequestTimeout: true }) });

    const started = Date.now();
    const errors = await Promise.all([failure(send(client, hang)), failure(send(client, hangAfter))]);
    const elapsed = Date.now() - started;

    expect(errors.map(shape)).toEqual([timeoutError, timeoutError]);
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(patience(5_000));
    expect(seen(hang).upstream).toBe('not-forwarded');
    await waitFor(() => seen(hangAfter).upstream === 'accepted', 'hang-after to be accepted upstream');
    expect(await receivedBy(hang)).toBe(0);
    expect(await receivedBy(hangAfter)).toBe(1);
  });

  it('without throwOnRequestTimeout, requestTimeout only logs a warning and the call hangs on', async () => {
    const to = recipient('hang-warn');
    proxy.policy = () => 'hang';
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
    const client = sesClient({ requestHandler: new NodeHttpHandler({ requestTimeout: 100, logger }) });
    const abort = new AbortController();

    const call = failure(send(client, to, { abortSignal: abort.signal }));
    await waitFor(() => warnings.length > 0, 'the requestTimeout warning');
    abort.abort();

    expect((await call).name).toBe('AbortError');
    expect(warnings[0]).toMatch(/\[WARN\] a request has exceeded the configured 100 ms requestTimeout/);
  });
});

describe('close()', () => {
  it('ends hanging requests and idle keep-alive connections at once', async () => {
    const own = await startSesFaultProxy(ses.endpoint);
    // The SDK's default handler keeps connections alive: after one call, an idle socket stays open.
    const client = sesClient({}, own.endpoint);
    await send(client, recipient('keep-alive'));
    own.policy = () => 'hang';
    const hanging = failure(send(client, recipient('hanging')));
    await waitFor(() => own.requests.length === 2, 'the hanging request to arrive');

    const started = Date.now();
    await own.close();

    expect(Date.now() - started).toBeLessThan(patience(1_000));
    expect(shape(await hanging)).toMatchObject({ name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' });
  });

  it('ends a forward the upstream never answers', async () => {
    const silent = createServer(() => {}); // reads requests, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const own = await startSesFaultProxy(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    try {
      const pending = failure(send(sesClient({}, own.endpoint), recipient('silent-upstream')));
      await waitFor(() => own.requests[0]?.upstream === 'pending', 'the request to be forwarded');

      await own.close();

      expect((await pending).code).toBe('ECONNRESET');
      expect(own.requests[0]!.upstream).toBe('failed');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('other actions', () => {
  it('forwards GetSendQuota unchanged whatever the policy', async () => {
    const seenUpstream: Array<{ url: string | undefined; headers: IncomingHttpHeaders; body: string }> = [];
    const stub = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seenUpstream.push({ url: req.url, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult><SentLast24Hours>3.0</SentLast24Hours>' +
            '<Max24HourSend>50000.0</Max24HourSend><MaxSendRate>14.0</MaxSendRate></GetSendQuotaResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetSendQuotaResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    const own = await startSesFaultProxy(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`, () => 'reset-before');
    try {
      const out = await sesClient({}, own.endpoint).send(new GetSendQuotaCommand({}));

      expect(out).toMatchObject({ SentLast24Hours: 3, Max24HourSend: 50000, MaxSendRate: 14 });
      expect(seenUpstream).toHaveLength(1);
      expect(seenUpstream[0]).toMatchObject({ url: '/', body: 'Action=GetSendQuota&Version=2010-12-01' });
      // The signed Host is the proxy's: forwarded as is, the signature stays valid for what the SDK signed.
      expect(seenUpstream[0]!.headers.host).toBe(new URL(own.endpoint).host);
      expect(seenUpstream[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
      expect(own.requests).toHaveLength(0);
    } finally {
      await own.close();
      stub.closeAllConnections();
      await new Promise((resolve) => stub.close(resolve));
    }
  });

  it('answers GetSendQuota itself with the sendQuota option (aws-ses-v2-local never answers it)', async () => {
    const own = await startSesFaultProxy(ses.endpoint, () => 'pass', { sendQuota: { max24HourSend: 200, maxSendRate: 1 } });
    try {
      const client = sesClient({}, own.endpoint);
      await send(client, recipient('quota-count'));
      await send(client, recipient('quota-count'));

      expect(await client.send(new GetSendQuotaCommand({}))).toMatchObject({ SentLast24Hours: 2, Max24HourSend: 200, MaxSendRate: 1 });
    } finally {
      await own.close();
    }
  });
});

describe('policies', () => {
  const info = (n: number, to = 'reader@example.com'): SendRequestInfo => ({
    n,
    source: SOURCE,
    destinations: [to],
    tags: {},
    configurationSetName: undefined,
    raw: '',
    sdkAttempt: 1,
    invocationId: undefined,
  });
  const range = (count: number) => Array.from({ length: count }, (_, n) => n);

  it('faultEvery hits every n-th request', () => {
    const policy = faultEvery(3, 'throttle');
    expect(range(9).filter((n) => policy(info(n)) === 'throttle')).toEqual([2, 5, 8]);
  });

  it('faultFraction is repeatable per seed and close to the fraction', () => {
    const hits = (seed: number) => range(2000).filter((n) => faultFraction(0.25, 'reject', seed)(info(n)) === 'reject');
    expect(hits(42)).toEqual(hits(42));
    expect(hits(42)).not.toEqual(hits(43));
    expect(hits(42).length).toBeGreaterThan(400);
    expect(hits(42).length).toBeLessThan(600);
  });

  it('faultWhen picks requests by content', () => {
    const policy = faultWhen((r) => r.destinations.some((d) => d.endsWith('@bounce.example.com')), 'reject');
    expect([policy(info(0, 'a@bounce.example.com')), policy(info(1, 'b@example.com'))]).toEqual(['reject', 'pass']);
  });

  it('policy is a switch: the daily quota runs out mid-run, then comes back', async () => {
    const client = sesClient();
    const outcomes: string[] = [];
    const attempt = async () => {
      try {
        await send(client, recipient('switch'));
        outcomes.push('sent');
      } catch (error: any) {
        outcomes.push(error.message);
      }
    };
    const acceptedBefore = proxy.accepted().length;

    await attempt();
    await attempt();
    proxy.policy = () => 'quota';
    await attempt();
    await attempt();
    proxy.policy = () => 'pass';
    await attempt();

    expect(outcomes).toEqual(['sent', 'sent', 'Daily message quota exceeded.', 'Daily message quota exceeded.', 'sent']);
    expect(proxy.accepted().length - acceptedBefore).toBe(3);
  });
});

describe('under load', () => {
  it('accounts for every one of 300 concurrent sends', async () => {
    const mix: SesFault[] = [
      'pass',
      'pass',
      'reset-before',
      'reset-after',
      'throttle',
      'server-error',
      'hang',
      'hang-after',
      'pass',
      'reject',
    ];
    const count = 300;
    const own = await startSesFaultProxy(ses.endpoint, (r) => mix[r.n % mix.length]!);
    try {
      // No requestTimeout: on a loaded machine 300 SDK calls can spend it before reaching the proxy. Hangs are
      // aborted below, once every request has arrived. maxSockets above the burst lets them all in at once.
      const client = sesClient({ requestHandler: new NodeHttpHandler({ httpAgent: { maxSockets: count } }) }, own.endpoint);
      const storedBefore = (await ses.emails()).length;
      const aborts = new Map(Array.from({ length: count }, () => [recipient('load'), new AbortController()] as const));

      const results = Promise.all(
        [...aborts].map(([to, abort]) =>
          send(client, to, { abortSignal: abort.signal }).then(
            (out) => ({ to, messageId: out.MessageId, error: undefined }),
            (error: any) => ({ to, messageId: undefined, error: error.name as string }),
          ),
        ),
      );
      await waitFor(
        () => own.requests.length === count && own.requests.every((r) => r.upstream !== 'pending'),
        'every request to arrive and settle',
        20_000,
      );
      for (const r of own.requests) if (r.fault === 'hang' || r.fault === 'hang-after') aborts.get(r.destinations[0]!)!.abort();

      const faultOf = new Map(own.requests.map((r) => [r.destinations[0]!, r.fault]));
      const expectedError: Record<string, string | undefined> = {
        pass: undefined,
        'reset-before': 'TimeoutError',
        'reset-after': 'TimeoutError',
        hang: 'AbortError',
        'hang-after': 'AbortError',
        throttle: 'Throttling',
        'server-error': 'InternalFailure',
        reject: 'MessageRejected',
      };
      for (const result of await results) expect(result.error, result.to).toBe(expectedError[faultOf.get(result.to) as string]);

      const delivered = new Set(['pass', 'reset-after', 'hang-after']);
      const shouldArrive = own.requests.filter((r) => delivered.has(r.fault as string)).map((r) => r.destinations[0]);
      expect(
        own
          .accepted()
          .map((m) => m.destinations[0])
          .sort(),
      ).toEqual(shouldArrive.sort());
      expect(own.accepted()).toHaveLength((count / mix.length) * 5);
      // Every success the sender saw is a message the reader got, under the same MessageId.
      const acceptedIds = new Set(own.accepted().map((m) => m.messageId));
      for (const result of await results) if (result.messageId) expect(acceptedIds.has(result.messageId)).toBe(true);
      await waitFor(
        async () => (await ses.emails()).length - storedBefore === own.accepted().length,
        'the emulator to store every accepted message',
      );
    } finally {
      await own.close();
    }
  });
});
