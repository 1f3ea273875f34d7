/**
 * The studio's stand-in for SES's tracking domain: `/t/o/<token>` (the open pixel) and `/t/c/<token>?u=<url>`
 * (a tracked link) turn a reader's GET into the SES Open or Click event SES would publish, and apply it
 * through the very parser and counting code the feedback function runs. A link redirects only to the URL its
 * token was signed for, and only when that URL is one of the issue's links: the studio is no open redirect.
 */
import type { IncomingMessage } from 'node:http';
import { DEFAULT_BREAKER_POLICY } from '../config/breaker-policy.js';
import { applySesFeedback, type FeedbackDeps } from '../feedback/apply-feedback.js';
import { parseSesEvent } from '../feedback/parse-ses-event.js';
import { renderedLinks } from '../engagement/rendered-links.js';
import { type TrackedMessage, verifyTrackingToken } from '../engagement/tracking-token.js';
import { respond, respondText } from './http-respond.js';
import type { Route, RouteHandler } from './route-table.js';
import type { StudioContext } from './studio-context.js';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The tracking routes, over the studio's context. */
export function trackingRoutes(ctx: StudioContext): Route[] {
  const links = renderedLinks(ctx.blobs);
  const deps: FeedbackDeps = {
    subscribers: ctx.store,
    ledger: ctx.store,
    feedback: ctx.store,
    lists: ctx.lists,
    clock: ctx.clock,
    breaker: ctx.breaker ?? DEFAULT_BREAKER_POLICY,
    confirmations: ctx.store,
    engagement: { ledger: ctx.store, links },
  };

  // The event SES would publish for this request (its IP and user agent only judge machine-ness, in the parser).
  const record = async (type: 'Open' | 'Click', message: TrackedMessage, request: IncomingMessage, link?: string) => {
    const origin = { ipAddress: request.socket.remoteAddress, userAgent: request.headers['user-agent'] };
    const event = {
      eventType: type,
      mail: {
        timestamp: new Date(message.sentMs).toISOString(),
        messageId: message.messageId,
        destination: [],
        tags: { list: [message.list], issue: [message.issue], delivery: [message.delivery] },
      },
      [type === 'Open' ? 'open' : 'click']: { timestamp: new Date(ctx.clock.now()).toISOString(), ...origin, ...(link ? { link } : {}) },
    };
    const parsed = parseSesEvent(event);
    if (parsed.ok) await applySesFeedback(deps, parsed.feedback);
  };

  const open: RouteHandler = async ({ request, response, params }) => {
    const message = verifyTrackingToken(params.token!, ctx.keyring);
    if (message) await record('Open', message, request);
    // A mail client gets its image whatever the token: a broken image tells a reader nothing useful.
    respond(response, 200, 'image/gif', PIXEL);
  };

  const click: RouteHandler = async ({ request, response, params, url }) => {
    const target = url.searchParams.get('u') ?? '';
    const message = target === '' ? undefined : verifyTrackingToken(params.token!, ctx.keyring, target);
    const known = message && (await links({ list: message.list, id: message.issue }))?.some((link) => link.url === target);
    if (!message || !known) return respondText(response, 400, 'This link is not valid: it does not lead anywhere from this studio.');
    await record('Click', message, request, target);
    respond(response, 302, 'text/plain; charset=utf-8', `Redirecting to ${target}`, { location: target });
  };

  return [
    { method: 'GET', path: '/t/o/:token', handler: open },
    { method: 'GET', path: '/t/c/:token', handler: click },
  ];
}
