/**
 * Where everything lives in the briefs bucket. Only briefs/**.json triggers intake, so nothing written
 * under the other prefixes can ever re-trigger it.
 */
import type { IssueRef } from '../ports.js';

/** Prefixes of the briefs bucket. */
export const PREFIX = { briefs: 'briefs/', rendered: 'rendered/', reports: 'reports/', archive: 'archive/' } as const;

/** True for keys intake handles: `briefs/…/<name>.json`. */
export function isBriefKey(key: string): boolean {
  return key.startsWith(PREFIX.briefs) && key.toLowerCase().endsWith('.json') && key.length > PREFIX.briefs.length + '.json'.length;
}

/** Decodes an object key as S3 events carry it: `+` is a space, `%2B` a plus, UTF-8 percent-encoded. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The folder of an issue's rendered artifacts: `rendered/<list>/<id>/`. */
export function renderedPrefixOf(issue: IssueRef): string {
  return `${PREFIX.rendered}${issue.list}/${issue.id}/`;
}

/** The RenderedIssue JSON that send jobs read. */
export function renderedKeyOf(issue: IssueRef): string {
  return `${renderedPrefixOf(issue)}issue.json`;
}

/** The public web copy of an issue: `archive/<list>/<id>.html`. */
export function archiveKeyOf(issue: IssueRef): string {
  return `${PREFIX.archive}${issue.list}/${issue.id}.html`;
}

/** The problem report of a refused brief: `briefs/2026/x.json` → `reports/2026/x.json.problems.json`. */
export function reportKeyOf(briefKey: string): string {
  return `${PREFIX.reports}${briefKey.slice(PREFIX.briefs.length)}.problems.json`;
}
