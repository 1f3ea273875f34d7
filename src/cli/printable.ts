/**
 * What the CLI prints comes partly from its input: subscriber names and addresses from a CSV, brief titles,
 * file names, problems quoting them. A control character among them would reach the terminal as a command
 * (an escape sequence can retitle the window, hide lines, rewrite what was printed before; a bidi override
 * can reorder a line). Every line the CLI prints goes through `printable`, which shows such characters as
 * visible escapes (`\u001b`), keeping only line feeds and tabs.
 */

/** C0 controls but tab and line feed, DEL, C1 controls, and the bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but a CR right before an LF is kept: CSV lines end in CRLF. */
const UNSAFE_BUT_CRLF = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The text with every control character shown as `\uXXXX`, line feeds and tabs kept. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** As `printable`, keeping CRLF line ends (for data such as CSV shown on a terminal). */
export function printableData(text: string): string {
  return text.replace(UNSAFE_BUT_CRLF, escapeChar);
}
