/**
 * Brief text → HTML or plain text, with merge tags turned into slots. The only place inline markup
 * becomes tags; every character of brief text passes through an escape on the way.
 */
import { type InlineNode, parseInline } from '../brief/inline-markup.js';
import { findMergeTags, isKnownMergeTag } from '../brief/merge-tags.js';
import { escapeHtml, escapePlainText } from './escape.js';
import type { SlotTable } from './slots.js';

/** Text with merge tags → escaped segments and slot markers, for the given escape. */
function withSlots(text: string, slots: SlotTable, escape: (s: string) => string): string {
  let out = '';
  let last = 0;
  for (const tag of findMergeTags(text)) {
    if (!isKnownMergeTag(tag.name)) continue; // validation refuses these; render defensively as text
    out += escape(text.slice(last, tag.start));
    out += tag.name === 'firstName' ? slots.marker({ kind: 'firstName', fallback: tag.fallback ?? '' }) : slots.marker({ kind: 'email' });
    last = tag.end;
  }
  return out + escape(text.slice(last));
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
