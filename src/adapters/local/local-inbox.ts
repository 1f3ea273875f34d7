/**
 * The local inbox: every message the embedded SES took, kept as one .eml file each in the state folder (so it
 * survives restarts), listed newest first a page at a time and opened one by one. A 2,000-mail send used to
 * reach the browser as one 44 MB JSON document; a page here reads the folder's names and 50 files' headers.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { html, type SafeHtml, trusted } from '../../render/html-template.js';

/** Messages per inbox page. */
export const INBOX_PAGE_SIZE = 50;

/** `<ms since epoch, 13 digits>-<sequence>-<SES message id>.eml`: sorting the names sorts the messages by time. */
const MESSAGE_FILE = /^\d{13}-\d{6}-[A-Za-z0-9_-]{1,100}\.eml$/;
/** Only the header block is read for the list; a header block larger than this is cut (the list shows less). */
const HEAD_BYTES = 32 * 1024;

/** One message in the list. */
export interface InboxEntry {
  readonly name: string;
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
}

/** The messages of one folder. */
export class LocalInbox {
  private sequence = 0;

  constructor(readonly folder: string) {}

  /** Keeps a message SES took; written whole, then renamed, so that a listing never sees half of one. */
  keep(raw: Buffer, messageId: string, at: number = Date.now()): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const name = `${String(at).padStart(13, '0')}-${String(this.sequence).padStart(6, '0')}-${messageId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'message'}.eml`;
    // Made with the first message: an empty inbox folder must not make a new state folder look used.
    mkdirSync(this.folder, { recursive: true });
    const temporary = join(this.folder, `.${name}.${process.pid}.tmp`);
    writeFileSync(temporary, raw);
    renameSync(temporary, join(this.folder, name));
    return name;
  }

  /** The names of every kept message, newest first. */
  names(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch {
      return [];
    }
    return names
      .filter((name) => MESSAGE_FILE.test(name))
      .sort()
      .reverse();
  }

  /** One page of the list (1-based), newest first, with the total. */
  page(number: number, size: number = INBOX_PAGE_SIZE): { entries: InboxEntry[]; total: number; pages: number; page: number } {
    const names = this.names();
    const pages = Math.max(1, Math.ceil(names.length / size));
    const page = Math.min(Math.max(1, Math.floor(number) || 1), pages);
    const entries = names.slice((page - 1) * size, page * size).map((name) => this.entry(name));
    return { entries, total: names.length, pages, page };
  }

  /** The raw message, or undefined for a name that is not one of the folder's messages. */
  raw(name: string): Buffer | undefined {
    if (!MESSAGE_FILE.test(name)) return undefined;
    try {
      return readFileSync(join(this.folder, name));
    } catch {
      return undefined;
    }
  }

  private entry(name: string): InboxEntry {
    const head = readHead(join(this.folder, name));
    const headers = parseHeaders(head);
    return {
      name,
      at: Number(name.slice(0, 13)),
      from: headers.get('from') ?? '',
      to: headers.get('to') ?? '',
      subject: headers.get('subject') ?? '(no subject)',
    };
  }
}

function readHead(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, length).toString('latin1');
    const end = text.search(/\r?\n\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

/** The header block's fields (lower-case names, first occurrence), unfolded and with encoded words decoded. */
export function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(key)) headers.set(key, decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as our composer and others write them; the rest as UTF-8. */
export function decodeWords(value: string): string {
  // Header bytes were read as latin1: raw UTF-8 (RFC 6532) is turned back into text first.
  const text = /[^\x00-\xff]/.test(value) ? value : decodeBytes(Buffer.from(value, 'latin1'), 'utf-8');
  const joined = text.replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, '$1');
  return joined.replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    return decodeBytes(bytes, charset);
  });
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase().split('*')[0]).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** The parts a person reads: the HTML and the plain text of a message (multipart walked, transfer encodings undone). */
export function readableParts(raw: Buffer): { html?: string; text?: string; headers: Map<string, string> } {
  const found: { html?: string; text?: string } = {};
  const top = splitEntity(raw.toString('latin1'));
  walk(top.headers, top.body, found, 0);
  return { ...found, headers: top.headers };
}

function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(entity);
  if (!match) return { headers: parseHeaders(entity), body: '' };
  return { headers: parseHeaders(entity.slice(0, match.index)), body: entity.slice(match.index + match[0].length) };
}

function walk(headers: Map<string, string>, body: string, found: { html?: string; text?: string }, depth: number): void {
  const type = headers.get('content-type') ?? 'text/plain';
  const mediaType = type.split(';')[0]!.trim().toLowerCase();
  if (mediaType.startsWith('multipart/') && depth < 8) {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!boundary) return;
    const parts = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    for (const part of parts.slice(1)) {
      if (part.trim() === '') continue;
      const child = splitEntity(part);
      walk(child.headers, child.body, found, depth + 1);
    }
    return;
  }
  if (mediaType !== 'text/html' && mediaType !== 'text/plain') return;
  const charset = /charset="?([^";]+)"?/i.exec(type)?.[1] ?? 'utf-8';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          )
        : Buffer.from(body, 'latin1');
  const text = decodeBytes(bytes, charset);
  if (mediaType === 'text/html') found.html ??= text;
  else found.text ??= text;
}

// ── pages ────────────────────────────────────────────────────────────────────

/** The inbox's only stylesheet, served from /inbox.css (no inline style: the pages' CSP allows none). */
const STYLESHEET = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f7}
header{background:#fff;border-bottom:1px solid #ddd;padding:12px 24px}h1{font-size:18px;margin:0}
main{padding:16px 24px;max-width:1100px}table{border-collapse:collapse;width:100%;background:#fff}
td,th{padding:8px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{font-size:12px;color:#666;text-transform:uppercase}td.when{white-space:nowrap;color:#666;font-size:13px}
a{color:#0b57d0}nav.pages{margin:12px 0;display:flex;gap:16px;align-items:center}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:#fff;padding:12px 16px;margin:0 0 12px}
dt{color:#666}dd{margin:0;word-break:break-all}iframe{width:100%;height:75vh;border:1px solid #ddd;background:#fff}
pre{white-space:pre-wrap;background:#fff;padding:12px 16px;border:1px solid #ddd}.empty{color:#666}`;

/** The pages' policy: their stylesheet from here, no script, the message's HTML only in a sandboxed frame. */
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; frame-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'";
/** A message's HTML: sandboxed (no script, an opaque origin), images from anywhere as in a mail client. */
const EMAIL_CSP = "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src * data:; frame-ancestors 'self'";
const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** Answers a GET for the inbox's pages; false when the path is not one of them. */
export function serveInbox(inbox: LocalInbox, request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = new URL(request.url ?? '/', 'http://inbox');
  if (url.pathname === '/inbox.css') {
    response.writeHead(200, { ...HEADERS, 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' });
    response.end(STYLESHEET);
    return true;
  }
  if (url.pathname === '/') {
    const page = inbox.page(Number(url.searchParams.get('page') ?? '1'));
    sendPage(response, 200, listPage(page));
    return true;
  }
  const match = /^\/messages\/([^/]+?)(\/html|\.eml)?$/.exec(url.pathname);
  if (!match) return false;
  const name = `${decodeURIComponent(match[1]!)}.eml`;
  const raw = inbox.raw(name);
  if (!raw) {
    sendPage(response, 404, frame('Not found', html`<p>No message ${name} in this inbox. <a href="/">Back to the inbox</a></p>`));
    return true;
  }
  if (match[2] === '.eml') {
    response.writeHead(200, { ...HEADERS, 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename="${name}"` });
    response.end(raw);
    return true;
  }
  const parts = readableParts(raw);
  if (match[2] === '/html') {
    response.writeHead(200, { ...HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': EMAIL_CSP });
    response.end(
      parts.html ?? `<pre>${(parts.text ?? '').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))}</pre>`,
    );
    return true;
  }
  sendPage(response, 200, messagePage(name, parts));
  return true;
}

function sendPage(response: ServerResponse, status: number, body: SafeHtml): void {
  response.writeHead(status, { ...HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP });
  response.end(body.value);
}

function frame(title: string, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · newsbrief local inbox</title><link rel="stylesheet" href="/inbox.css"></head>
<body><header><h1><a href="/">Local inbox</a></h1></header><main>${content}</main></body></html>`;
}

function when(at: number): string {
  return `${new Date(at).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

function listPage({ entries, total, pages, page }: ReturnType<LocalInbox['page']>): SafeHtml {
  const nav = html`<nav class="pages">
<span>${total} message${total === 1 ? '' : 's'}, newest first · page ${page} of ${pages}</span>
${page > 1 ? html`<a href="/?page=${page - 1}" rel="prev">← Newer</a>` : ''}
${page < pages ? html`<a href="/?page=${page + 1}" rel="next">Older →</a>` : ''}</nav>`;
  if (total === 0)
    return frame(
      'Local inbox',
      html`<p class="empty">No mail yet. Messages sent by the studio or by <code>newsbrief send</code> appear here, and stay after a restart.</p>`,
    );
  const rows = entries.map(
    (e) =>
      html`<tr><td class="when">${when(e.at)}</td><td>${e.to}</td><td><a href="/messages/${encodeURIComponent(e.name.replace(/\.eml$/, ''))}">${e.subject}</a></td><td>${e.from}</td></tr>`,
  );
  return frame(
    'Local inbox',
    html`${nav}<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th>From</th></tr></thead><tbody>${rows}</tbody></table>${nav}`,
  );
}

function messagePage(name: string, parts: ReturnType<typeof readableParts>): SafeHtml {
  const base = `/messages/${encodeURIComponent(name.replace(/\.eml$/, ''))}`;
  const shown = ['subject', 'from', 'to', 'date', 'list-unsubscribe', 'list-unsubscribe-post', 'message-id'];
  const fields = shown.filter((key) => parts.headers.has(key)).map((key) => html`<dt>${key}</dt><dd>${parts.headers.get(key)}</dd>`);
  return frame(
    parts.headers.get('subject') ?? name,
    html`<p><a href="/">← Inbox</a> · <a href="${base}.eml">Download the .eml</a></p>
<dl>${fields}</dl>
${parts.html !== undefined ? html`<iframe sandbox src="${base}/html" title="The message as HTML"></iframe>` : trusted('')}
${parts.text !== undefined ? html`<h2>Plain text</h2><pre>${parts.text}</pre>` : ''}`,
  );
}
