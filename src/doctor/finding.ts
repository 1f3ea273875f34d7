/** What `newsbrief doctor` reports: one finding per check, each with the command or console step that fixes it. */

/** ok: ready; warn: mail goes out but worse than it could (or a check could not run); fail: fix before sending. */
export type FindingStatus = 'ok' | 'warn' | 'fail';

/** The outcome of one check. */
export interface Finding {
  /** Stable id of the check, e.g. `identity`, `dkim`, `dmarc` (for scripts reading `--json`). */
  readonly check: string;
  readonly status: FindingStatus;
  /** One sentence: what was found. */
  readonly summary: string;
  /** The exact command or console step that fixes it; absent when there is nothing to fix. */
  readonly fix?: string;
}

/** Builds a finding; `fix` only when given. */
export function finding(check: string, status: FindingStatus, summary: string, fix?: string): Finding {
  return fix === undefined ? { check, status, summary } : { check, status, summary, fix };
}

/** Whether any finding must be fixed before sending (the CLI then exits non-zero). */
export function hasFailure(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.status === 'fail');
}
