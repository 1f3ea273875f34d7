/**
 * Writing the studio's HTTP answers and reading its request bodies. Every answer carries the same security
 * headers and is never cached unless it says otherwise (the static assets do).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers on every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** The studio's own pages: their stylesheet and script come from /assets, nothing inline. */
export const PAGE_CSP =
  "default-src 'self'; img-src * data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The email documents get no script at all; their images and fonts may come from anywhere, as in a mail client. */
export const EMAIL_CSP = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src * data:; frame-ancestors 'self'";

/** The largest request body the studio reads (forms and one-click unsubscribes are a few hundred bytes). */
export const MAX_BODY_BYTES = 16 * 1024;

/** Writes a complete answer. */
export function respond(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    ...SECURITY_HEADERS,
    ...headers,
  });
  response.end(body);
}

/** Answers with an HTML document. */
export function respondHtml(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Readonly<Record<string, string>> = {},
): void {
  respond(response, status, 'text/html; charset=utf-8', body, headers);
}

/** Answers with one line (or a few) of plain text: what the studio's scripts show in the page. */
export function respondText(response: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  respond(response, status, 'text/plain; charset=utf-8', text, headers);
}

/** Answers 404. */
export function respondNotFound(response: ServerResponse): void {
  respondText(response, 404, 'Not found.');
}

/** A request body over the limit; answered 413 by the studio's dispatcher. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit / 1024} KiB; nothing was done.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body as UTF-8, up to `limit` bytes. Over the limit it rejects with BodyTooLargeError but
 * keeps reading and dropping the rest: a socket closed with unread data is reset, and the client would
 * never see the 413 (measured: curl's "Broken pipe" for a 5 MB body).
 */
export function readRequestBody(request: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (!refused) {
        // Answered now; the rest is only counted and dropped.
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
      }
    });
    request.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}
