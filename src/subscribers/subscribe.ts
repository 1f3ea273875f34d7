/**
 * Joining a list with double opt-in: the form makes an address `pending` and mails a confirmation link;
 * only following that link makes it `subscribed`. The status table decides what a form may do (someone who
 * left may come back only through the link; a bounced or complained address is held back). A stranger learns
 * nothing about an address and changes nothing about a member: every accepted post gets the same answer, and an
 * existing member's name and fields are never rewritten by the form. Abuse guards: a honeypot field; budgets of
 * confirmation mails per normalized mailbox (case and `+tag` variants count as one), per list and overall
 * (confirmation-limits.ts); the confirmation mails' own bounce and complaint breaker; every form problem at once.
 * A post refused by a budget or the breaker gets the same answer as one that mailed.
 */
import { composeReaderMessage } from '../deliver/reader-message.js';
import type { ListConfig, ListsConfig } from '../config/lists.js';
import { type Keyring, signToken, verifyToken } from '../deliver/tokens.js';
import { TransientSendError } from '../deliver/send-errors.js';
import type { BreakerPolicy } from '../config/breaker-policy.js';
import { breakerCounts, breakerVerdictOf, confirmationCount, DEFAULT_CONFIRMATION_BREAKER } from '../breaker/confirmation-breaker.js';
import type { ConfirmationThrottle, Clock, Mailer, SubscriberLookup, SubscriberStore } from '../ports.js';
import type { Subscriber } from '../model.js';
import type { LifecyclePhraseKey } from '../render/lifecycle-phrases.js';
import type { RenderedIssue } from '../render/render-issue.js';
import {
  claimBudgets,
  type ConfirmationLimits,
  type ConfirmationRefusal,
  confirmationBudgets,
  DEFAULT_CONFIRMATION_LIMITS,
  firstSpent,
  giveBack,
} from './confirmation-limits.js';
import { isPlausibleAddress, normalizeEmail } from './email-address.js';
import { mailboxKey } from './mailbox-key.js';
import { transition } from './status-transitions.js';

/** Confirmation links expire after a week. */
export const CONFIRMATION_TTL_SECONDS = 7 * 24 * 60 * 60;

/** A confirmation mail's content: the list and the link, rendered with the newsletter templates. */
export type RenderConfirmation = (list: ListConfig, confirmUrl: string) => Promise<RenderedIssue>;

/** What the subscribe form needs. */
export interface SubscribeDeps {
  readonly subscribers: Pick<SubscriberStore, 'get' | 'upsert' | 'setStatus'>;
  readonly throttle: ConfirmationThrottle;
  readonly mailer: Mailer;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly renderConfirmation: RenderConfirmation;
  /** Where confirmation links point when the list names no `confirmBaseUrl` (e.g. this endpoint's own /confirm). */
  readonly defaultConfirmBaseUrl: string;
  /** The form's budgets of confirmation mails (absent: DEFAULT_CONFIRMATION_LIMITS). */
  readonly limits?: ConfirmationLimits | undefined;
  /** The confirmation breaker's limits (absent: DEFAULT_CONFIRMATION_BREAKER). */
  readonly confirmationBreaker?: BreakerPolicy | undefined;
}

/** The honeypot field of the subscribe form: hidden from people by CSS, filled in by bots. */
export const HONEYPOT_FIELD = 'website';

/** The form's fields, as posted. */
export interface SubscribeForm {
  readonly list?: string | undefined;
  readonly email?: string | undefined;
  readonly firstName?: string | undefined;
  readonly honeypot?: string | undefined;
}

/** A form problem: which field, and what to do about it. */
export interface FormProblem {
  readonly field: 'list' | 'email' | 'firstName';
  /** The sentence in the list's language, for the form page (src/render/lifecycle-phrases.ts). */
  readonly phrase: FormProblemPhrase;
  /** The same in English, for logs and tests. */
  readonly message: string;
}

/** The phrases a form problem can be told with. */
export type FormProblemPhrase = Extract<
  LifecyclePhraseKey,
  'chooseList' | 'enterEmail' | 'emailLooksWrong' | 'firstNameTooLong' | 'firstNameCharacters'
>;

/** How a form post ended. The answer never tells a stranger whether an address is already on the list. */
export type SubscribeOutcome =
  | { readonly kind: 'invalid'; readonly problems: readonly FormProblem[]; readonly form: SubscribeForm }
  /**
   * A confirmation mail went out, or did not (already subscribed, honeypot, `held`: the address bounced or
   * complained, or `refused`: a budget was spent or the breaker is tripped, which is decided before the address
   * is looked up): the same answer, so that the form does not tell a stranger what became of an address.
   * `refused` is for the operator's log and metric only.
   */
  | {
      readonly kind: 'check-inbox';
      readonly list: ListConfig;
      readonly mailed: boolean;
      readonly held?: string | undefined;
      readonly refused?: ConfirmationRefusal | undefined;
    };

/** Reads a form-encoded body. */
export function parseSubscribeForm(body: string, listFromQuery?: string): SubscribeForm {
  const params = new URLSearchParams(body);
  return {
    list: params.get('list') ?? listFromQuery,
    email: params.get('email') ?? undefined,
    firstName: params.get('firstName') ?? undefined,
    honeypot: params.get(HONEYPOT_FIELD) ?? undefined,
  };
}

/** Checks the form; every problem at once. */
export function validateSubscribeForm(form: SubscribeForm, lists: ListsConfig): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!form.list || !lists.lists.has(form.list))
    problems.push({ field: 'list', phrase: 'chooseList', message: 'Choose one of the newsletters.' });
  const email = normalizeEmail(form.email ?? '');
  if (email === '') problems.push({ field: 'email', phrase: 'enterEmail', message: 'Enter your email address.' });
  else if (!isPlausibleAddress(email))
    problems.push({ field: 'email', phrase: 'emailLooksWrong', message: 'Enter an address such as name@example.com.' });
  const firstName = (form.firstName ?? '').trim();
  if (firstName.length > 100)
    problems.push({ field: 'firstName', phrase: 'firstNameTooLong', message: 'Keep the first name to 100 characters or fewer.' });
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f<>]/.test(firstName))
    problems.push({ field: 'firstName', phrase: 'firstNameCharacters', message: 'Use letters, spaces and punctuation only.' });
  return problems;
}

/** Handles one form post. Throws TransientSendError when the mail could not go out now (the person may retry at once). */
export async function subscribe(deps: SubscribeDeps, form: SubscribeForm): Promise<SubscribeOutcome> {
  const problems = validateSubscribeForm(form, deps.lists);
  if (problems.length > 0) return { kind: 'invalid', problems, form };
  const list = deps.lists.lists.get(form.list!)!;
  // Bots that fill every field get the ordinary answer and nothing happens.
  if (form.honeypot) return { kind: 'check-inbox', list, mailed: false };

  const email = normalizeEmail(form.email!);
  const firstName = form.firstName?.trim() || undefined;
  const now = deps.clock.now();
  const budgets = confirmationBudgets(list.id, mailboxKey(email), deps.limits ?? DEFAULT_CONFIRMATION_LIMITS);
  const shared = budgets.filter((budget) => budget.scope !== 'mailbox');
  const breaker = breakerCounts(list.id);
  // A flood is mostly refusals: one read decides them before anything else is read or written (the breaker
  // first, so that a tripped one spends no budget; then the list's and overall budgets already spent).
  const values = await deps.throttle.read([...breaker, ...shared], now);
  if (breakerVerdictOf(values.slice(0, breaker.length), deps.confirmationBreaker ?? DEFAULT_CONFIRMATION_BREAKER).trip)
    return { kind: 'check-inbox', list, mailed: false, refused: 'breaker' };
  const spent = firstSpent(shared, values.slice(breaker.length));
  if (spent) return { kind: 'check-inbox', list, mailed: false, refused: spent.scope };

  const current = await deps.subscribers.get(list.id, email);
  const next = transition(current?.status, 'subscribe-request');
  if (next.refused) return { kind: 'check-inbox', list, mailed: false, held: next.refused };
  if (!next.sendConfirmation || next.status === undefined) return { kind: 'check-inbox', list, mailed: false };
  const claim = await claimBudgets(deps.throttle, budgets, now);
  if (!claim.ok) return { kind: 'check-inbox', list, mailed: false, refused: claim.refused };
  const at = new Date(now).toISOString();
  // Someone already known (who left, or is pending) only changes status: their name and fields stay theirs.
  let subscriber: Subscriber;
  if (current) {
    await deps.subscribers.setStatus(list.id, email, next.status, at);
    subscriber = { ...current, status: next.status, updatedAt: at };
  } else subscriber = await deps.subscribers.upsert({ list: list.id, email, firstName, status: next.status }, at);
  try {
    const token = signToken(
      { list: list.id, subscriber: subscriber.id, purpose: 'confirm', expiresAt: Math.floor(now / 1000) + CONFIRMATION_TTL_SECONDS },
      deps.keyring,
    );
    const confirmUrl = new URL(list.confirmBaseUrl ?? deps.defaultConfirmBaseUrl);
    confirmUrl.searchParams.set('t', token);
    const issue = await deps.renderConfirmation(list, confirmUrl.toString());
    await deps.mailer.send(await composeReaderMessage({ issue, list, recipient: subscriber, keyring: deps.keyring, date: new Date(now) }));
  } catch (error) {
    // Not sent: the budgets are given back, so that the person may try again at once.
    await giveBack(deps.throttle, claim.taken, now);
    if (error instanceof TransientSendError) throw error;
    throw new TransientSendError(`the confirmation mail could not be sent: ${(error as Error).message}`, { cause: error });
  }
  // The breaker judges bounces and complaints against the confirmations that went out.
  await deps.throttle.add(confirmationCount(list.id, 'sent'), now, 1);
  return { kind: 'check-inbox', list, mailed: true };
}

/** What confirming needs. */
export interface ConfirmDeps {
  readonly subscribers: SubscriberLookup & Pick<SubscriberStore, 'setStatus'>;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
}

/** How following a confirmation link ended. */
export type ConfirmOutcome =
  /** A GET of a valid link for a pending address: the page asks for the click (link scanners follow GETs). */
  | { readonly kind: 'ask'; readonly list: ListConfig; readonly token: string }
  | { readonly kind: 'confirmed'; readonly list: ListConfig }
  /** The link was fine but the address is not pending any more (unsubscribed since, bounced, complained). */
  | { readonly kind: 'not-pending'; readonly list: ListConfig }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Follows a confirmation link: pending → subscribed, as the status table says; again is harmless. Only a
 * POST (the page's button) confirms: a GET asks, because mail scanners open links on their own.
 */
export async function confirmSubscription(deps: ConfirmDeps, token: string, method: 'GET' | 'POST' = 'POST'): Promise<ConfirmOutcome> {
  const verified = verifyToken(token, deps.keyring, { purpose: 'confirm', nowSeconds: Math.floor(deps.clock.now() / 1000) });
  if (!verified.ok) return { kind: 'invalid', reason: verified.reason };
  const list = deps.lists.lists.get(verified.claims.list);
  if (!list) return { kind: 'invalid', reason: 'unknown list' };
  const subscriber = await deps.subscribers.getById(list.id, verified.claims.subscriber);
  if (!subscriber) return { kind: 'invalid', reason: 'unknown subscriber' };
  const next = transition(subscriber.status, 'confirm');
  if (next.status === 'subscribed') {
    if (method === 'GET' && subscriber.status !== 'subscribed') return { kind: 'ask', list, token };
    if (subscriber.status !== 'subscribed')
      await deps.subscribers.setStatus(list.id, subscriber.email, 'subscribed', new Date(deps.clock.now()).toISOString());
    return { kind: 'confirmed', list };
  }
  return { kind: 'not-pending', list };
}
