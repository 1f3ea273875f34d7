/**
 * The routes of one brief file: its page, the rendered email (HTML, text, .eml), and the actions — send
 * (after the confirm step), proof, pause / resume / cancel of its started issue, and cancelling its schedule.
 */
import { cancelIssue, IssueControlError, pauseIssue, resumeIssue } from '../pipeline/issue-control.js';
import type { CatalogEntry } from './brief-catalog.js';
import type { BriefViews } from './brief-views.js';
import { EMAIL_CSP, readRequestBody, respond, respondHtml, respondNotFound, respondText } from './http-respond.js';
import type { Route, RouteRequest } from './route-table.js';
import { checkConfirmation, describeStartTime } from './send-confirmation.js';
import type { StudioContext } from './studio-context.js';
import { briefPage, type StudioLinks } from './studio-pages.js';
import type { StudioSends } from './studio-sends.js';

/** A cross-site form cannot set this header, so a page elsewhere cannot make the studio act. */
export const STUDIO_ACTION_HEADER = 'x-newsbrief-studio';

type EntryHandler = (route: RouteRequest, entry: CatalogEntry) => Promise<void> | void;

/** The brief file routes, over the studio's context. */
export function briefRoutes(ctx: StudioContext, views: BriefViews, sends: StudioSends, links: StudioLinks): Route[] {
  const entryOf = (handler: EntryHandler) => (route: RouteRequest) => {
    const entry = ctx.catalog.get(route.params.file!);
    return entry ? handler(route, entry) : respondNotFound(route.response);
  };
  // The actions: only from the studio's own pages (the request guard has checked Origin already).
  const action = (what: string, handler: EntryHandler) =>
    entryOf((route, entry) =>
      route.request.headers[STUDIO_ACTION_HEADER] === '1'
        ? handler(route, entry)
        : respondText(route.response, 403, `Use the studio page to ${what}.`),
    );

  const showBrief: EntryHandler = async ({ response, url }, entry) => {
    const preview = entry.preview;
    const [row, confirmation, control] = await Promise.all([views.rowOf(entry), views.confirmationOf(entry), views.controlOf(entry)]);
    const pending = views.pendingScheduleOf(entry);
    const page = briefPage(
      {
        ...row,
        version: entry.updatedAt,
        scheme: url.searchParams.get('scheme') === 'dark' ? 'dark' : 'light',
        problems: preview.ok ? [] : preview.problems,
        text: preview.ok ? preview.text : undefined,
        listId: preview.ok ? preview.list.id : undefined,
        subscriberCount: confirmation?.recipients,
        confirmation,
        startTime: confirmation && confirmation.start !== 'now' ? describeStartTime(confirmation.start, ctx.timeZone) : undefined,
        pendingSchedule: pending ? { ...describeStartTime(pending.at, ctx.timeZone), inMs: pending.inMs } : undefined,
        control,
      },
      links,
    );
    respondHtml(response, 200, page);
  };

  const showEmailHtml: EntryHandler = ({ response, url }, { preview }) => {
    if (!preview.ok) return respondNotFound(response);
    const body = url.searchParams.get('scheme') === 'dark' ? forceDarkScheme(preview.html) : preview.html;
    respondHtml(response, 200, body, { 'content-security-policy': EMAIL_CSP });
  };

  const showEmailText: EntryHandler = ({ response }, { preview }) =>
    preview.ok ? respondText(response, 200, preview.text) : respondNotFound(response);

  const downloadEml: EntryHandler = ({ response }, { preview }) => {
    if (!preview.ok) return respondNotFound(response);
    respond(response, 200, 'message/rfc822', preview.eml, { 'content-disposition': `attachment; filename="${preview.brief.id}.eml"` });
  };

  // Sends only what the person confirmed: the list, its subscriber count and the start time, as they are now.
  const startSend: EntryHandler = async ({ request, response }, entry) => {
    const body = await readRequestBody(request);
    const confirmation = await views.confirmationOf(entry);
    if (!confirmation) return respondText(response, 409, 'This brief has problems; fix them first.');
    if (sends.isRunning(entry.file)) return respondText(response, 409, 'This brief is being sent already.');
    const refused = checkConfirmation(confirmation, body);
    if (refused) return respondText(response, refused.status, refused.message);
    sends.start(entry.file);
    respondText(response, 202, confirmation.start === 'now' ? 'Sending.' : 'Scheduling.');
  };

  const sendProof: EntryHandler = async ({ response }, entry) => respondText(response, 200, await ctx.sendProof!(entry.file));

  const cancelSchedule: EntryHandler = async ({ response }, entry) => {
    const done = await ctx.cancelSchedule!(entry.file);
    respondText(response, done.cancelled ? 200 : 409, done.message);
  };

  // Pause, resume and cancel: the same use-cases as `newsbrief issue`. A send running in this studio stops at its
  // next job when its issue is paused or cancelled; after a resume, Send continues it (and re-plans a held issue).
  const controlIssue =
    (verb: 'pause' | 'resume' | 'cancel'): EntryHandler =>
    async ({ response, url }, entry) => {
      if (!entry.preview.ok) return respondText(response, 409, 'This brief has problems; its issue cannot be found.');
      const issue = { list: entry.preview.brief.list, id: entry.preview.brief.id };
      const deps = { ledger: ctx.store, feedback: ctx.store, clock: ctx.clock };
      try {
        if (verb === 'pause')
          return respondText(response, 200, `Paused: ${(await pauseIssue(deps, issue, { by: 'the studio' })).pause.reason}.`);
        if (verb === 'cancel') return respondText(response, 200, `Cancelled at ${(await cancelIssue(deps, issue)).cancelledAt}.`);
        const resumed = await resumeIssue(deps, issue, {
          overrideBreaker: url.searchParams.get('override-breaker') === '1',
          by: 'the studio',
        });
        respondText(
          response,
          200,
          resumed.resumed ? 'Resumed: press Send to continue sending.' : 'It was neither paused nor held: nothing to resume.',
        );
      } catch (error) {
        if (error instanceof IssueControlError) return respondText(response, 409, error.message);
        throw error;
      }
    };

  return [
    { method: 'GET', path: '/brief/:file', handler: entryOf(showBrief) },
    { method: 'GET', path: '/brief/:file/email.html', handler: entryOf(showEmailHtml) },
    { method: 'GET', path: '/brief/:file/email.txt', handler: entryOf(showEmailText) },
    { method: 'GET', path: '/brief/:file/message.eml', handler: entryOf(downloadEml) },
    { method: 'POST', path: '/brief/:file/send', handler: action('send', startSend) },
    { method: 'POST', path: '/brief/:file/pause', handler: action('pause, resume or cancel', controlIssue('pause')) },
    { method: 'POST', path: '/brief/:file/resume', handler: action('pause, resume or cancel', controlIssue('resume')) },
    { method: 'POST', path: '/brief/:file/cancel', handler: action('pause, resume or cancel', controlIssue('cancel')) },
    ...(ctx.sendProof ? [{ method: 'POST' as const, path: '/brief/:file/proof', handler: action('send a proof', sendProof) }] : []),
    ...(ctx.cancelSchedule
      ? [{ method: 'POST' as const, path: '/brief/:file/unschedule', handler: action('cancel a schedule', cancelSchedule) }]
      : []),
  ];
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
