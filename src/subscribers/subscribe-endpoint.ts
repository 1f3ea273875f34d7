/**
 * The public subscribe endpoint as one function from a request to a page, for the AWS function URL and the
 * local studio alike: GET /subscribe (the form), POST /subscribe (double opt-in), GET /confirm?t=… (the link's
 * page) and POST /confirm?t=… (its button, which confirms).
 */
import { TransientSendError } from '../deliver/send-errors.js';
import { confirmPage, type LifecyclePage, messageOnlyPage, subscribeFormPage, subscribeResultPage } from './lifecycle-page.js';
import type { ConfirmationRefusal } from './confirmation-limits.js';
import { type ConfirmDeps, confirmSubscription, parseSubscribeForm, subscribe, type SubscribeDeps } from './subscribe.js';

/** A request to the endpoint, as any HTTP front end sees it. */
export interface EndpointRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** What the endpoint needs; `defaultConfirmBaseUrl` is usually this endpoint's own /confirm. */
export type SubscribeEndpointDeps = SubscribeDeps & ConfirmDeps;

/** The page to answer with; `refused` (never shown) tells the operator's log which list's confirmation was held back, and by what. */
export type EndpointAnswer = LifecyclePage & {
  readonly refused?: { readonly list: string; readonly by: ConfirmationRefusal } | undefined;
};

/** Routes one request to the form, the subscribe use-case or the confirmation. */
export async function subscribeEndpoint(deps: SubscribeEndpointDeps, request: EndpointRequest): Promise<EndpointAnswer> {
  const method = request.method.toUpperCase();
  const path = request.path.replace(/\/+$/, '') || '/';
  if (path === '/confirm') {
    if (method !== 'GET' && method !== 'POST') return notAllowed(deps, request);
    return confirmPage(await confirmSubscription(deps, request.query.t ?? '', method), deps.lists);
  }
  if (path !== '/' && path !== '/subscribe')
    return messageOnlyPage(404, deps.lists, 'notFoundTitle', 'notFoundMessage', request.query.list);
  if (method === 'GET') return { status: 200, html: subscribeFormPage(deps.lists, 'subscribe', { list: request.query.list }) };
  if (method !== 'POST') return notAllowed(deps, request);
  try {
    const outcome = await subscribe(deps, parseSubscribeForm(request.body, request.query.list));
    const page = subscribeResultPage(outcome, deps.lists, 'subscribe');
    return outcome.kind === 'check-inbox' && outcome.refused ? { ...page, refused: { list: outcome.list.id, by: outcome.refused } } : page;
  } catch (error) {
    if (error instanceof TransientSendError)
      return messageOnlyPage(
        503,
        deps.lists,
        'tryAgainTitle',
        'mailNotSentMessage',
        parseSubscribeForm(request.body, request.query.list).list,
      );
    throw error;
  }
}

// In the language of the list the request names, if any.
const notAllowed = (deps: SubscribeEndpointDeps, request: EndpointRequest): LifecyclePage =>
  messageOnlyPage(405, deps.lists, 'notAllowedTitle', 'useFormOrLink', request.query.list);
