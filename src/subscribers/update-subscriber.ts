/**
 * `newsbrief subscribers update EMAIL --first-name … --field k=v`: corrects a member's name and attributes.
 * The status is not editable here (consent is changed only by the person, SES, or an import's status column);
 * the write is conditional on the member being as read, and is read and applied again when it was not.
 */
import type { Subscriber } from '../model.js';
import type { SubscriberAdmin } from '../ports.js';
import { emailKey } from './email-address.js';

/** The corrections: a first name ('' removes it), attributes to set, attribute names to remove ('' values). */
export interface SubscriberChanges {
  readonly firstName?: string | undefined;
  readonly fields?: Readonly<Record<string, string>> | undefined;
}

/** Applies the corrections; undefined when the list has no such member. */
export async function updateSubscriber(
  store: SubscriberAdmin,
  list: string,
  email: string,
  changes: SubscriberChanges,
  at: string,
): Promise<Subscriber | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = (await store.getMany(list, [email])).get(emailKey(email));
    if (!current) return undefined;
    const next = applyChanges(current, changes, at);
    if (await store.replaceIfUnchanged(next, current.updatedAt)) return next;
    if (attempt >= 5) throw new Error('the member kept changing while it was updated; try again');
  }
}

/** The member with the corrections applied (pure). */
export function applyChanges(current: Subscriber, changes: SubscriberChanges, at: string): Subscriber {
  const attributes: Record<string, string> = { ...current.attributes };
  for (const [name, value] of Object.entries(changes.fields ?? {})) {
    if (value === '') delete attributes[name];
    else attributes[name] = value;
  }
  const firstName = changes.firstName === undefined ? current.firstName : changes.firstName === '' ? undefined : changes.firstName;
  return { ...current, firstName, attributes: Object.keys(attributes).length > 0 ? attributes : undefined, updatedAt: at };
}
