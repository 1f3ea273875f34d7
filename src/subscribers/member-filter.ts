/**
 * Which members a search of a list keeps (the studio's Subscribers page): by status, one tag, one field's
 * value and the start of the address. Tags and values compare as audiences do (src/brief/audience.ts), so a
 * filter and an audience agree on who has `premium` or `country = de`. Pure.
 */
import { matchesAudience, normalizeTag } from '../brief/audience.js';
import type { Subscriber } from '../model.js';
import type { MemberFilter } from '../ports.js';
import { emailKey } from './email-address.js';

export type { MemberFilter } from '../ports.js';

/** Does this member pass every part of the filter? */
export function matchesMemberFilter(member: Pick<Subscriber, 'email' | 'status' | 'attributes'>, filter: MemberFilter): boolean {
  if (filter.status !== undefined && member.status !== filter.status) return false;
  if (filter.addressPrefix && !emailKey(member.email).startsWith(emailKey(filter.addressPrefix))) return false;
  const audience = {
    ...(filter.tag ? { tags: [normalizeTag(filter.tag)] } : {}),
    ...(filter.field ? { fields: { [filter.field.name]: [filter.field.value] } } : {}),
  };
  return Object.keys(audience).length === 0 || matchesAudience(member, audience);
}

/** The lowest and the first key past the keys that start with `prefix` (a range read on a key-ordered index). */
export function prefixRange(prefix: string): { readonly from: string; readonly to: string } {
  const from = emailKey(prefix);
  return { from, to: `${from}\uffff` };
}
