/**
 * The public subscribe endpoint as one function from a request to a page, for the AWS function URL and the
 * local studio alike: GET /subscribe (the form), POST /subscribe (double opt-in), GET /confirm?t=… (the link's
 * page) and POST /confirm?t=… (its button, which confirms).
 */
import { TransientSendError } from '../deliver/send-errors.js';
import { confirmPage, type LifecyclePage, messageOnlyPage, subscribeFormPage, subscribeResultPage } from './lifecycle-page.js';
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

/** Routes one request to the form, the subscribe use-case or the confirmation. */
export async function subscribeEndpoint(deps: SubscribeEndpointDeps, request: EndpointRequest): Promise<LifecyclePage> {
  const method = request.method.toUpperCase();
  const path = request.path.replace(/\/+$/, '') || '/';
  if (path === '/confirm') {
    if (method !== 'GET' && method !== 'POST') return notAllowed;
    return confirmPage(await confirmSubscription(deps, request.query.t ?? '', method));
  }
  if (path !== '/' && path !== '/subscribe') return messageOnlyPage(404, 'Not found', 'There is nothing at this address.');
  if (method === 'GET') return { status: 200, html: subscribeFormPage(deps.lists, 'subscribe', { list: request.query.list }) };
  if (method !== 'POST') return notAllowed;
  try {
    return subscribeResultPage(await subscribe(deps, parseSubscribeForm(request.body, request.query.list)), deps.lists, 'subscribe');
  } catch (error) {
    if (error instanceof TransientSendError)
      return messageOnlyPage(503, 'Please try again', 'The confirmation mail could not be sent just now. Please try again in a minute.');
    throw error;
  }
}

const notAllowed: LifecyclePage = messageOnlyPage(405, 'Not allowed', 'Use the form or the link from your email.');
