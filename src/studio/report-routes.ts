/**
 * The studio's report pages: `/reports/<list>` compares the list's last issues, `/reports/<list>/<id>` is one
 * issue's report (the same page `newsbrief report --html` writes). They are whole documents with their own
 * inline stylesheet, so they are answered with the report's CSP (its stylesheet by hash, no script at all)
 * instead of the studio's.
 */
import type { IssueRef } from '../model.js';
import { type IssueReport, readIssueReport } from '../report/issue-report.js';
import { issueReportHtml, reportEngagement } from '../report/issue-report-html.js';
import { listReportHtml } from '../report/list-report-html.js';
import { LIST_REPORT_ISSUES, readListReport } from '../report/read-list-report.js';
import { localReportDeps } from '../wiring/local-report-deps.js';
import { REPORT_CSP } from '../report/report-document.js';
import type { RenderedIssue } from '../render/render-issue.js';
import { fillTemplate } from '../render/slots.js';
import { respondHtml, respondNotFound } from './http-respond.js';
import type { Route, RouteHandler } from './route-table.js';
import type { StudioContext } from './studio-context.js';

/** How many issues the list page compares. */
export { LIST_REPORT_ISSUES };

/** The path of an issue's report page. */
export function issueReportPath(issue: IssueRef): string {
  return `/reports/${encodeURIComponent(issue.list)}/${encodeURIComponent(issue.id)}`;
}

/** The report routes, over the studio's context. */
export function reportRoutes(ctx: StudioContext): Route[] {
  const deps = localReportDeps(ctx);
  const headers = { 'content-security-policy': REPORT_CSP };

  // The subject is in the rendered issue the ledger points at; a report without it still reads.
  const subjectOf = async (report: IssueReport): Promise<string | undefined> => {
    const record = await ctx.store.getIssue(report);
    const bytes = record ? await ctx.blobs.get(record.renderedKey, { maxBytes: 4 * 1024 * 1024 }) : undefined;
    if (!bytes) return undefined;
    try {
      // Filled for nobody in particular: merge tags take their fallbacks ("Hello {{firstName|friend}}").
      const rendered = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<RenderedIssue>;
      return rendered.subject ? fillTemplate(rendered.subject, { email: '', unsubscribeUrl: '', audience: 'public' }) : undefined;
    } catch {
      return undefined;
    }
  };

  const showIssue: RouteHandler = async ({ response, params }) => {
    const list = ctx.lists.lists.get(params.list!);
    if (!list) return respondNotFound(response);
    const report = await readIssueReport(deps, { list: list.id, id: params.id! });
    if (!report) return respondNotFound(response);
    const page = issueReportHtml(report, {
      listName: list.displayName,
      subject: await subjectOf(report),
      engagement: reportEngagement(report),
      backHref: `/reports/${encodeURIComponent(list.id)}`,
    });
    respondHtml(response, 200, page, headers);
  };

  // Only the last issues' stored counts are read: the page costs the same for ten readers as for a million.
  const showList: RouteHandler = async ({ response, params }) => {
    const list = ctx.lists.lists.get(params.list!);
    if (!list) return respondNotFound(response);
    const rows = await Promise.all(
      (await readListReport(deps, list.id, LIST_REPORT_ISSUES)).map(async (row) => ({
        ...row,
        subject: await subjectOf(row.report),
        href: issueReportPath(row.report),
      })),
    );
    const page = listReportHtml({ id: list.id, name: list.displayName }, rows);
    respondHtml(response, 200, page, headers);
  };

  return [
    { method: 'GET', path: '/reports/:list', handler: showList },
    { method: 'GET', path: '/reports/:list/:id', handler: showIssue },
  ];
}
