/** Problems found while parsing a document, each with its JSON Pointer, so that every problem is reported at once. */

/** One thing wrong with a document (a brief, the lists file): where (a JSON Pointer, RFC 6901) and what to do about it. */
export interface Problem {
  /** JSON Pointer to the offending field; "" for the whole document. */
  readonly pointer: string;
  /** A sentence a person can act on. */
  readonly message: string;
}

/** Builds a JSON Pointer from path segments, escaping `~` and `/` as RFC 6901 requires. */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
