/**
 * Brief text → HTML or plain text, with merge tags turned into slots. The only place inline markup
 * becomes tags; every character of brief text passes through an escape on the way.
 */
import { type InlineNode, parseInline } from '../brief/inline-markup.js';
import { findMergeTags } from '../brief/merge-tags.js';
import { escapeHtml, escapePlainText } from './escape.js';
import type { SlotTable } from './slots.js';

// A name without a fallback takes its separator with it: "Good morning, " before it, or ", " after it at the
// start of a text. What is left for a reader without a name then reads as a sentence.
const SEPARATOR_BEFORE = /[,،]?[ \u00a0]$/;
const SEPARATOR_AFTER = /^[,،]?[ \u00a0]/;

/** Text with merge tags → escaped segments and slot markers, for the given escape. */
function withSlots(text: string, slots: SlotTable, escapeText: (s: string) => string): string {
  let out = '';
  let last = 0;
  for (const tag of findMergeTags(text)) {
    let before = text.slice(last, tag.start);
    if (tag.name === 'email') {
      out += escapeText(before) + slots.marker({ kind: 'email' });
      last = tag.end;
      continue;
    }
    if (tag.name === 'field') {
      out += escapeText(before) + slots.marker({ kind: 'field', name: tag.field!, fallback: tag.fallback ?? '' });
      last = tag.end;
      continue;
    }
    if (tag.fallback !== undefined) {
      out += escapeText(before) + slots.marker({ kind: 'firstName', fallback: tag.fallback });
      last = tag.end;
      continue;
    }
    const lead = SEPARATOR_BEFORE.exec(before)?.[0];
    const trail = lead === undefined && tag.start === 0 ? SEPARATOR_AFTER.exec(text.slice(tag.end))?.[0] : undefined;
    if (lead !== undefined) before = before.slice(0, -lead.length);
    out +=
      escapeText(before) +
      slots.marker({ kind: 'firstName', fallback: '', ...(lead ? { before: lead } : {}), ...(trail ? { after: trail } : {}) });
    last = tag.end + (trail?.length ?? 0);
  }
  return out + escapeText(text.slice(last));
}

/** A plain (markup-free) field as HTML. */
export function plainToHtml(text: string, slots: SlotTable): string {
  return withSlots(text, slots, escapeHtml);
}

/** A plain field as plain text. */
export function plainToText(text: string, slots: SlotTable): string {
  return withSlots(text, slots, escapePlainText);
}

/** Inline-markup text as HTML; links take the given inline style (email clients ignore stylesheets for links). */
export function inlineToHtml(source: string, slots: SlotTable, linkStyle: string): string {
  const render = (nodes: readonly InlineNode[]): string =>
    nodes
      // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every InlineNode kind (tsc checks it)
      .map((node) => {
        switch (node.kind) {
          case 'text':
            return plainToHtml(node.text, slots);
          case 'bold':
            return `<strong>${render(node.children)}</strong>`;
          case 'italic':
            return `<em>${render(node.children)}</em>`;
          case 'link':
            return `<a href="${escapeHtml(node.href)}" style="${linkStyle}">${render(node.children)}</a>`;
        }
      })
      .join('');
  return render(parseInline(source));
}

/** Inline-markup text as plain text: markers dropped, links as `text (url)`. */
export function inlineToText(source: string, slots: SlotTable): string {
  const render = (nodes: readonly InlineNode[]): string =>
    nodes
      // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every InlineNode kind (tsc checks it)
      .map((node) => {
        switch (node.kind) {
          case 'text':
            return plainToText(node.text, slots);
          case 'bold':
          case 'italic':
            return render(node.children);
          case 'link': {
            const text = render(node.children);
            const target = escapePlainText(node.href.replace(/^mailto:/i, ''));
            return text === target ? text : `${text} (${target})`;
          }
        }
      })
      .join('');
  return render(parseInline(source));
}

/** Inline-markup text as the words a reader sees, markup and link targets dropped: for the inbox preview. */
export function inlineToWords(source: string): string {
  const words = (nodes: readonly InlineNode[]): string =>
    nodes.map((node) => (node.kind === 'text' ? node.text : words(node.children))).join('');
  return words(parseInline(source));
}
