/**
 * `newsbrief subscribers update EMAIL --first-name … --field k=v --tag t --untag t`: corrects a member's name,
 * attributes (fields) and tags (kept in the field `tags`, see src/brief/audience.ts).
 * The status is not editable here (consent is changed only by the person, SES, or an import's status column);
 * the write is conditional on the member being as read, and is read and applied again when it was not.
 */
import type { Subscriber } from '../model.js';
import type { SubscriberAdmin } from '../ports.js';
import { isValidTag, normalizeTag, TAG_RULE, TAGS_FIELD, tagsFieldValue, tagsOf } from '../brief/audience.js';
import { emailKey } from './email-address.js';

/** The corrections: a first name ('' removes it), attributes to set, attribute names to remove ('' values), tags to add and remove. */
export interface SubscriberChanges {
  readonly firstName?: string | undefined;
  readonly fields?: Readonly<Record<string, string>> | undefined;
  /** Tags the member gets (any case; stored lower-case). */
  readonly addTags?: readonly string[] | undefined;
  /** Tags the member loses (removing one it lacks is no error). */
  readonly removeTags?: readonly string[] | undefined;
}

/** Why these changes cannot be applied (malformed tags, the `tags` field set directly), one sentence each; empty when they can. */
export function changeProblems(changes: SubscriberChanges): string[] {
  const problems: string[] = [];
  for (const tag of [...(changes.addTags ?? []), ...(changes.removeTags ?? [])])
    if (!isValidTag(normalizeTag(tag))) problems.push(`"${tag}" is not a tag (${TAG_RULE})`);
  if (changes.fields && Object.hasOwn(changes.fields, TAGS_FIELD))
    problems.push('the tags are changed with --tag and --untag, not as a field');
  return problems;
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
  if (changes.addTags?.length || changes.removeTags?.length) {
    const removed = new Set((changes.removeTags ?? []).map(normalizeTag));
    const tags = [...tagsOf(current), ...(changes.addTags ?? [])].filter((t) => !removed.has(normalizeTag(t)));
    const value = tagsFieldValue(tags);
    if (value === undefined) delete attributes[TAGS_FIELD];
    else attributes[TAGS_FIELD] = value;
  }
  const firstName = changes.firstName === undefined ? current.firstName : changes.firstName === '' ? undefined : changes.firstName;
  return { ...current, firstName, attributes: Object.keys(attributes).length > 0 ? attributes : undefined, updatedAt: at };
}
