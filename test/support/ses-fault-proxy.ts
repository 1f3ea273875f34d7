/**
 * An HTTP proxy in front of an SES v1 (Query API) emulator that injects faults into SendRawEmail calls:
 * SES error answers (byte-shaped like SES's own, so the real SDK raises the real error classes), connection
 * resets and hangs, each either before or after the upstream accepted the message. It records every send
 * and what the upstream accepted, so a test can tell "the reader got it" from "the sender saw a success".
 * Other actions (GetSendQuota, SES v2 paths, …) are forwarded unchanged.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault by name; see the comment on each. */
export type SesFaultName =
  | 'pass' // forward, answer with the upstream's answer
  | 'reset-before' // reset the client connection without forwarding: SES never saw the message
  | 'reset-after' // forward (the upstream accepts it), then reset without answering: the ambiguous case
  | 'hang' // never answer and do not forward; the socket stays open until the client gives up or close()
  | 'hang-after' // forward (the upstream accepts it), then never answer
  | 'throttle' // 400 Throttling "Maximum sending rate exceeded."
  | 'quota' // 400 Throttling "Daily message quota exceeded."
  | 'paused' // 400 AccountSendingPausedException (sending disabled with UpdateAccountSendingEnabled)
  | 'paused-by-review' // 400 MessageRejected "Sending paused for this account…" (AWS paused the account; what SES v1 answers then)
  | 'server-error' // 500 InternalFailure
  | 'unavailable' // 503 ServiceUnavailable
  | 'reject'; // 400 MessageRejected "Email address is not verified…"

/** Any other SES error answer, e.g. `{ status: 400, code: 'ConfigurationSetDoesNotExist', message: '…' }`. */
export interface SesErrorFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** SES says Sender for 4xx, Receiver for 5xx; the SDK turns it into `$fault` client/server. */
  readonly type?: 'Sender' | 'Receiver';
}

/** What the proxy does to one SendRawEmail request. */
export type SesFault = SesFaultName | SesErrorFault;

/** The parts of a SendRawEmail request a policy or a test looks at. */
export interface SendRequestInfo {
  /** 0-based count of SendRawEmail requests this proxy has seen (SDK retries count again). */
  readonly n: number;
  readonly source: string | undefined;
  /** Destinations.member.N in order; empty when the caller left the recipients to the message headers. */
  readonly destinations: readonly string[];
  /** Tags.member.N.Name → Tags.member.N.Value. */
  readonly tags: Readonly<Record<string, string>>;
  readonly configurationSetName: string | undefined;
  /** The raw RFC 5322 message (RawMessage.Data, base64-decoded as UTF-8); read headers with `rawHeader`. */
  readonly raw: string;
  /** The SDK's attempt number from `amz-sdk-request: attempt=N; max=M` (1 = first try, 2+ = SDK retries). */
  readonly sdkAttempt: number | undefined;
  /** The SDK's `amz-sdk-invocation-id`: the same for every retry of one `client.send`. */
  readonly invocationId: string | undefined;
}

/** What became of a request at the upstream. */
export type UpstreamOutcome =
  | 'not-forwarded' // the fault answered (or dropped) it without the upstream
  | 'pending' // forwarded, no answer yet
  | 'accepted' // the upstream answered 2xx with a MessageId: a reader gets it
  | 'refused' // the upstream answered with an error
  | 'failed'; // the upstream leg broke (connection refused, proxy closed)

/** A SendRawEmail request as the proxy saw it; `upstream` and `messageId` change while it is forwarded. */
export interface SeenRequest extends SendRequestInfo {
  readonly fault: SesFault;
  readonly upstream: UpstreamOutcome;
  readonly messageId: string | undefined;
}

/** A message the upstream accepted: what a reader received, whatever the sender was told. */
export interface AcceptedMessage extends SeenRequest {
  readonly upstream: 'accepted';
  readonly messageId: string;
}

/** Decides the fault for one SendRawEmail request. */
export type SesFaultPolicy = (request: SendRequestInfo) => SesFault;

/** GetSendQuota numbers the proxy answers itself (aws-ses-v2-local never answers GetSendQuota). */
export interface SendQuota {
  readonly max24HourSend: number;
  readonly maxSendRate: number;
}

/** Options of `startSesFaultProxy`. */
export interface SesFaultProxyOptions {
  /** Answer GetSendQuota here instead of forwarding it; SentLast24Hours is the number of accepted messages. */
  sendQuota?: SendQuota;
}

/** A running proxy. */
export interface SesFaultProxy {
  /** Give this to the SES client as `endpoint`. */
  readonly endpoint: string;
  /** Decides each SendRawEmail request's fault; assign at any time (other actions always pass). */
  policy: SesFaultPolicy;
  /** Every SendRawEmail request seen, in arrival order. */
  readonly requests: readonly SeenRequest[];
  /** Messages the upstream accepted, in the order it accepted them. */
  accepted(): readonly AcceptedMessage[];
  /** Stops listening, destroys every connection (hanging and keep-alive ones, upstream calls), then resolves. */
  close(): Promise<void>;
}

const SES_XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';

/** The error answers, worded as SES words them where that is documented or observed. */
const ERRORS: Partial<Record<SesFaultName, (request: SendRequestInfo) => SesErrorFault>> = {
  throttle: () => ({ status: 400, code: 'Throttling', message: 'Maximum sending rate exceeded.' }),
  quota: () => ({ status: 400, code: 'Throttling', message: 'Daily message quota exceeded.' }),
  paused: () => ({ status: 400, code: 'AccountSendingPausedException', message: 'Account sending paused.' }),
  'paused-by-review': () => ({
    status: 400,
    code: 'MessageRejected',
    message:
      'Sending paused for this account. For more information, please check the inbox of the email address associated with your AWS account.',
  }),
  'server-error': () => ({
    status: 500,
    code: 'InternalFailure',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  }),
  unavailable: () => ({
    status: 503,
    code: 'ServiceUnavailable',
    message: 'The request has failed due to a temporary failure of the server.',
  }),
  reject: (request) => ({
    status: 400,
    code: 'MessageRejected',
    message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${request.source ?? ''}`,
  }),
};

interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// Hop-by-hop headers belong to one connection; Node sets its own on each leg.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/** Starts a proxy to `upstream` (an http:// SES endpoint) on a free 127.0.0.1 port. */
export async function startSesFaultProxy(
  upstream: string,
  policy: SesFaultPolicy = () => 'pass',
  options: SesFaultProxyOptions = {},
): Promise<SesFaultProxy> {
  const target = new URL(upstream);
  if (target.protocol !== 'http:') throw new Error(`ses-fault-proxy forwards to http:// only, not ${upstream}`);
  const requests: SeenRequest[] = [];
  const accepted: AcceptedMessage[] = [];
  const upstreamCalls = new Set<ReturnType<typeof httpRequest>>();
  const forwards = new Set<Promise<unknown>>();
  let closed = false;

  /** Forwards one request unchanged; resolves with the upstream's answer, or undefined if the leg broke. */
  function forward(req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer | undefined> {
    const answer = new Promise<UpstreamAnswer | undefined>((resolve) => {
      if (closed) return resolve(undefined);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      // No agent: a fresh connection per call cannot race the upstream's keep-alive timeout under load.
      const call = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', () => resolve(undefined));
        },
      );
      upstreamCalls.add(call);
      call.on('error', () => resolve(undefined));
      // A destroyed call may close without an 'error'; the first resolve wins, so a full answer stands.
      call.on('close', () => {
        upstreamCalls.delete(call);
        resolve(undefined);
      });
      call.end(body);
    });
    forwards.add(answer);
    void answer.finally(() => forwards.delete(answer));
    return answer;
  }

  function reply(res: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer | string): void {
    if (res.destroyed || res.socket?.destroyed) return; // the client left, or close() ended the connection
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-length'));
    res.writeHead(status, { ...kept, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function replyError(res: ServerResponse, error: SesErrorFault): void {
    const requestId = randomUUID();
    const type = error.type ?? (error.status >= 500 ? 'Receiver' : 'Sender');
    const xml =
      `<ErrorResponse xmlns="${SES_XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(error.code)}</Code>\n` +
      `    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
    reply(res, error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, date: new Date().toUTCString() }, xml);
  }

  // RST rather than FIN: what a dropped connection or a dying load balancer looks like to the client.
  function reset(res: ServerResponse): void {
    if (!res.socket?.destroyed) res.socket?.resetAndDestroy();
  }

  async function handleSend(req: IncomingMessage, res: ServerResponse, body: Buffer, form: URLSearchParams): Promise<void> {
    const info = parseSendRequest(form, req.headers, requests.length);
    let fault: SesFault;
    try {
      fault = proxy.policy(info);
    } catch (error) {
      fault = { status: 500, code: 'InternalFailure', message: `ses-fault-proxy: the policy threw: ${String(error)}` };
    }
    const seen: { -readonly [K in keyof SeenRequest]: SeenRequest[K] } = {
      ...info,
      fault,
      upstream: 'not-forwarded',
      messageId: undefined,
    };
    requests.push(seen);
    const error = typeof fault === 'object' ? fault : ERRORS[fault]?.(info);
    if (error) return replyError(res, error);
    if (fault === 'reset-before') return reset(res);
    if (fault === 'hang') return; // the response is never written; close() or the client ends the socket

    seen.upstream = 'pending';
    const answer = await forward(req, body);
    const messageId =
      answer && answer.status >= 200 && answer.status < 300
        ? /<MessageId>([^<]+)<\/MessageId>/.exec(answer.body.toString('utf8'))?.[1]
        : undefined;
    seen.upstream = messageId ? 'accepted' : answer ? 'refused' : 'failed';
    seen.messageId = messageId;
    // Recorded before the client hears anything, so a test that awaits the SDK call sees it in accepted().
    if (messageId) accepted.push(seen as AcceptedMessage);
    if (fault === 'reset-after') return reset(res);
    if (fault === 'hang-after') return;
    if (answer) reply(res, answer.status, answer.headers, answer.body);
    else reply(res, 502, { 'content-type': 'text/plain' }, 'ses-fault-proxy: the upstream did not answer');
  }

  function answerSendQuota(res: ServerResponse, quota: SendQuota): void {
    const requestId = randomUUID();
    const xml =
      `<GetSendQuotaResponse xmlns="${SES_XMLNS}">\n  <GetSendQuotaResult>\n    <SentLast24Hours>${accepted.length.toFixed(1)}</SentLast24Hours>\n` +
      `    <Max24HourSend>${quota.max24HourSend.toFixed(1)}</Max24HourSend>\n    <MaxSendRate>${quota.maxSendRate.toFixed(1)}</MaxSendRate>\n` +
      `  </GetSendQuotaResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</GetSendQuotaResponse>\n`;
    reply(res, 200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, date: new Date().toUTCString() }, xml);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Query API calls are form posts; anything else (SES v2 REST, the emulator's /store) has no Action.
    const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')
      ? new URLSearchParams(body.toString('utf8'))
      : undefined;
    const action = form?.get('Action');
    if (form && action === 'SendRawEmail') return handleSend(req, res, body, form);
    if (action === 'GetSendQuota' && options.sendQuota) return answerSendQuota(res, options.sendQuota);
    const answer = await forward(req, body);
    if (answer) reply(res, answer.status, answer.headers, answer.body);
    else reply(res, 502, { 'content-type': 'text/plain' }, 'ses-fault-proxy: the upstream did not answer');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  // Resets come from the policy only: Node closes a keep-alive connection idle for 5 s, and on a busy machine
  // the SDK can write its next request into one just being closed (a reset nobody injected).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const proxy: SesFaultProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    policy,
    requests,
    accepted: () => accepted,
    async close() {
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close() alone would wait for hanging requests and the SDK's idle keep-alive sockets.
      server.closeAllConnections();
      for (const call of upstreamCalls) call.destroy();
      // Settled forwards leave `requests` final: nothing is still 'pending' after close().
      await Promise.all([stopped, ...forwards]);
    },
  };
  return proxy;
}

/** Policy: every `every`-th SendRawEmail request (n = every-1, 2·every-1, …) gets `fault`; the rest pass. */
export function faultEvery(every: number, fault: SesFault): SesFaultPolicy {
  if (!(every >= 1)) throw new Error(`faultEvery needs every ≥ 1, not ${every}`);
  return ({ n }) => ((n + 1) % every === 0 ? fault : 'pass');
}

/** Policy: about `fraction` of requests get `fault`, chosen by a hash of (seed, n), so a run is repeatable. */
export function faultFraction(fraction: number, fault: SesFault, seed = 1): SesFaultPolicy {
  return ({ n }) => (unitHash(seed, n) < fraction ? fault : 'pass');
}

/** Policy: requests matching `predicate` get `fault`; the rest pass. */
export function faultWhen(predicate: (request: SendRequestInfo) => boolean, fault: SesFault): SesFaultPolicy {
  return (request) => (predicate(request) ? fault : 'pass');
}

/** The value of header `name` in a raw message, unfolded (encoded words stay encoded); undefined if absent. */
export function rawHeader(raw: string, name: string): string | undefined {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}

function parseSendRequest(form: URLSearchParams, headers: IncomingHttpHeaders, n: number): SendRequestInfo {
  const destinations: Array<[number, string]> = [];
  const tagNames = new Map<string, string>();
  const tagValues = new Map<string, string>();
  for (const [key, value] of form) {
    let match = /^Destinations\.member\.(\d+)$/.exec(key);
    if (match) destinations.push([Number(match[1]), value]);
    match = /^Tags\.member\.(\d+)\.(Name|Value)$/.exec(key);
    if (match) (match[2] === 'Name' ? tagNames : tagValues).set(match[1]!, value);
  }
  const tags: Record<string, string> = {};
  for (const [index, tagName] of tagNames) tags[tagName] = tagValues.get(index) ?? '';
  const attempt = /attempt=(\d+)/.exec(String(headers['amz-sdk-request'] ?? ''))?.[1];
  return {
    n,
    source: form.get('Source') ?? undefined,
    destinations: destinations.sort((a, b) => a[0] - b[0]).map(([, address]) => address),
    tags,
    configurationSetName: form.get('ConfigurationSetName') ?? undefined,
    raw: Buffer.from(form.get('RawMessage.Data') ?? '', 'base64').toString('utf8'),
    sdkAttempt: attempt === undefined ? undefined : Number(attempt),
    invocationId: typeof headers['amz-sdk-invocation-id'] === 'string' ? headers['amz-sdk-invocation-id'] : undefined,
  };
}

/** A number in [0, 1) from (seed, n): one mulberry32 step on a mix of both. */
function unitHash(seed: number, n: number): number {
  let t = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b)) >>> 0;
  t = (t + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
