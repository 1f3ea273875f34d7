/**
 * Merge tags: `{{firstName}}`, `{{firstName|fallback}}`, `{{email}}`, and a subscriber's fields as
 * `{{fields.city}}` or `{{fields.city|your city}}`. They may stand in any text field; the renderer turns them
 * into slots that personalization fills per recipient.
 *
 * The grammar is strict because a typo is otherwise mailed verbatim: `{{` and `}}` are reserved, every
 * `{{` is closed by the next `}}`, tags do not nest, a name is one of MERGE_TAGS or `fields.` and a field name
 * (FIELD_NAME_PATTERN; which fields a list holds is not known while a brief is validated), and only
 * `firstName` and fields take one fallback after a single `|`.
 */
import { FIELD_NAME_RULE, isUsableFieldName, TAGS_FIELD } from './audience.js';

/** The merge tags a brief may use; anything else is refused so that a typo never reaches a reader. */
export const MERGE_TAGS = ['firstName', 'email'] as const;
export type MergeTagName = (typeof MERGE_TAGS)[number];

export interface MergeTag {
  /** `field` for `{{fields.…}}`, whose name is in `field`. */
  readonly name: MergeTagName | 'field';
  /** The subscriber field a `field` tag names. */
  readonly field?: string | undefined;
  /** The text for a reader without the value; undefined when the tag has none (or an empty one). */
  readonly fallback: string | undefined;
  readonly start: number;
  readonly end: number;
}

/** The result of reading a text's merge tags: the well-formed ones, and a sentence per malformed one. */
export interface MergeTagScan {
  readonly tags: readonly MergeTag[];
  readonly problems: readonly string[];
}

const ACCEPTED = 'write {{firstName}}, {{firstName|fallback}}, {{email}} or a field as {{fields.city|fallback}}';
const FIELD_PREFIX = 'fields.';

/** Reads every `{{…}}` of a text: well-formed known tags, and why each other one is refused. Never throws. */
export function scanMergeTags(text: string): MergeTagScan {
  if (!text.includes('{{') && !text.includes('}}')) return { tags: [], problems: [] };
  const tags: MergeTag[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const close = text.indexOf('}}', i);
    if (open === -1 && close === -1) break;
    if (open === -1 || (close !== -1 && close < open)) {
      problems.push(`"${snippet(text, Math.max(0, close - 20), close + 2)}" has a closing "}}" that closes no merge tag (${ACCEPTED})`);
      i = close + 2;
      continue;
    }
    const end = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (end === -1) {
      problems.push(`merge tag "${snippet(text, open, open + 24)}" is not closed: end it with "}}" (${ACCEPTED})`);
      i = nextOpen === -1 ? text.length : nextOpen;
      continue;
    }
    if (nextOpen !== -1 && nextOpen < end) {
      // `{{a|{{b}}}}` is a tag inside a tag; `{{a, {{b}}` is an unclosed tag followed by a good one.
      const outerEnd = text.indexOf('}}', end + 2);
      const nested = outerEnd !== -1 && !text.slice(end + 2, outerEnd).includes('{{');
      if (nested) {
        problems.push(`merge tags cannot be nested: "${snippet(text, open, outerEnd + 2)}" (${ACCEPTED}; a fallback is plain text)`);
        i = outerEnd + 2;
      } else {
        problems.push(`merge tag "${snippet(text, open, nextOpen)}" is not closed: end it with "}}" (${ACCEPTED})`);
        i = nextOpen;
      }
      continue;
    }
    const whole = text.slice(open, end + 2);
    const why = checkTag(text.slice(open + 2, end));
    if (typeof why === 'string') problems.push(`merge tag "${snippet(whole, 0, whole.length)}" ${why}`);
    else tags.push({ ...why, start: open, end: end + 2 });
    i = end + 2;
  }
  return { tags, problems };
}

function checkTag(inside: string): Omit<MergeTag, 'start' | 'end'> | string {
  if (/[{}]/.test(inside)) return `has a stray brace: a tag is written with two on each side (${ACCEPTED})`;
  const [rawName, ...rest] = inside.split('|');
  const name = rawName!.trim();
  if (name === '') return `names no field (${ACCEPTED})`;
  if (name.startsWith(FIELD_PREFIX) || /^fields?[.:]/i.test(name)) return checkFieldTag(name, rest);
  if (!isKnownMergeTag(name)) {
    const suggestion = MERGE_TAGS.find((known) => known.toLowerCase() === name.toLowerCase().replace(/[\s_-]/g, ''));
    if (!suggestion && isUsableFieldName(name))
      return `is unknown: a subscriber's field is written {{fields.${name}}} (or {{fields.${name}|fallback}}); ${ACCEPTED}`;
    return `is unknown${suggestion ? ` (did you mean {{${suggestion}}}?)` : ''}: ${ACCEPTED}`;
  }
  if (rest.length > 1) return `has more than one "|": a tag takes one fallback, as in {{firstName|there}}`;
  if (rest.length === 1 && name === 'email') return 'takes no fallback: every reader has an address (write {{email}})';
  const fallback = rest[0]?.trim();
  return { name, fallback: fallback === '' ? undefined : fallback };
}

function checkFieldTag(name: string, rest: readonly string[]): Omit<MergeTag, 'start' | 'end'> | string {
  if (!name.startsWith(FIELD_PREFIX)) return `is unknown (did you mean {{fields.${name.replace(/^fields?[.:]/i, '')}}}?): ${ACCEPTED}`;
  const field = name.slice(FIELD_PREFIX.length).trim();
  if (field === TAGS_FIELD) return 'names the tags, which are not text to show: name another field';
  if (!isUsableFieldName(field)) return `names no usable field: "${field}" is not a field name (${FIELD_NAME_RULE})`;
  if (rest.length > 1) return `has more than one "|": a tag takes one fallback, as in {{fields.city|your city}}`;
  const fallback = rest[0]?.trim();
  return { name: 'field', field, fallback: fallback === '' ? undefined : fallback };
}

function snippet(text: string, from: number, to: number): string {
  const part = text.slice(from, to);
  return to - from > 40 ? `${part.slice(0, 39)}…` : part;
}

/** The well-formed, known merge tags of a text, in order (validation has refused every other `{{…}}`). */
export function findMergeTags(text: string): readonly MergeTag[] {
  return scanMergeTags(text).tags;
}

/** Is this name one of the merge tags we fill? (An own-property check: `constructor` is not a tag.) */
export function isKnownMergeTag(name: string): name is MergeTagName {
  return (MERGE_TAGS as readonly string[]).includes(name);
}

/** Why a text's merge tags are refused, one sentence per bad tag. */
export function checkMergeTags(text: string): readonly string[] {
  return scanMergeTags(text).problems;
}
