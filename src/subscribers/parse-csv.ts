/**
 * Subscriber CSV → normalized rows, or every bad row with its line number. Pure: the caller reads the file
 * (in chunks, for `SubscriberCsvReader`) and writes the rows through a store. Columns: `email` (required),
 * `firstName`, `status` (optional: see CsvSubscriber.status), `tags` (optional, `;`-separated: stored lower-case
 * in the attribute `tags`, see src/brief/audience.ts), any others become attributes (fields). Addresses are
 * trimmed and their domain lower-cased for display; rows are matched by `emailKey` (case-insensitive), and
 * `parseSubscribersCsv` merges a repeated address (later non-empty values win).
 */
import type { SubscriberStatus } from '../model.js';
import { isValidTag, normalizeTag, TAG_RULE, TAGS_FIELD, tagsFieldValue } from '../brief/audience.js';
import { emailKey, isPlausibleAddress, normalizeEmail } from './email-address.js';

/** One subscriber as imported. */
export interface CsvSubscriber {
  /** As typed: trimmed, domain lower-cased. */
  readonly email: string;
  readonly firstName?: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * From a `status` column (an export read back): `unsubscribed`, `bounced` or `complained` record that the
   * person left, so that an exported list imported elsewhere never subscribes them; `pending` keeps them
   * unconfirmed. Absent or `subscribed`: an ordinary import.
   */
  readonly status?: SubscriberStatus | undefined;
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

/** One row read: a subscriber, or a problem with its line. */
export type CsvItem = { readonly subscriber: CsvSubscriber } | { readonly problem: CsvProblem };

const STATUSES: ReadonlySet<string> = new Set(['pending', 'subscribed', 'unsubscribed', 'bounced', 'complained']);

/** Parses a whole subscriber CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF), merging repeated addresses. */
export function parseSubscribersCsv(text: string): CsvResult {
  const reader = new SubscriberCsvReader();
  const items = [...reader.push(text), ...reader.end()];
  const problems: CsvProblem[] = [];
  const byKey = new Map<string, CsvSubscriber>();
  let merged = 0;
  for (const item of items) {
    if ('problem' in item) {
      problems.push(item.problem);
      continue;
    }
    const key = emailKey(item.subscriber.email);
    const earlier = byKey.get(key);
    if (earlier) merged++;
    byKey.set(key, earlier ? mergeCsvRows(earlier, item.subscriber) : item.subscriber);
  }
  return { subscribers: [...byKey.values()], problems, merged };
}

/** Two rows for one address as one: the earlier line and address, later non-empty values winning. */
export function mergeCsvRows(earlier: CsvSubscriber, later: CsvSubscriber): CsvSubscriber {
  return {
    ...earlier,
    firstName: later.firstName ?? earlier.firstName,
    attributes: { ...earlier.attributes, ...later.attributes },
    status: later.status ?? earlier.status,
  };
}

/**
 * Reads subscriber CSV incrementally, so that a file of any size is imported in flat memory: `push` each
 * chunk of text as it is read, then `end`; each returns the rows completed so far. Repeated addresses are not
 * merged here (that needs every address in memory); the importer merges them within a batch and, across
 * batches, a later row updates the member the earlier one wrote.
 */
export class SubscriberCsvReader {
  private readonly splitter = new CsvSplitter();
  private columns: { names: string[]; email: number; firstName: number; status: number } | undefined;
  private refusedAll = false;
  private sawHeader = false;

  /** Feeds a chunk of text; returns the rows it completed. */
  push(chunk: string): CsvItem[] {
    return this.rows(this.splitter.push(chunk));
  }

  /** Ends the input; returns the last rows (and a problem when there was no header at all). */
  end(): CsvItem[] {
    const items = this.rows(this.splitter.end());
    if (!this.sawHeader)
      items.push({ problem: { line: 1, message: 'the file is empty; the first line must name the columns (email, firstName, …)' } });
    return items;
  }

  private rows(rows: readonly CsvRow[]): CsvItem[] {
    const items: CsvItem[] = [];
    for (const row of rows) {
      if (this.refusedAll) continue;
      if (!this.sawHeader) {
        this.sawHeader = true;
        const names = row.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
        const find = (...wanted: string[]) => names.findIndex((n) => wanted.includes(n.toLowerCase()));
        const email = find('email');
        if (email < 0) {
          this.refusedAll = true;
          items.push({ problem: { line: row.line, message: 'no "email" column in the header' } });
          continue;
        }
        this.columns = { names, email, firstName: find('firstname', 'first_name'), status: find('status') };
        continue;
      }
      const item = this.subscriberOf(row);
      if (item) items.push(item);
    }
    return items;
  }

  private subscriberOf(row: CsvRow): CsvItem | undefined {
    const { names, email: emailColumn, firstName: firstNameColumn, status: statusColumn } = this.columns!;
    const fields = row.fields;
    if (fields.length === 1 && fields[0]!.trim() === '') return undefined;
    if (row.unterminated) return problemAt(row, 'a quoted field is never closed');
    if (fields.length > names.length) return problemAt(row, `${fields.length} fields but the header names ${names.length}`);
    const raw = fields[emailColumn] ?? '';
    const email = normalizeEmail(raw);
    if (!email) return problemAt(row, 'the email is empty');
    if (!isPlausibleAddress(email)) return problemAt(row, `"${raw.trim()}" is not an e-mail address`);
    const status = statusColumn >= 0 ? fields[statusColumn]?.trim().toLowerCase() || undefined : undefined;
    if (status !== undefined && !STATUSES.has(status))
      return problemAt(row, `status "${status}" is not one of pending, subscribed, unsubscribed, bounced, complained`);
    const firstName = firstNameColumn >= 0 ? fields[firstNameColumn]?.trim() || undefined : undefined;
    const attributes: Record<string, string> = {};
    let badTag: string | undefined;
    // A plain loop, not forEach with a closure: this runs once per row of files of a million rows.
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const value = fields[i]?.trim();
      if (i === emailColumn || i === firstNameColumn || i === statusColumn || !name || !value) continue;
      if (name.toLowerCase() !== TAGS_FIELD) {
        attributes[name] = value;
        continue;
      }
      // Tags are kept in one canonical form, so that audiences and re-imports compare them as sets.
      const tags = value.split(';').map(normalizeTag);
      badTag ??= tags.find((t) => t !== '' && !isValidTag(t));
      const canonical = tagsFieldValue(tags);
      if (canonical !== undefined) attributes[TAGS_FIELD] = canonical;
    }
    if (badTag !== undefined) return problemAt(row, `tag "${badTag}" is not a tag (${TAG_RULE}); separate tags with ";"`);
    return { subscriber: { email, firstName, attributes, status: status as SubscriberStatus | undefined, line: row.line } };
  }
}

/** A problem on a row's line. */
const problemAt = (row: CsvRow, message: string): CsvItem => ({ problem: { line: row.line, message } });

interface CsvRow {
  readonly line: number;
  readonly fields: string[];
  readonly unterminated: boolean;
}

// RFC 4180 rows from chunks: a chunk may end inside a field, between a quote and its double, or between \r and \n.
class CsvSplitter {
  private carry = '';
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private line = 1;
  private rowLine = 1;

  push(chunk: string): CsvRow[] {
    return this.split(this.carry + chunk, false);
  }

  end(): CsvRow[] {
    const rows = this.split(this.carry, true);
    if (this.quoted || this.field !== '' || this.fields.length > 0) {
      this.fields.push(this.field);
      rows.push({ line: this.rowLine, fields: this.fields, unterminated: this.quoted });
      this.fields = [];
      this.field = '';
    }
    return rows;
  }

  private split(text: string, final: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    this.carry = '';
    let i = 0;
    while (i < text.length) {
      // Most lines have no quotes: such a line is split at its commas at once rather than a character at a time
      // (three quarters of the parse of a million-row file).
      if (!this.quoted && this.field === '' && this.fields.length === 0) {
        const end = this.plainLine(text, i, rows);
        if (end > i) {
          i = end;
          continue;
        }
      }
      i = this.scan(text, i, final, rows);
    }
    return rows;
  }

  /** A whole line from `from` with no quote and no lone \r, as a row: the index after it, or `from` when it is not one. */
  private plainLine(text: string, from: number, rows: CsvRow[]): number {
    const newline = text.indexOf('\n', from);
    if (newline < 0) return from;
    const end = newline > from && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    const line = text.slice(from, end);
    if (line.includes('"') || line.includes('\r')) return from;
    rows.push({ line: this.rowLine, fields: line.split(','), unterminated: false });
    this.line++;
    this.rowLine = this.line;
    return newline + 1;
  }

  /** Reads a character at a time from `from` until a row ends (the index after it) or the text does (its length). */
  private scan(text: string, from: number, final: boolean, rows: CsvRow[]): number {
    let field = this.field;
    for (let i = from; i < text.length; i++) {
      const c = text[i]!;
      // A quote or \r as the last character may pair with the next chunk's first: keep it for then.
      if (!final && i === text.length - 1 && ((this.quoted && c === '"') || c === '\r')) {
        this.carry = c;
        break;
      }
      if (this.quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') this.quoted = false;
        else {
          if (c === '\n') this.line++;
          field += c;
        }
      } else if (c === '"' && field.trim() === '') {
        field = '';
        this.quoted = true;
      } else if (c === ',') {
        this.fields.push(field);
        field = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        this.fields.push(field);
        rows.push({ line: this.rowLine, fields: this.fields, unterminated: false });
        this.fields = [];
        this.field = '';
        this.line++;
        this.rowLine = this.line;
        return i + 1;
      } else field += c;
    }
    this.field = field;
    return text.length;
  }
}
