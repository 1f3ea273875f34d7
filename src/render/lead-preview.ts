/**
 * The inbox preview of a brief without a `preheader`: its first sentence or two. Without one, clients show
 * the hidden preheader's filler (or the banner's alt text), which reads as nothing at all.
 */
import type { ValidBrief } from '../brief/brief-schema.js';
import { findMergeTags } from '../brief/merge-tags.js';
import { inlineToWords } from './inline-render.js';

/** About what phone clients show of a preview line; Apple Mail and Gmail show 90–140 characters. */
export const PREVIEW_MAX = 140;

// A sentence ends at . ! ? (and their Arabic, Urdu and CJK forms) followed by a space or the end.
const SENTENCE_END = /[.!?؟۔。！？](?=\s|$)/g;

/**
 * The preview of a brief: the editor's preheader when given, else the lead of the first story (standfirst,
 * first paragraph, first bullet, else headline) as plain words, whole sentences up to PREVIEW_MAX characters,
 * cut at a word with "…" when the first sentence is longer. Merge tags stay tags: they are filled per reader.
 */
export function leadPreview(brief: ValidBrief): string {
  if (brief.preheader !== undefined && brief.preheader.trim() !== '') return brief.preheader;
  const story = brief.stories[0]!;
  const lead = story.standfirst ?? story.paragraphs?.[0] ?? story.sections?.[0]?.paragraphs?.[0] ?? story.sections?.[0]?.bullets[0];
  const words = (lead === undefined ? story.headline : inlineToWords(lead)).replace(/\s+/g, ' ').trim();
  return firstSentences(words, PREVIEW_MAX);
}

/** Whole sentences of `text` that fit `max` characters; a first sentence too long is cut at a word boundary. */
export function firstSentences(text: string, max: number): string {
  if (text.length <= max) return text;
  let fits = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + 1;
    if (end > max) break;
    fits = end;
  }
  if (fits > 0) return text.slice(0, fits);
  // Cut at the last space that leaves room for "…" (anywhere in scripts without spaces), never inside a
  // merge tag (fallbacks may hold spaces) or a surrogate pair.
  let cut = text.lastIndexOf(' ', max - 1);
  if (cut <= 0) cut = max - 1;
  for (const tag of findMergeTags(text)) if (cut > tag.start && cut < tag.end) cut = tag.start;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  const head = text.slice(0, cut);
  return `${head.replace(/[\s,;:–—-]+$/, '')}…`;
}
