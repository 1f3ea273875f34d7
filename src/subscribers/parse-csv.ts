/**
 * Subscriber CSV → normalized rows, or every bad row with its line number. Pure: the caller reads the file
 * and writes the rows through a SubscriberStore. Columns: `email` (required), `firstName`, any others
 * become attributes. Addresses are trimmed and their domain lower-cased; a repeated address is merged
 * (later non-empty values win).
 */
import { isPlausibleAddress, normalizeEmail } from './email-address.js';

/** One subscriber as imported. */
export interface CsvSubscriber {
  readonly email: string;
  readonly firstName?: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /** The line the address first appeared on. */
  readonly line: number;
}

/** A row that was refused, and why. */
export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

/** What an import found. */
export interface CsvResult {
  readonly subscribers: readonly CsvSubscriber[];
  readonly problems: readonly CsvProblem[];
  /** Rows merged into an earlier row with the same address. */
  readonly merged: number;
}

// Deliberately plain: one @, no spaces, a dot in the domain. SES is the final judge.
/** Parses subscriber CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseSubscribersCsv(text: string): CsvResult {
  const rows = splitCsv(text.replace(/^\uFEFF/, ''));
  const problems: CsvProblem[] = [];
  const header = rows.shift();
  if (!header)
    return {
      subscribers: [],
      problems: [{ line: 1, message: 'the file is empty; the first line must name the columns (email, firstName, …)' }],
      merged: 0,
    };
  const names = header.fields.map((f) => f.trim());
  const emailColumn = names.findIndex((n) => n.toLowerCase() === 'email');
  if (emailColumn < 0) return { subscribers: [], problems: [{ line: header.line, message: 'no "email" column in the header' }], merged: 0 };
  const firstNameColumn = names.findIndex((n) => n.toLowerCase() === 'firstname' || n.toLowerCase() === 'first_name');

  const byEmail = new Map<string, CsvSubscriber>();
  let merged = 0;
  for (const row of rows) {
    if (row.fields.length === 1 && row.fields[0]!.trim() === '') continue;
    if (row.unterminated) {
      problems.push({ line: row.line, message: 'a quoted field is never closed' });
      continue;
    }
    if (row.fields.length > names.length) {
      problems.push({ line: row.line, message: `${row.fields.length} fields but the header names ${names.length}` });
      continue;
    }
    const raw = row.fields[emailColumn] ?? '';
    const email = normalizeEmail(raw);
    if (!email) {
      problems.push({ line: row.line, message: 'the email is empty' });
      continue;
    }
    if (!isPlausibleAddress(email)) {
      problems.push({ line: row.line, message: `"${raw.trim()}" is not an e-mail address` });
      continue;
    }
    const firstName = firstNameColumn >= 0 ? row.fields[firstNameColumn]?.trim() || undefined : undefined;
    const attributes: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = row.fields[i]?.trim();
      if (i !== emailColumn && i !== firstNameColumn && name && value) attributes[name] = value;
    });
    const earlier = byEmail.get(email);
    if (earlier) {
      merged++;
      byEmail.set(email, { ...earlier, firstName: firstName ?? earlier.firstName, attributes: { ...earlier.attributes, ...attributes } });
    } else {
      byEmail.set(email, { email, firstName, attributes, line: row.line });
    }
  }
  return { subscribers: [...byEmail.values()], problems, merged };
}

interface CsvRow {
  readonly line: number;
  readonly fields: string[];
  readonly unterminated: boolean;
}

function splitCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields, unterminated: false });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted || field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields, unterminated: quoted });
  }
  return rows;
}
