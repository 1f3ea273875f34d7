/** One thing wrong with a brief: where (a JSON Pointer, RFC 6901) and what to do about it. */
export interface Problem {
  /** JSON Pointer to the offending field; "" for the whole document. */
  readonly pointer: string;
  /** A sentence a person can act on. */
  readonly message: string;
}

/** Builds a JSON Pointer from path segments, escaping `~` and `/` as RFC 6901 requires. */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Formats a refusal report the way editors see it on the command line and in reports/. */
export function formatProblems(source: string, problems: readonly Problem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const width = Math.max(...problems.map((p) => (p.pointer || '/').length));
  const lines = problems.map((p) => `  ${(p.pointer || '(document)').padEnd(width)}  ${p.message}`);
  return [`${source}: ${count}, nothing was sent`, ...lines].join('\n');
}

/** Raised when a brief is refused; carries every problem at once. A retry never helps. */
export class BriefInvalidError extends Error {
  override readonly name = 'BriefInvalidError';
  constructor(readonly problems: readonly Problem[]) {
    super(`the brief has ${problems.length} problem(s): ` + problems.map((p) => `${p.pointer || '(document)'} ${p.message}`).join('; '));
  }
}
