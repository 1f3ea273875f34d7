/**
 * The unsubscribe link's use-case, the same on AWS (function URL) and in the local studio. A GET only
 * shows what a POST would do: link scanners and mail previews follow GETs. Any POST (the mail client's
 * RFC 8058 one-click, or the page's own form) unsubscribes at once, and again harmlessly, whatever its body:
 * RFC 8058 lets clients send `multipart/form-data` or form-encoded `List-Unsubscribe=One-Click`, and some send
 * neither, so the signed token in the URL is what counts. Every bad token gets the same answer, and nothing changes.
 */
import type { ListConfig, ListsConfig } from '../config/lists.js';
import { type Keyring, verifyToken } from '../deliver/tokens.js';
import type { Clock, FeedbackLedger, SubscriberLookup, SubscriberStore } from '../ports.js';
import { maskEmail } from './mask-email.js';
import { transition } from './status-transitions.js';

/** What unsubscribing needs. */
export interface UnsubscribeDeps {
  readonly subscribers: SubscriberLookup & Pick<SubscriberStore, 'setStatus'>;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
  /**
   * Where an unsubscribe is counted on the issue named by the link's token (see unsubscribeLinks). Absent: not
   * counted (a deployment whose unsubscribe function cannot write the ledger).
   */
  readonly feedback?: Pick<FeedbackLedger, 'countFeedbackOnce'> | undefined;
}

/** The feedback event key of a reader leaving through an issue's link: one per reader and issue, however often they click. */
export function unsubscribeEventKey(subscriberId: string): string {
  return `unsubscribe#${subscriberId}`;
}

/** One request to the unsubscribe endpoint, as any HTTP front end sees it. */
export interface UnsubscribeRequest {
  readonly method: string;
  /** The `t` query parameter ('' when absent). The body is never read: the token is what counts. */
  readonly token: string;
}

/** How the request ended; `maskedEmail` lets the reader recognize their address on a public page. */
export type UnsubscribeOutcome =
  /** GET by a subscribed reader: the page with the confirm button. */
  | { readonly kind: 'confirm'; readonly list: ListConfig; readonly maskedEmail: string; readonly token: string }
  /** POST done, or repeated, or the address was never going to be mailed anyway. */
  | { readonly kind: 'unsubscribed'; readonly list: ListConfig; readonly maskedEmail: string }
  /** GET by someone already off the list. */
  | { readonly kind: 'not-subscribed'; readonly list: ListConfig; readonly maskedEmail: string }
  /** Forged, tampered, truncated, unknown key or subscriber: one answer for all. `reason` is for logs only. */
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'method-not-allowed' };

/** Handles one request to the unsubscribe link. */
export async function unsubscribe(deps: UnsubscribeDeps, request: UnsubscribeRequest): Promise<UnsubscribeOutcome> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return { kind: 'method-not-allowed' };
  const verified = verifyToken(request.token, deps.keyring, { purpose: 'unsubscribe', nowSeconds: Math.floor(deps.clock.now() / 1000) });
  if (!verified.ok) return { kind: 'invalid', reason: verified.reason };
  const list = deps.lists.lists.get(verified.claims.list);
  if (!list) return { kind: 'invalid', reason: 'unknown list' };
  const subscriber = await deps.subscribers.getById(list.id, verified.claims.subscriber);
  if (!subscriber) return { kind: 'invalid', reason: 'unknown subscriber' };
  const maskedEmail = maskEmail(subscriber.email);

  if (method === 'GET') {
    return subscriber.status === 'subscribed' || subscriber.status === 'pending'
      ? { kind: 'confirm', list, maskedEmail, token: request.token }
      : { kind: 'not-subscribed', list, maskedEmail };
  }
  const next = transition(subscriber.status, 'unsubscribe');
  if (next.status !== undefined && next.status !== subscriber.status) {
    await deps.subscribers.setStatus(list.id, subscriber.email, next.status, new Date(deps.clock.now()).toISOString());
    // Counted only when this request took the reader off the list, and claimed by key, so that a repeated POST,
    // a one-click plus the page's button, or a redelivered mail counts once.
    const issueId = verified.claims.issue;
    if (issueId !== undefined && deps.feedback && subscriber.status !== 'pending') {
      await deps.feedback.countFeedbackOnce({ list: list.id, id: issueId }, unsubscribeEventKey(subscriber.id), 'unsubscribed');
    }
  }
  return { kind: 'unsubscribed', list, maskedEmail };
}
