/** Subscribers to CSV (`newsbrief subscribers export`): the import's columns, plus each member's status. */
import type { Subscriber } from '../model.js';

/** CSV text with a header: email, firstName, status, then every attribute name that occurs, sorted. */
export function subscribersToCsv(members: readonly Subscriber[]): string {
  const attributeNames = [...new Set(members.flatMap((m) => Object.keys(m.attributes ?? {})))].sort();
  const header = ['email', 'firstName', 'status', ...attributeNames];
  const rows = members.map((m) => [m.email, m.firstName ?? '', m.status, ...attributeNames.map((name) => m.attributes?.[name] ?? '')]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

// RFC 4180 quoting; a leading = + - @ would make a spreadsheet run the cell as a formula, so it is defused.
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
