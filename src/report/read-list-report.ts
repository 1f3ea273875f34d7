/**
 * Reading a list's report: its most recent issues, each issue's report from its stored counts. The list's issues
 * come from wherever the ledger keeps them (the ledger's `issuesByList` index on AWS, the local store's issues
 * locally); the cost is a few reads per issue shown, never one per reader.
 */
import type { IssueRef } from '../model.js';
import { recentIssuesAmong } from '../engagement/reader-history.js';
import { type IssueReport, readIssueReport, type ReportDeps } from './issue-report.js';
import { reportEngagement } from './issue-report-html.js';
import type { ListReportRow } from './list-report-html.js';

export { recentIssuesAmong };

/** How many issues a list's report compares. */
export const LIST_REPORT_ISSUES = 12;

/** At most `limit` issues of `list`, newest first. */
export type RecentIssues = (list: string, limit: number) => Promise<readonly IssueRef[]>;

/** What reading a list's report needs: an issue report's deps and where the list's issues are. */
export interface ListReportDeps extends ReportDeps {
  readonly recentIssues: RecentIssues;
}

/** The list's last issues' reports as the list page draws them, oldest first (an issue the ledger no longer has is left out). */
export async function readListReport(
  deps: ListReportDeps,
  list: string,
  limit = LIST_REPORT_ISSUES,
): Promise<(ListReportRow & { readonly report: IssueReport })[]> {
  const issues = await deps.recentIssues(list, limit);
  const reports = await Promise.all([...issues].reverse().map((issue) => readIssueReport(deps, issue)));
  return reports.filter((r): r is IssueReport => r !== undefined).map((report) => ({ report, engagement: reportEngagement(report) }));
}
