import type { Problem } from '../config/problems.js';

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
    super(`the brief has ${problems.length} problem(s): ${problems.map((p) => `${p.pointer || '(document)'} ${p.message}`).join('; ')}`);
  }
}
