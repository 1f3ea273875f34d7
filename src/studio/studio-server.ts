/**
 * The studio's HTTP side on plain node:http: pages, the rendered email, the .eml, live updates over
 * Server-Sent Events, the "send to list" action, pause / resume / cancel of a started issue and the
 * unsubscribe endpoint (GET page, RFC 8058 POST).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListsConfig } from '../config/lists.js';
import { type Keyring, verifyToken } from '../deliver/tokens.js';
import { unsubscribe as unsubscribeUseCase } from '../subscribers/unsubscribe.js';
import { renderConfirmation } from '../subscribers/confirmation-brief.js';
import { LIFECYCLE_PAGE_HEADERS, unsubscribePage } from '../subscribers/lifecycle-page.js';
import { subscribeEndpoint } from '../subscribers/subscribe-endpoint.js';
import type { BlobStore, Clock, Mailer } from '../ports.js';
import type { LocalStore } from '../adapters/local/local-store.js';
import type { BriefCatalog, CatalogEntry } from './brief-catalog.js';
import { html } from '../render/html-template.js';
import { NO_PROGRESS, summarize, type LocalSendResult, type SendProgress } from '../local-mode/local-runner.js';
import { type BriefRow, type BriefStatus, briefPage, indexPage, type IssueControlView, messagePage, type ScheduledView, type StudioLinks, subscribersPage } from './studio-pages.js';
import { cancelIssue as cancelIssueUseCase, IssueControlError, pauseIssue, resumeIssue } from '../pipeline/issue-control.js';

/** What the studio's handler works with. */
export interface StudioContext {
  readonly catalog: BriefCatalog;
  readonly store: LocalStore;
  readonly blobs: BlobStore;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly links: StudioLinks;
  /** Shown on the pages: where briefs and state live. */
  readonly briefsDir: string;
  readonly stateDir: string;
  /** Sends the brief file's issue through the local pipeline (the same runner as `newsbrief send`). */
  readonly send: (file: string, onProgress: (progress: SendProgress) => void) => Promise<LocalSendResult>;
  /** Issues waiting for their scheduled time, soonest first. */
  readonly scheduled?: (() => ScheduledView[]) | undefined;
  /** Sends a proof of the brief file to its list's proof recipients; returns one line for the page. */
  readonly sendProof?: ((file: string) => Promise<string>) | undefined;
  /** Mails subscribe confirmations (double opt-in); without it the studio has no subscribe form. */
  readonly mailer?: Mailer | undefined;
}

/** A progress event as the pages receive it. */
export interface ProgressEvent extends SendProgress {
  readonly file: string;
  readonly phase: 'start' | 'progress' | 'done';
  readonly done: boolean;
  readonly summary?: string;
  readonly error?: string;
}

/** The studio's request handler, and how to tell open pages that something changed. */
export interface StudioHandler {
  handle(request: IncomingMessage, response: ServerResponse): void;
  broadcast(event: 'brief', data: { file: string }): void;
  broadcast(event: 'progress', data: ProgressEvent): void;
  /** Ends the open event streams (before the server closes). */
  closeStreams(): void;
  /** Sends still running (the studio waits for them on shutdown). */
  readonly running: ReadonlyMap<string, Promise<unknown>>;
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
// The email documents get no script at all; their images and fonts may come from anywhere, as in a mail client.
const EMAIL_CSP = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src * data:; frame-ancestors 'self'";
const PAGE_CSP = "default-src 'self'; img-src * data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'";

/** Builds the handler over the studio's context. */
export function createStudioHandler(ctx: StudioContext): StudioHandler {
  const streams = new Set<ServerResponse>();
  const running = new Map<string, Promise<unknown>>();
  const lastProgress = new Map<string, ProgressEvent>();

  const broadcast = (event: string, data: unknown) => {
    const chunk = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) stream.write(chunk);
  };

  const statusOf = async (entry: CatalogEntry): Promise<{ status: BriefStatus; sentSummary?: string }> => {
    if (!entry.preview.ok) return { status: 'invalid' };
    if (running.has(entry.file)) return { status: 'sending' };
    const record = await ctx.store.getIssue({ list: entry.preview.brief.list, id: entry.preview.brief.id });
    if (!record) return { status: 'valid' };
    const when = record.claimedAt.slice(0, 16).replace('T', ' ');
    const state = record.cancelledAt ? ', cancelled' : record.pause ? ', paused' : '';
    return { status: 'sent', sentSummary: `sent to ${record.counts.sent} on ${when} UTC${record.counts.failed ? `, ${record.counts.failed} failed` : ''}${state}` };
  };

  const rowOf = async (entry: CatalogEntry): Promise<BriefRow> => {
    const { status, sentSummary } = await statusOf(entry);
    const p = entry.preview;
    return {
      file: entry.file,
      status,
      sentSummary,
      subject: p.ok ? p.subject : undefined,
      issueId: p.ok ? p.brief.id : undefined,
      listName: p.ok ? p.list.displayName : undefined,
      problemCount: p.ok ? 0 : p.problems.length,
      renderMs: p.renderMs,
    };
  };

  const startSend = (file: string): { status: number; body: string } => {
    const entry = ctx.catalog.get(file);
    if (!entry) return { status: 404, body: 'No such brief.' };
    if (!entry.preview.ok) return { status: 409, body: 'This brief has problems; fix them first.' };
    if (running.has(file)) return { status: 409, body: 'This brief is being sent already.' };
    const zero: SendProgress = NO_PROGRESS;
    const emit = (progress: SendProgress, phase: ProgressEvent['phase'], extra: Partial<ProgressEvent> = {}) => {
      const event: ProgressEvent = { file, phase, done: phase === 'done', ...progress, ...extra };
      lastProgress.set(file, event);
      broadcast('progress', event);
    };
    emit(zero, 'start');
    const job = ctx
      .send(file, (progress) => emit(progress, 'progress'))
      .then(
        (result) => {
          if (result.status === 'refused') emit(zero, 'done', { error: `${result.problems.length} problem(s) in the brief` });
          else if (result.status === 'scheduled') emit(zero, 'done', { summary: `scheduled for ${result.at}${result.replaced ? ' (replacing the earlier upload: the newest version wins)' : ''}` });
          else if (result.status === 'stopped') emit(result.progress, 'done', { error: result.reason, summary: summarize(result.progress) });
          else emit(result.progress, 'done', { summary: summarize(result.progress) });
        },
        (error: unknown) => emit(zero, 'done', { error: (error as Error).message }),
      )
      .finally(() => running.delete(file));
    running.set(file, job);
    return { status: 202, body: 'Sending.' };
  };

  // Pause, resume and cancel: the same use-cases as `newsbrief issue`. A send running in this studio stops at its
  // next job when its issue is paused or cancelled; after a resume, Send continues it (and re-plans a held issue).
  const controlDeps = { ledger: ctx.store, feedback: ctx.store, clock: ctx.clock };
  const controlIssue = async (entry: CatalogEntry, action: 'pause' | 'resume' | 'cancel', overrideBreaker: boolean): Promise<{ status: number; body: string }> => {
    if (!entry.preview.ok) return { status: 409, body: 'This brief has problems; its issue cannot be found.' };
    const issue = { list: entry.preview.brief.list, id: entry.preview.brief.id };
    try {
      if (action === 'pause') return { status: 200, body: `Paused: ${(await pauseIssue(controlDeps, issue, { by: 'the studio' })).pause.reason}.` };
      if (action === 'cancel') return { status: 200, body: `Cancelled at ${(await cancelIssueUseCase(controlDeps, issue)).cancelledAt}.` };
      const resumed = await resumeIssue(controlDeps, issue, { overrideBreaker, by: 'the studio' });
      return { status: 200, body: resumed.resumed ? 'Resumed: press Send to continue sending.' : 'It was neither paused nor held: nothing to resume.' };
    } catch (error) {
      if (error instanceof IssueControlError) return { status: 409, body: error.message };
      throw error;
    }
  };
  const controlViewOf = async (issue: { list: string; id: string }): Promise<IssueControlView | undefined> => {
    const [record, health] = await Promise.all([ctx.store.getIssue(issue), ctx.store.issueHealth(issue)]);
    if (!record) return undefined;
    const { planned, sent, failed, unknown } = record.counts;
    return {
      paused: record.pause,
      breaker: health.breaker,
      cancelledAt: record.cancelledAt,
      unfinished: !record.planComplete || sent + failed + unknown < planned,
    };
  };

  const routes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (method === 'GET' && path === '/') {
      const rows = await Promise.all(ctx.catalog.list().map(rowOf));
      return send(response, 200, 'text/html; charset=utf-8', indexPage(ctx.briefsDir, rows, ctx.links, ctx.scheduled?.() ?? []));
    }
    if (method === 'GET' && path === '/events') return openStream(request, response);
    if (method === 'GET' && path === '/subscribers') {
      const views = await Promise.all([...ctx.lists.lists.values()].map(async (list) => ({ id: list.id, displayName: list.displayName, members: await ctx.store.members(list.id) })));
      return send(response, 200, 'text/html; charset=utf-8', subscribersPage(views, ctx.stateDir, ctx.links));
    }
    if (path === '/unsubscribe') return unsubscribe(request, response, url, method);
    if ((path === '/subscribe' || path === '/confirm') && ctx.mailer) return lifecycle(request, response, url, method, ctx.mailer);
    // The same archive/ keys CloudFront serves on AWS; a folder gets its index.html, as a reader would expect.
    const archive = /^\/archive\/([a-z0-9-]+)\/(?:([a-z0-9-]+\.html|feed\.xml))?$/.exec(path);
    if (method === 'GET' && archive) {
      const name = archive[2] ?? 'index.html';
      const stored = await ctx.blobs.get(`archive/${archive[1]}/${name}`);
      if (!stored) return notFound(response);
      if (name === 'feed.xml') return send(response, 200, 'application/atom+xml; charset=utf-8', Buffer.from(stored));
      return send(response, 200, 'text/html; charset=utf-8', Buffer.from(stored), { 'content-security-policy': EMAIL_CSP });
    }
    const brief = /^\/brief\/([^/]+)(\/[a-z.]+)?$/.exec(path);
    if (!brief) return notFound(response);
    const file = safeDecode(brief[1]!);
    const entry = file === undefined ? undefined : ctx.catalog.get(file);
    if (!entry || file === undefined) return notFound(response);
    const part = brief[2] ?? '';
    if (method === 'POST' && part === '/send') {
      // A cross-site form cannot set this header, so a page elsewhere cannot make the studio send.
      if (request.headers['x-newsbrief-studio'] !== '1') return send(response, 403, 'text/plain; charset=utf-8', 'Use the studio page to send.');
      const started = startSend(file);
      return send(response, started.status, 'text/plain; charset=utf-8', started.body);
    }
    const control = /^\/(pause|resume|cancel)$/.exec(part);
    if (method === 'POST' && control) {
      if (request.headers['x-newsbrief-studio'] !== '1') return send(response, 403, 'text/plain; charset=utf-8', 'Use the studio page to pause, resume or cancel.');
      const done = await controlIssue(entry, control[1] as 'pause' | 'resume' | 'cancel', url.searchParams.get('override-breaker') === '1');
      return send(response, done.status, 'text/plain; charset=utf-8', done.body);
    }
    if (method === 'POST' && part === '/proof' && ctx.sendProof) {
      if (request.headers['x-newsbrief-studio'] !== '1') return send(response, 403, 'text/plain; charset=utf-8', 'Use the studio page to send a proof.');
      return send(response, 200, 'text/plain; charset=utf-8', await ctx.sendProof(file));
    }
    if (method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    const preview = entry.preview;
    if (part === '') {
      const row = await rowOf(entry);
      const scheme = url.searchParams.get('scheme') === 'dark' ? 'dark' : 'light';
      const subscriberCount = preview.ok ? (await ctx.store.members(preview.brief.list)).filter((m) => m.status === 'subscribed').length : undefined;
      const page = briefPage(
        {
          ...row,
          version: entry.updatedAt,
          scheme,
          problems: preview.ok ? [] : preview.problems,
          text: preview.ok ? preview.text : undefined,
          listId: preview.ok ? preview.list.id : undefined,
          subscriberCount,
          control: preview.ok ? await controlViewOf({ list: preview.brief.list, id: preview.brief.id }) : undefined,
        },
        ctx.links,
      );
      return send(response, 200, 'text/html; charset=utf-8', page);
    }
    if (!preview.ok) return notFound(response);
    if (part === '/email.html') {
      const body = url.searchParams.get('scheme') === 'dark' ? forceDarkScheme(preview.html) : preview.html;
      return send(response, 200, 'text/html; charset=utf-8', body, { 'content-security-policy': EMAIL_CSP });
    }
    if (part === '/email.txt') return send(response, 200, 'text/plain; charset=utf-8', preview.text);
    if (part === '/message.eml') {
      return send(response, 200, 'message/rfc822', preview.eml, { 'content-disposition': `attachment; filename="${preview.brief.id}.eml"` });
    }
    return notFound(response);
  };

  // The same use-case and page as the AWS unsubscribe function, so that what a reader sees locally is what they get.
  const unsubscribe = async (request: IncomingMessage, response: ServerResponse, url: URL, method: string): Promise<void> => {
    if (method === 'POST') await readBody(request, 16 * 1024); // read to the end; whatever it says, the token is what counts
    const token = url.searchParams.get('t') ?? '';
    const outcome = await unsubscribeUseCase({ subscribers: ctx.store, lists: ctx.lists, keyring: ctx.keyring, clock: ctx.clock }, { method, token });
    if (outcome.kind === 'invalid' && outcome.reason === 'unknown subscriber' && isSampleReader(token)) {
      return send(response, 200, 'text/html; charset=utf-8', messagePage('Preview link', html`This is the preview's sample reader; nobody to unsubscribe.`, ctx.links));
    }
    const page = unsubscribePage(outcome);
    return send(response, page.status, 'text/html; charset=utf-8', page.html, LIFECYCLE_PAGE_HEADERS);
  };

  // Double opt-in with the same endpoint as on AWS; the confirmation mail goes to the local inbox.
  const lifecycle = async (request: IncomingMessage, response: ServerResponse, url: URL, method: string, mailer: Mailer): Promise<void> => {
    const deps = {
      subscribers: ctx.store,
      throttle: ctx.store,
      mailer,
      lists: ctx.lists,
      keyring: ctx.keyring,
      clock: ctx.clock,
      renderConfirmation,
      defaultConfirmBaseUrl: new URL('/confirm', `http://${request.headers.host ?? 'localhost'}`).toString(),
    };
    const body = method === 'POST' ? await readBody(request, 16 * 1024) : '';
    const page = await subscribeEndpoint(deps, { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
    return send(response, page.status, 'text/html; charset=utf-8', page.html, LIFECYCLE_PAGE_HEADERS);
  };

  const isSampleReader = (token: string): boolean => {
    const verified = verifyToken(token, ctx.keyring, { purpose: 'unsubscribe', nowSeconds: Math.floor(ctx.clock.now() / 1000) });
    return verified.ok && verified.claims.subscriber === 'sample-reader';
  };

  const openStream = (request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...SECURITY_HEADERS });
    response.write('retry: 1000\n\n');
    // A page opened mid-send catches up with the progress so far.
    for (const event of lastProgress.values()) if (!event.done) response.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
    streams.add(response);
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    request.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(response);
    });
  };

  return {
    handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://studio.invalid');
      routes(request, response, url).catch((error: unknown) => {
        if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `The studio failed: ${(error as Error).message}`);
        else response.end();
      });
    },
    broadcast,
    closeStreams() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
    running,
  };
}

/**
 * Chromium gives an iframe's document the embedder's prefers-color-scheme whatever the iframe's own
 * color-scheme says, so the dark preview rewrites the email's dark media queries to always match, and its
 * light ones never, and sets the canvas dark: what a mail client in dark mode applies.
 */
export function forceDarkScheme(emailHtml: string): string {
  const rewritten = emailHtml
    .replace(/\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi, '(min-width: 0px)')
    .replace(/\(\s*prefers-color-scheme\s*:\s*light\s*\)/gi, '(max-width: -1px)');
  const style = '<style>:root { color-scheme: dark !important; }</style>';
  return /<\/head>/i.test(rewritten) ? rewritten.replace(/<\/head>/i, `${style}</head>`) : style + rewritten;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    ...SECURITY_HEADERS,
    ...headers,
  });
  response.end(body);
}

function notFound(response: ServerResponse): void {
  send(response, 404, 'text/plain; charset=utf-8', 'Not found.');
}

function safeDecode(value: string): string | undefined {
  try {
    const decoded = decodeURIComponent(value);
    return decoded.includes('/') || decoded.includes('\\') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
