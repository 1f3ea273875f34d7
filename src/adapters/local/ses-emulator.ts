/**
 * The embedded SES: `aws-ses-v2-local` started in this process, so that local mode sends through the real
 * SES adapter and SDK over HTTP. Wrapped here once: it is CommonJS, keeps mail in a module-wide array (one
 * store per process, emptied on restart), answers any Host and has no close. So it listens only on a Unix
 * socket in a private folder, and a front on a TCP port of its own (stable: the inbox's address does not move
 * between starts) checks each request's Host before passing it on, keeps every message SES took as an .eml
 * in the local inbox's folder, and serves that inbox itself, a page at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sesLocal from 'aws-ses-v2-local';
import sesLocalStore from 'aws-ses-v2-local/dist/store.js';
import { LocalInbox, serveInbox } from './local-inbox.js';

/** One message as the emulator parsed it (custom headers are not kept; the raw .eml is in the inbox folder). */
export interface EmulatedEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly at: number;
}

/** A running emulator. */
export interface SesEmulator {
  /** The SES endpoint for the SDK (`endpoint` of SESClient). */
  readonly endpoint: string;
  /** The local inbox, for people. */
  readonly inboxUrl: string;
  /** Where the inbox keeps its messages. */
  readonly inboxDir: string;
  /** Lines worth printing about this start (the wanted port was taken). */
  readonly notes: readonly string[];
  /** What was sent since this emulator started, the last MESSAGES_IN_MEMORY messages at most (all of them are in the inbox folder). */
  sent(): Promise<EmulatedEmail[]>;
  close(): Promise<void>;
}

/** Why a request is refused (a foreign Host, another site's POST); undefined lets it through. */
export type RequestGuard = (
  request: { readonly method: string; readonly host: string | undefined; readonly origin: string | undefined },
  port: number,
) => { readonly status: number; readonly message: string } | undefined;

/** How to start the emulator. */
export interface SesEmulatorOptions {
  /** The front's port; 0 (the default): any free port. A taken port falls back to a free one, with a note. */
  readonly port?: number | undefined;
  /** The loopback address to listen on (default 127.0.0.1). */
  readonly host?: string | undefined;
  /** Where to keep every message (the state folder's inbox); default: a temporary folder removed on close. */
  readonly inboxDir?: string | undefined;
  /** Checked before anything is answered; default: the address it listens on, localhost and 127.0.0.1 only. */
  readonly guard?: RequestGuard | undefined;
}

type StartFn = (config?: { host?: string; port?: number | string }) => Promise<Server>;

/**
 * Messages the emulator's own store (`GET /store`) keeps parsed in memory, newest last. It would keep every
 * one (about 40 KB of RSS each: a 20,000-message send passed a gigabyte); the inbox folder keeps them all.
 * 200 is more than any test reads back; 500 held about 38 MB of strings of a 67 MB live heap during a send.
 */
export const MESSAGES_IN_MEMORY = 200;

/** SES accepts raw messages up to 40 MB, base64 in a form: the front reads at most this much of a request. */
const MAX_REQUEST_BYTES = 60 * 1024 * 1024;

/** Starts the emulator and its front; resolves once both listen. */
export async function startSesEmulator(options: SesEmulatorOptions = {}): Promise<SesEmulator> {
  const module = sesLocal as unknown as StartFn | { default: StartFn };
  const start = typeof module === 'function' ? module : module.default;
  const host = options.host ?? '127.0.0.1';
  const privateDir = mkdtempSync(join(tmpdir(), 'newsbrief-ses-'));
  const socketPath = join(privateDir, 'ses.sock');
  const engine = await start({ port: socketPath });
  const agent = new Agent({ keepAlive: true, socketPath } as ConstructorParameters<typeof Agent>[0]);
  const inbox = new LocalInbox(options.inboxDir ?? join(privateDir, 'inbox'));
  const guard = options.guard ?? defaultGuard(host);

  let port = 0;
  const front = createServer((request, response) => {
    const refusal = guard({ method: request.method ?? 'GET', host: request.headers.host, origin: request.headers.origin }, port);
    if (refusal) {
      request.resume();
      response.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(refusal.message);
      return;
    }
    if (serveInbox(inbox, request, response)) return;
    forward(request, response, agent, inbox).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`the embedded SES failed: ${(error as Error).message}`);
    });
  });
  const notes: string[] = [];
  try {
    await listen(front, options.port ?? 0, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.port) {
      await closeServer(engine);
      rmSync(privateDir, { recursive: true, force: true });
      throw error;
    }
    await listen(front, 0, host);
    notes.push(
      `port ${options.port} is taken (another studio?), so the local inbox is on port ${(front.address() as AddressInfo).port} this time`,
    );
  }
  port = (front.address() as AddressInfo).port;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    inboxDir: inbox.folder,
    notes,
    async sent() {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new Error(`the SES emulator answered ${response.status} for /store`);
      return ((await response.json()) as { emails: EmulatedEmail[] }).emails;
    },
    close: () =>
      (closing ??= (async () => {
        await Promise.all([closeServer(front), closeServer(engine)]);
        agent.destroy();
        rmSync(privateDir, { recursive: true, force: true });
      })()),
  };
}

/** Only the address the emulator listens on, by number or as localhost: a web page cannot reach it by another name. */
function defaultGuard(host: string): RequestGuard {
  return (request, port) => {
    const allowed = new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
    const given = request.host?.trim().toLowerCase();
    return given && allowed.has(given)
      ? undefined
      : { status: 421, message: `This is newsbrief's local SES; it answers only at http://127.0.0.1:${port}/.` };
  };
}

/**
 * Passes a request to the emulator. A SendRawEmail it accepts is kept in the inbox before the SDK hears
 * back, so that whatever SES acknowledged is on disk.
 */
async function forward(request: IncomingMessage, response: ServerResponse, agent: Agent, inbox: LocalInbox): Promise<void> {
  const body = await readAll(request);
  const headers = { ...request.headers, host: 'localhost', 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const outgoing = httpRequest({ agent, method: request.method, path: request.url, headers }, (incoming) => {
      readAll(incoming).then((bytes) => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: bytes }), reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  if (answer.status === 200 && request.method === 'POST' && (request.url === '/' || request.url?.startsWith('/?'))) {
    keepRawMessage(body, answer.body, inbox);
    forgetOldestParsed();
  }
  const { connection: _connection, 'keep-alive': _keepAlive, 'transfer-encoding': _encoding, ...passed } = answer.headers;
  response.writeHead(answer.status, { ...passed, 'content-length': String(answer.body.length) });
  response.end(answer.body);
}

/**
 * Keeps the message of a SendRawEmail form. Read from the bytes, not through URLSearchParams over the whole body
 * as a string: every message passes here, and the fewer copies of it a send makes, the less memory it holds.
 */
function keepRawMessage(requestBody: Buffer, answer: Buffer, inbox: LocalInbox): void {
  const data = formField(requestBody, 'RawMessage.Data');
  if (data === undefined || formField(requestBody, 'Action') !== 'SendRawEmail') return;
  const messageId = /<MessageId>([^<]*)<\/MessageId>/.exec(answer.toString('utf8'))?.[1] ?? 'message';
  inbox.keep(Buffer.from(data, 'base64'), messageId);
}

/** One field of an application/x-www-form-urlencoded body, decoded (undefined when absent). */
function formField(body: Buffer, name: string): string | undefined {
  const wanted = `${encodeURIComponent(name)}=`;
  for (let at = 0; at < body.length; ) {
    const end = body.indexOf(0x26, at); // '&'
    const stop = end < 0 ? body.length : end;
    if (stop - at >= wanted.length && body.toString('latin1', at, at + wanted.length) === wanted) {
      const value = body.toString('latin1', at + wanted.length, stop).replace(/\+/g, ' ');
      try {
        return decodeURIComponent(value);
      } catch {
        // A stray % (URLSearchParams would keep it as it is): read the form the lenient way.
        return new URLSearchParams(body.toString('utf8')).get(name) ?? undefined;
      }
    }
    at = stop + 1;
  }
  return undefined;
}

/** Drops the oldest parsed messages from the emulator's module-wide store beyond MESSAGES_IN_MEMORY (each is on disk by now). */
function forgetOldestParsed(): void {
  const { emails } = (sesLocalStore as unknown as { getStoreReadonly(): { emails: unknown[] } }).getStoreReadonly();
  if (emails.length > MESSAGES_IN_MEMORY) emails.splice(0, emails.length - MESSAGES_IN_MEMORY);
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        stream.destroy();
        reject(new Error(`a request of over ${MAX_REQUEST_BYTES / 1024 / 1024} MB`));
      } else chunks.push(chunk);
    });
    // One chunk (most requests: a socket read is up to 64 KB) is passed on as it is, not copied.
    stream.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    stream.on('error', reject);
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive sockets from the SDK would hold close() open for minutes.
    server.closeAllConnections();
  });
}
