/**
 * Subscribers to CSV (`newsbrief subscribers export`): the import's columns, plus each member's status, so that
 * an export imported elsewhere keeps everyone who left as having left. Written page by page: the header needs
 * every attribute name first (one pass collecting names), then each page's rows (a second pass).
 */
import type { Subscriber } from '../model.js';

/** CSV text with a header: email, firstName, status, then every attribute name that occurs, sorted. */
export function subscribersToCsv(members: readonly Subscriber[]): string {
  const attributeNames = attributeNamesOf(members);
  return csvHeader(attributeNames) + csvRows(members, attributeNames);
}

/** The attribute names these members use, sorted (add pages' names into one set, then sort, for a paged export). */
export function attributeNamesOf(members: readonly Subscriber[], into: Set<string> = new Set()): string[] {
  for (const m of members) for (const name of Object.keys(m.attributes ?? {})) into.add(name);
  return [...into].sort();
}

/** The header line (CRLF-terminated). */
export function csvHeader(attributeNames: readonly string[]): string {
  return `${['email', 'firstName', 'status', ...attributeNames].map(csvField).join(',')}\r\n`;
}

/** One CRLF-terminated line per member, in the header's columns. */
export function csvRows(members: readonly Subscriber[], attributeNames: readonly string[]): string {
  return members
    .map(
      (m) =>
        `${[m.email, m.firstName ?? '', m.status, ...attributeNames.map((name) => m.attributes?.[name] ?? '')].map(csvField).join(',')}\r\n`,
    )
    .join('');
}

// RFC 4180 quoting; a leading = + - @ would make a spreadsheet run the cell as a formula, so it is defused.
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
