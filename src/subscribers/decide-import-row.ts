/** What importing one CSV row does to the member it names: the rule table of `subscribers import`. */
import type { Subscriber, SubscriberInput, SubscriberStatus } from '../model.js';
import type { CsvSubscriber } from './parse-csv.js';
import { transition } from './status-transitions.js';

/** The write one row needs, or why it needs none. */
export type ImportDecision =
  | { readonly kind: 'create'; readonly input: SubscriberInput }
  | { readonly kind: 'replace'; readonly subscriber: Subscriber }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly reason: string };

const LEFT: ReadonlySet<SubscriberStatus> = new Set(['unsubscribed', 'bounced', 'complained']);

/**
 * Decides one row against the member as read (undefined: absent). An ordinary row follows the status table
 * (`import`): it subscribes a new or pending address and never re-subscribes someone who left (refused, nothing
 * written). A row whose `status` column says the person left records that (a new member is created with it, a
 * subscribed one is moved to it); `pending` creates an unconfirmed member and promotes nobody. First name and
 * attributes are merged into an existing member (the row's non-empty values win); the address as first written
 * is kept. A row that would change nothing is `unchanged`, so a re-import writes nothing.
 */
export function decideImportRow(existing: Subscriber | undefined, row: CsvSubscriber, list: string, at: string): ImportDecision {
  let status: SubscriberStatus;
  if (row.status !== undefined && LEFT.has(row.status)) status = existing && LEFT.has(existing.status) ? existing.status : row.status;
  else if (row.status === 'pending') status = existing?.status ?? 'pending';
  else {
    const next = transition(existing?.status, 'import');
    if (next.refused) return { kind: 'refused', reason: next.refused };
    status = next.status ?? 'subscribed';
  }
  const rowAttributes = Object.keys(row.attributes).length > 0 ? row.attributes : undefined;
  if (!existing) return { kind: 'create', input: { list, email: row.email, firstName: row.firstName, attributes: rowAttributes, status } };
  const merged = { ...existing.attributes, ...row.attributes };
  const attributes = Object.keys(merged).length > 0 ? merged : undefined;
  const firstName = row.firstName ?? existing.firstName;
  if (status === existing.status && firstName === existing.firstName && sameAttributes(attributes, existing.attributes))
    return { kind: 'unchanged' };
  return { kind: 'replace', subscriber: { ...existing, firstName, attributes, status, updatedAt: at } };
}

function sameAttributes(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const aKeys = Object.keys(a ?? {});
  return aKeys.length === Object.keys(b ?? {}).length && aKeys.every((k) => a![k] === b?.[k]);
}
