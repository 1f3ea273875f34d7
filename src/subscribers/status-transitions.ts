/**
 * How a subscriber's status answers each event, as one table. The rules that keep newsbrief lawful live
 * here: an import or a form never re-subscribes someone who left, a bounce or complaint is never undone,
 * and only a confirmed opt-in makes a subscriber.
 */
import type { SubscriberStatus } from '../model.js';

/** Things that happen to an address. */
export type SubscriberEvent =
  /** Ops import it from a CSV (the list owner vouches for consent). */
  | 'import'
  /** Someone submits the subscribe form for it. */
  | 'subscribe-request'
  /** Its owner follows a valid confirmation link. */
  | 'confirm'
  /** Its owner unsubscribes (link, one-click POST, mailto). */
  | 'unsubscribe'
  /** SES reports a permanent bounce. */
  | 'bounce-permanent'
  /** SES reports a transient bounce: counted, nothing changes. */
  | 'bounce-transient'
  /** SES reports a complaint (the reader marked it as spam). */
  | 'complaint';

/** What to do: the status afterwards (undefined: still unknown), and whether to send a confirmation mail. */
export interface Transition {
  readonly status: SubscriberStatus | undefined;
  readonly sendConfirmation: boolean;
  /** Set when the event is refused, with the reason (for the form's answer and logs). */
  readonly refused?: string;
}

type From = SubscriberStatus | 'absent';

const keep = (status: SubscriberStatus | undefined): Transition => ({ status, sendConfirmation: false });
const to = (status: SubscriberStatus): Transition => ({ status, sendConfirmation: false });
const confirmFirst: Transition = { status: 'pending', sendConfirmation: true };
const refuse = (status: SubscriberStatus, refused: string): Transition => ({ status, sendConfirmation: false, refused });

const TABLE: Record<From, Record<SubscriberEvent, Transition>> = {
  absent: {
    import: to('subscribed'),
    'subscribe-request': confirmFirst,
    confirm: keep(undefined),
    unsubscribe: keep(undefined),
    'bounce-permanent': keep(undefined),
    'bounce-transient': keep(undefined),
    complaint: keep(undefined),
  },
  pending: {
    import: to('subscribed'),
    'subscribe-request': confirmFirst,
    confirm: to('subscribed'),
    unsubscribe: to('unsubscribed'),
    'bounce-permanent': to('bounced'),
    'bounce-transient': keep('pending'),
    complaint: to('complained'),
  },
  subscribed: {
    import: keep('subscribed'),
    'subscribe-request': keep('subscribed'),
    confirm: keep('subscribed'),
    unsubscribe: to('unsubscribed'),
    'bounce-permanent': to('bounced'),
    'bounce-transient': keep('subscribed'),
    complaint: to('complained'),
  },
  unsubscribed: {
    import: refuse('unsubscribed', 'unsubscribed: only they can subscribe again, through the confirmation mail'),
    'subscribe-request': confirmFirst,
    confirm: keep('unsubscribed'),
    unsubscribe: keep('unsubscribed'),
    'bounce-permanent': to('bounced'),
    'bounce-transient': keep('unsubscribed'),
    complaint: to('complained'),
  },
  bounced: {
    import: refuse('bounced', 'bounced permanently: the address does not take mail'),
    'subscribe-request': refuse('bounced', 'bounced permanently: the address does not take mail'),
    confirm: keep('bounced'),
    unsubscribe: keep('bounced'),
    'bounce-permanent': keep('bounced'),
    'bounce-transient': keep('bounced'),
    complaint: to('complained'),
  },
  complained: {
    import: refuse('complained', 'complained: never mailed again'),
    'subscribe-request': refuse('complained', 'complained: never mailed again'),
    confirm: keep('complained'),
    unsubscribe: keep('complained'),
    'bounce-permanent': keep('complained'),
    'bounce-transient': keep('complained'),
    complaint: keep('complained'),
  },
};

/** The transition for an event on an address whose status is `current` (undefined: not in the list). */
export function transition(current: SubscriberStatus | undefined, event: SubscriberEvent): Transition {
  return TABLE[current ?? 'absent'][event];
}

/** Whether a status keeps an address from ever being mailed by an import or a form again. */
export function isSuppressed(status: SubscriberStatus | undefined): boolean {
  return status === 'bounced' || status === 'complained';
}
