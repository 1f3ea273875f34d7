/**
 * Where everything lives in the briefs bucket: the one statement of its key layout, read by the runtime
 * (which writes the keys) and by the CDK stack (whose IAM grants, notifications and CloudFront origin name
 * the prefixes), so that they cannot drift. Only briefs/**.json and proofs/**.json trigger intake, so
 * nothing the system writes under the other prefixes can ever re-trigger it.
 */

/** The prefixes of the briefs bucket, each with a trailing slash. */
export const PREFIX = {
  /** Briefs dropped by editors; the only prefix that triggers an issue. */
  briefs: 'briefs/',
  /** Briefs dropped for a proof (the list's proof recipients only). */
  proofs: 'proofs/',
  /** Rendered issues and the archive's index documents (private; read by send and start). */
  rendered: 'rendered/',
  /** Problem reports of refused briefs and proofs, and issue reports. */
  reports: 'reports/',
  /** The public web archive: the only prefix CloudFront serves. */
  archive: 'archive/',
  /** Schedule records and brief-key pointers of scheduled issues (private). */
  schedules: 'schedules/',
} as const;

/** One of the bucket's prefixes. */
export type BucketPrefix = (typeof PREFIX)[keyof typeof PREFIX];

/** Suffix of the keys that are briefs (anything else under briefs/ or proofs/ is ignored before Lambda runs). */
export const BRIEF_SUFFIX = '.json';

/** An issue as its keys name it. */
interface IssueKey {
  readonly list: string;
  readonly id: string;
}

/** True for keys intake handles as briefs: `briefs/…/<name>.json`. */
export function isBriefKey(key: string): boolean {
  return isJsonUnder(PREFIX.briefs, key);
}

/** True for keys intake handles as proofs: `proofs/…/<name>.json`. */
export function isProofKey(key: string): boolean {
  return isJsonUnder(PREFIX.proofs, key);
}

function isJsonUnder(prefix: string, key: string): boolean {
  return key.startsWith(prefix) && key.toLowerCase().endsWith(BRIEF_SUFFIX) && key.length > prefix.length + BRIEF_SUFFIX.length;
}

/** Decodes an object key as S3 events carry it: `+` is a space, `%2B` a plus, UTF-8 percent-encoded. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The folder of an issue's rendered artifacts: `rendered/<list>/<id>/`. */
export function renderedPrefixOf(issue: IssueKey): string {
  return `${PREFIX.rendered}${issue.list}/${issue.id}/`;
}

/** The RenderedIssue JSON that send jobs read. */
export function renderedKeyOf(issue: IssueKey): string {
  return `${renderedPrefixOf(issue)}issue.json`;
}

/** The problem report of a refused brief: `briefs/2026/x.json` → `reports/2026/x.json.problems.json`. */
export function reportKeyOf(briefKey: string): string {
  return `${PREFIX.reports}${briefKey.slice(PREFIX.briefs.length)}.problems.json`;
}

/** The problem report of a refused proof: `proofs/x.json` → `reports/proofs/x.json.problems.json`. */
export function proofReportKeyOf(proofKey: string): string {
  return `${PREFIX.reports}${proofKey}.problems.json`;
}

/** Where an issue's report lives: `reports/<list>/<id>.json`. */
export function issueReportKeyOf(issue: IssueKey): string {
  return `${PREFIX.reports}${issue.list}/${issue.id}.json`;
}

/**
 * Where each file of a list's archive sits below the archive's root: the same path under archive/ in the
 * bucket and under the list's archiveBaseUrl on the web (CloudFront's origin path is /archive).
 */
export const ARCHIVE_PATHS = {
  folder: (list: string) => `${list}/`,
  page: (list: string, id: string) => `${list}/${id}.html`,
  index: (list: string) => `${list}/index.html`,
  feed: (list: string) => `${list}/feed.xml`,
} as const;

/** Keys of the archive in the bucket. */
export const ARCHIVE_KEYS = {
  page: (list: string, id: string) => PREFIX.archive + ARCHIVE_PATHS.page(list, id),
  index: (list: string) => PREFIX.archive + ARCHIVE_PATHS.index(list),
  feed: (list: string) => PREFIX.archive + ARCHIVE_PATHS.feed(list),
  /** The index document: outside archive/, so it is not public (it is data, the pages are its views). */
  data: (list: string) => `${PREFIX.rendered}${list}/archive-index.json`,
} as const;

/** The public address of an archive path (see ARCHIVE_PATHS) under a list's archiveBaseUrl. */
export function archiveUrlOf(archiveBaseUrl: string, path: string): string {
  return `${archiveBaseUrl.replace(/\/+$/, '')}/${path}`;
}

/** Keys of schedule records. */
export const SCHEDULE_KEYS = {
  record: (issue: IssueKey) => `${PREFIX.schedules}issues/${issue.list}/${issue.id}.json`,
  bySource: (briefKey: string) => `${PREFIX.schedules}sources/${briefKey}.json`,
} as const;
