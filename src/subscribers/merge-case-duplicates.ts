/** What several members stored under case variants of one address become once keys are case-insensitive. */
import type { Subscriber, SubscriberStatus } from '../model.js';

// Whoever left under any spelling has left: the strongest "do not mail" wins, then subscribed over pending.
const PRECEDENCE: readonly SubscriberStatus[] = ['complained', 'bounced', 'unsubscribed', 'subscribed', 'pending'];

/**
 * Merges the members of one address into one: the status that mails least (complained > bounced >
 * unsubscribed > subscribed > pending), the oldest id and createdAt (links already mailed with that id keep
 * working), the address, first name and attributes of the most recently updated one (attributes merged,
 * newer values winning), updatedAt `at`.
 */
export function mergeCaseDuplicates(found: readonly Subscriber[], at: string): Subscriber {
  if (found.length === 0) throw new Error('nothing to merge');
  const byAge = [...found].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const byUpdate = [...found].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const oldest = byAge[0]!;
  const newest = byUpdate.at(-1)!;
  const status = PRECEDENCE.find((s) => found.some((m) => m.status === s)) ?? newest.status;
  const attributes = Object.assign({}, ...byUpdate.map((m) => m.attributes ?? {})) as Record<string, string>;
  return {
    id: oldest.id,
    list: oldest.list,
    email: newest.email,
    firstName: [...byUpdate].reverse().find((m) => m.firstName !== undefined)?.firstName,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    status,
    createdAt: oldest.createdAt,
    updatedAt: at,
  };
}
