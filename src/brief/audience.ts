/**
 * Audiences: who a brief is for, by the tags and fields of its list's members. The grammar is small on
 * purpose: `{ "tags": [...], "fields": { "name": [values] } }` matches a member who has ANY of the tags and,
 * for EACH field, one of its values (tags and values compare case-insensitively, after trimming). Absent
 * parts do not narrow; an audience with neither is refused by the schema, so "everyone" is always written by
 * leaving `audience` out.
 *
 * A member's tags are stored as the field `tags` (`;`-separated, lower-case): the CSV column of that name has
 * always been stored there by imports, so existing lists already carry their tags and no store needed a new
 * column. Every other field is one of the member's `attributes`.
 */
import type { Audience, Recipient } from '../model.js';

export type { Audience } from '../model.js';

/** The field that holds a member's tags; not a field of its own in audiences or merge tags. */
export const TAGS_FIELD = 'tags';
/** A tag: short, no spaces or separators, so that it survives a CSV cell and a command line unquoted. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,39}$/;
export const TAG_RULE = 'letters, digits, "-", "_", "." and ":", starting with a letter or digit, at most 40 characters';
/** A field name as merge tags and audiences write it (CSV columns with other characters stay stored, unusable there). */
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const FIELD_NAME_RULE = 'a letter, then letters, digits, "_" or "-", at most 64 characters';

/** A tag as stored and compared: trimmed and lower-cased. */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase();
}

/** Is this (normalized) tag well-formed? */
export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/** Is this a field name merge tags and audiences may use? (`tags` is not: it holds the tags.) */
export function isUsableFieldName(name: string): boolean {
  return FIELD_NAME_PATTERN.test(name) && name !== TAGS_FIELD;
}

/** A member's tags, from its `tags` field. */
export function tagsOf(member: Pick<Recipient, 'attributes'>): readonly string[] {
  const raw = member.attributes?.[TAGS_FIELD];
  if (!raw) return [];
  return raw
    .split(';')
    .map(normalizeTag)
    .filter((t) => t !== '');
}

/** The `tags` field value for a set of tags (sorted, unique), or undefined for none. */
export function tagsFieldValue(tags: Iterable<string>): string | undefined {
  const unique = [...new Set([...tags].map(normalizeTag).filter((t) => t !== ''))].sort();
  return unique.length > 0 ? unique.join(';') : undefined;
}

/** Does this member belong to the audience? (Only its tags and fields are looked at: status is the caller's.) */
export function matchesAudience(member: Pick<Recipient, 'attributes'>, audience: Audience | undefined): boolean {
  if (!audience) return true;
  if (audience.tags && audience.tags.length > 0) {
    const wanted = new Set(audience.tags.map(normalizeTag));
    if (!tagsOf(member).some((t) => wanted.has(t))) return false;
  }
  for (const [name, values] of Object.entries(audience.fields ?? {})) {
    const value = Object.hasOwn(member.attributes ?? {}, name) ? member.attributes![name] : undefined;
    if (value === undefined) return false;
    const have = value.trim().toLowerCase();
    if (!values.some((v) => v.trim().toLowerCase() === have)) return false;
  }
  return true;
}

/** The audience in one line, for reports and problems: `tag premium or vip, country DE or AT`. */
export function describeAudience(audience: Audience): string {
  const parts: string[] = [];
  if (audience.tags && audience.tags.length > 0) parts.push(`tag ${audience.tags.join(' or ')}`);
  for (const [name, values] of Object.entries(audience.fields ?? {})) parts.push(`${name} ${values.join(' or ')}`);
  return parts.join(', ');
}

/**
 * The audience as a report says who an issue was for: `tagged premium or vip, and country DE or AT`
 * (the "and" says that a member needs every part, the "or" that any value of a part will do).
 */
export function audienceInWords(audience: Audience): string {
  const parts: string[] = [];
  if (audience.tags && audience.tags.length > 0) parts.push(`tagged ${audience.tags.join(' or ')}`);
  for (const [name, values] of Object.entries(audience.fields ?? {})) parts.push(`${name} ${values.join(' or ')}`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}`;
}
