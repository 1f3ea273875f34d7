/**
 * The studio's HTTP side on plain node:http: every request passes the request guard (the studio's own Host,
 * and for a POST its own Origin), then the route table picks a small named handler. The routes: the index and
 * subscribers pages, live updates, the static assets, each brief's page and actions (brief-routes.ts) and
 * what readers reach (reader-routes.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BriefViews } from './brief-views.js';
import { briefRoutes } from './brief-routes.js';
import { BodyTooLargeError, respondHtml, respondText } from './http-respond.js';
import { type ProgressEvent, LiveEvents } from './live-events.js';
import { readerRoutes } from './reader-routes.js';
import { reportRoutes } from './report-routes.js';
import { trackingRoutes } from './tracking-routes.js';
import { refuseForeignRequest } from './request-guard.js';
import { type Route, type RouteHandler, RouteTable } from './route-table.js';
import { StaticAssets } from './static-assets.js';
import type { StudioContext } from './studio-context.js';
import { indexPage, type StudioLinks } from './studio-pages.js';
import { subscriberRoutes } from './subscriber-routes.js';
import { StudioSends } from './studio-sends.js';

export type { StudioContext } from './studio-context.js';
export type { ProgressEvent } from './live-events.js';
export { forceDarkScheme } from './brief-routes.js';

/** The studio's request handler, and how to tell open pages that something changed. */
export interface StudioHandler {
  handle(request: IncomingMessage, response: ServerResponse): void;
  broadcast(event: 'brief', data: { file: string }): void;
  broadcast(event: 'progress', data: ProgressEvent): void;
  /** Ends the open event streams (before the server closes). */
  closeStreams(): void;
  /** The sends still running (the studio waits for them on shutdown). */
  running(): Promise<void>[];
}

/** Builds the handler over the studio's context. */
export function createStudioHandler(ctx: StudioContext, assets: StaticAssets = new StaticAssets()): StudioHandler {
  const live = new LiveEvents();
  const sends = new StudioSends(ctx.sendBrief, live);
  const views = new BriefViews(ctx, sends);
  const links: StudioLinks = { inboxUrl: ctx.inboxUrl, stylesheet: assets.urlOf('studio.css'), script: assets.urlOf('studio.js') };

  const showIndex: RouteHandler = async ({ response }) => {
    const rows = await Promise.all(ctx.catalog.list().map((entry) => views.rowOf(entry)));
    respondHtml(response, 200, indexPage(ctx.briefsDir, rows, links, ctx.scheduled?.() ?? []));
  };

  const routes: Route[] = [
    { method: 'GET', path: '/', handler: showIndex },
    ...subscriberRoutes(ctx, links),
    { method: 'GET', path: '/events', handler: ({ request, response }) => live.open(request, response) },
    {
      method: 'GET',
      path: '/assets/:name',
      handler: ({ request, response, url, params }) =>
        assets.serve(response, params.name!, url.searchParams, request.headers['if-none-match']),
    },
    ...briefRoutes(ctx, views, sends, links),
    ...readerRoutes(ctx, links),
    ...reportRoutes(ctx),
    ...trackingRoutes(ctx),
  ];
  const table = new RouteTable(routes);

  const dispatch = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const refused = refuseForeignRequest({ method, host: request.headers.host, origin: request.headers.origin }, ctx.hosts);
    if (refused) return respondText(response, refused.status, refused.message);
    const url = new URL(request.url ?? '/', 'http://studio.invalid');
    const match = table.match(method, url.pathname);
    if (match.kind === 'not-found') return respondText(response, 404, 'Not found.');
    if (match.kind === 'method-not-allowed')
      return respondText(response, 405, 'Method not allowed.', {
        allow: [...match.allow, ...(match.allow.includes('GET') ? ['HEAD'] : [])].join(', '),
      });
    await match.route.handler({ request, response, url, params: match.params });
  };

  return {
    handle(request, response) {
      dispatch(request, response).catch((error: unknown) => {
        if (response.headersSent) response.end();
        else if (error instanceof BodyTooLargeError) respondText(response, 413, error.message);
        else respondText(response, 500, `The studio failed: ${(error as Error).message}`);
      });
    },
    broadcast: (event: 'brief' | 'progress', data: { file: string } | ProgressEvent) => live.broadcast(event, data),
    closeStreams: () => live.closeAll(),
    running: () => sends.running(),
  };
}
