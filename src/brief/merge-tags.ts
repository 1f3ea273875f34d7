/**
 * Merge tags: `{{firstName}}`, `{{firstName|fallback}}`, `{{email}}`. They may stand in any text field;
 * the renderer turns them into slots that personalization fills per recipient.
 */

/** The merge tags a brief may use; anything else is refused so that a typo never reaches a reader. */
export const MERGE_TAGS = ['firstName', 'email'] as const;
export type MergeTagName = (typeof MERGE_TAGS)[number];

export interface MergeTag {
  readonly name: string;
  readonly fallback: string | undefined;
  readonly start: number;
  readonly end: number;
}

const TAG = /\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}/g;

/** Finds every `{{…}}` in a text, known or not. */
export function findMergeTags(text: string): MergeTag[] {
  if (!text.includes('{{')) return [];
  return [...text.matchAll(TAG)].map((m) => ({
    name: m[1]!,
    fallback: m[2]?.trim(),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Is this name one of the merge tags we fill? (An own-property check: `constructor` is not a tag.) */
export function isKnownMergeTag(name: string): name is MergeTagName {
  return (MERGE_TAGS as readonly string[]).includes(name);
}

/** Why a text's merge tags are refused, one sentence per bad tag. */
export function checkMergeTags(text: string): string[] {
  return findMergeTags(text)
    .filter((tag) => !isKnownMergeTag(tag.name))
    .map(
      (tag) =>
        `unknown merge tag "{{${tag.name}}}" (use {{firstName}}, {{firstName|fallback}} or {{email}})`,
    );
}
