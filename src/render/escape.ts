/** Escaping for every place a value can land. Brief text never reaches MJML or a header unescaped. */

// U+E000/U+E001 delimit personalization slots in rendered output (see slots.ts); brief text must not forge one.
const SLOT_DELIMITERS = /[\uE000\uE001]/g;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\uE000': '&#xFFFD;',
  '\uE001': '&#xFFFD;',
};
const HTML_SPECIAL = /[&<>"'\uE000\uE001]/g;

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c]!) : text;
}

/** Makes brief text safe for the plain-text part: only slot delimiters need neutralizing. */
export function escapePlainText(text: string): string {
  return text.replace(SLOT_DELIMITERS, '\uFFFD');
}

/** Makes a value safe for a header: CR, LF and other controls can never reach one. */
export function escapeHeader(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(SLOT_DELIMITERS, '\uFFFD');
}
