/**
 * What readers reach in local mode, with the same use-cases and pages as the AWS functions, so that what a
 * reader sees locally is what they get: the unsubscribe link (GET page, RFC 8058 one-click POST), the
 * double opt-in form and its confirm link, and the web archive.
 */
import { verifyToken } from '../deliver/tokens.js';
import { renderConfirmation } from '../subscribers/confirmation-brief.js';
import { LIFECYCLE_PAGE_HEADERS, unsubscribePage } from '../subscribers/lifecycle-page.js';
import { subscribeEndpoint } from '../subscribers/subscribe-endpoint.js';
import { unsubscribe } from '../subscribers/unsubscribe.js';
import { html } from '../render/html-template.js';
import type { Mailer } from '../ports.js';
import { ARCHIVE_KEYS } from '../config/bucket-layout.js';
import { EMAIL_CSP, readRequestBody, respond, respondHtml, respondNotFound } from './http-respond.js';
import type { Route, RouteHandler } from './route-table.js';
import type { StudioContext } from './studio-context.js';
import { messagePage, type StudioLinks } from './studio-pages.js';

/** The archive's names: list ids, and issue pages (`<id>.html`) beside index.html and feed.xml. */
const ARCHIVE_NAME = /^[a-z0-9-]+$/;
const ARCHIVE_PAGE = /^[a-z0-9-]+\.html$/;

/** The reader-facing routes, over the studio's context. */
export function readerRoutes(ctx: StudioContext, links: StudioLinks): Route[] {
  const isSampleReader = (token: string): boolean => {
    const verified = verifyToken(token, ctx.keyring, { purpose: 'unsubscribe', nowSeconds: Math.floor(ctx.clock.now() / 1000) });
    return verified.ok && verified.claims.subscriber === 'sample-reader';
  };

  // The token in the URL is what counts; the body (whatever its encoding) is never read.
  const unsubscribeReader: RouteHandler = async ({ request, response, url }) => {
    const token = url.searchParams.get('t') ?? '';
    const outcome = await unsubscribe(
      { subscribers: ctx.store, lists: ctx.lists, keyring: ctx.keyring, clock: ctx.clock, feedback: ctx.store },
      { method: request.method ?? 'GET', token },
    );
    if (outcome.kind === 'invalid' && outcome.reason === 'unknown subscriber' && isSampleReader(token)) {
      return respondHtml(
        response,
        200,
        messagePage('Preview link', html`This is the preview's sample reader; nobody to unsubscribe.`, links),
      );
    }
    const page = unsubscribePage(outcome, ctx.lists);
    respondHtml(response, page.status, page.html, LIFECYCLE_PAGE_HEADERS);
  };

  // Double opt-in with the same endpoint as on AWS; the confirmation mail goes to the local inbox.
  const subscribeOrConfirm =
    (mailer: Mailer): RouteHandler =>
    async ({ request, response, url }) => {
      const method = request.method ?? 'GET';
      const body = method === 'POST' ? await readRequestBody(request) : '';
      const deps = {
        subscribers: ctx.store,
        throttle: ctx.store,
        mailer,
        lists: ctx.lists,
        keyring: ctx.keyring,
        clock: ctx.clock,
        renderConfirmation,
        // The Host is one of the studio's own names (the request guard checked it).
        defaultConfirmBaseUrl: new URL('/confirm', `http://${request.headers.host ?? 'localhost'}`).toString(),
      };
      const page = await subscribeEndpoint(deps, { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      respondHtml(response, page.status, page.html, LIFECYCLE_PAGE_HEADERS);
    };

  // The same archive/ keys CloudFront serves on AWS; a folder gets its index.html, as a reader would expect.
  const showArchive: RouteHandler = async ({ response, params }) => {
    const list = params.list!;
    const file = params.file;
    if (!ARCHIVE_NAME.test(list) || (file !== undefined && file !== 'feed.xml' && !ARCHIVE_PAGE.test(file)))
      return respondNotFound(response);
    const key =
      file === undefined
        ? ARCHIVE_KEYS.index(list)
        : file === 'feed.xml'
          ? ARCHIVE_KEYS.feed(list)
          : ARCHIVE_KEYS.page(list, file.slice(0, -'.html'.length));
    const stored = await ctx.blobs.get(key);
    if (!stored) return respondNotFound(response);
    if (file === 'feed.xml') return respond(response, 200, 'application/atom+xml; charset=utf-8', Buffer.from(stored));
    respondHtml(response, 200, Buffer.from(stored), { 'content-security-policy': EMAIL_CSP });
  };

  const lifecycle = ctx.mailer ? subscribeOrConfirm(ctx.mailer) : undefined;
  return [
    { method: 'GET', path: '/unsubscribe', handler: unsubscribeReader },
    { method: 'POST', path: '/unsubscribe', handler: unsubscribeReader },
    ...(lifecycle
      ? (['/subscribe', '/confirm'] as const).flatMap((path) => [
          { method: 'GET' as const, path, handler: lifecycle },
          { method: 'POST' as const, path, handler: lifecycle },
        ])
      : []),
    { method: 'GET', path: '/archive/:list/', handler: showArchive },
    { method: 'GET', path: '/archive/:list/:file', handler: showArchive },
  ];
}
