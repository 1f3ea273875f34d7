/**
 * `newsbrief report LIST ID`: an issue's counts, feedback and circuit breaker; `newsbrief report LIST`: the list's
 * last issues side by side. From the local store or the AWS ledger.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { breakerPolicyFromEnv } from '../../config/breaker-env.js';
import { formatIssueReport, type IssueReport, readIssueReport } from '../../report/issue-report.js';
import { issueReportHtml, reportEngagement } from '../../report/issue-report-html.js';
import { listReportHtml } from '../../report/list-report-html.js';
import { formatShare } from '../../report/report-document.js';
import { LIST_REPORT_ISSUES, type ListReportDeps, readListReport } from '../../report/read-list-report.js';
import { issueReportKeyOf } from '../../config/bucket-layout.js';
import { DEFAULT_STATE_DIR, openLocalBlobs, openLocalStore, systemClock } from '../../wiring/local-files.js';
import { type CliIo, type Command, EXIT, UsageError } from '../command.js';
import { localReportDeps } from '../../wiring/local-report-deps.js';
import { checkListsOptions, knownListOf, ledgerAndLists, LISTS_OPTIONS, LISTS_OPTIONS_HELP, stackOption } from '../target-lists.js';

export const reportCommand: Command = {
  help: `Usage: newsbrief report LIST [ID] [--state DIR] [--write] [--json] [--html FILE]
       newsbrief report LIST [ID] --stack NAME [--json] [--html FILE]
       newsbrief report LIST [ID] --table LEDGER_TABLE (--lists-table T | --lists FILE) [--json] [--html FILE]

Reads the issue's counts from the ledger: who the issue was for (its audience, or the whole list) and how
many matched (read from the rendered issue; --table names no bucket, so there the count is called planned), sent, failed, unknown, skipped as suppressed, held by
the circuit breaker, and SES feedback (delivered, bounced, soft bounces, complained, rejected), with the
bounce and complaint rates against the list's limits. --html writes the same as a page with charts (the
funnel, opens and clicks over 48 hours, top links, bounces by type, the breaker) that opens offline.

Without ID, the list's last ${LIST_REPORT_ISSUES} issues side by side (open rate, click rate, unsubscribes per issue),
one line each; --html writes them as the list's report page, --json as a document. On AWS the list's issues
are read from the ledger's issuesByList index (a Query: the credentials need dynamodb:Query on it).

Options:
  --state DIR     local state folder (default: ${DEFAULT_STATE_DIR})
  --stack NAME    read the deployed stack NAME: its ledger table (LedgerTableName) and its lists table
  --table T       read the ledger DynamoDB table T instead (AWS credentials and region from the environment)
  --write         local, with ID: also write reports/LIST/ID.json into the state folder's blobs
  --json          print the report document instead of the summary
  --html FILE     also write the report as an HTML page to FILE (no scripts; works offline)
${LISTS_OPTIONS_HELP}
  -h, --help      show this help

Exit status: 0 shown, 1 no such issue, 2 usage error.`,
  options: {
    state: { type: 'string' },
    table: { type: 'string' },
    write: { type: 'boolean' },
    json: { type: 'boolean' },
    html: { type: 'string' },
    stack: { type: 'string' },
    ...LISTS_OPTIONS,
  },
  async run({ values, positionals }, io) {
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give the list id, and the issue id for one issue');
    const [list, id] = positionals as [string, string | undefined];
    if (id === undefined && values.write) throw new UsageError("--write writes one issue's report: give its id");
    const stack = stackOption(values);
    if (stack !== undefined && values.table !== undefined) throw new UsageError('give either --stack NAME or --table T');
    if ((stack !== undefined || typeof values.table === 'string') && (values.state !== undefined || values.write))
      throw new UsageError('--stack and --table read AWS; --state and --write are for the local store');
    checkListsOptions(values);
    // The ledger and the lists of the place the report is read from: a deployment's lists are its lists table.
    const { ledgerTable, briefsBucket, found } = await ledgerAndLists(values, io);
    knownListOf(found, list);
    const { lists } = found;

    let deps: ListReportDeps;
    let stateDir: string | undefined;
    if (ledgerTable !== undefined) {
      // Loaded only here, so that local use never loads the AWS SDK.
      const { createAwsReportDeps } = await import('../../wiring/aws-lifecycle.js');
      deps = createAwsReportDeps(io.env, ledgerTable, lists, briefsBucket);
    } else {
      stateDir = resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR);
      deps = localReportDeps({
        store: openLocalStore(stateDir),
        blobs: openLocalBlobs(stateDir),
        lists,
        clock: systemClock,
        breaker: breakerPolicyFromEnv(io.env),
      });
    }
    if (id === undefined) return writeListReport(deps, list, values, io);
    const report = await readIssueReport(deps, { list, id });
    if (!report) {
      io.err(`newsbrief report: no issue ${list}/${id} in ${stateDir ?? `table ${ledgerTable}`}`);
      return EXIT.refused;
    }
    if (values.write && stateDir) {
      await openLocalBlobs(stateDir).put(issueReportKeyOf(report), `${JSON.stringify(report, null, 2)}\n`, 'application/json');
      io.err(`wrote ${issueReportKeyOf(report)} under ${resolve(stateDir, 'blobs')}`);
    }
    if (typeof values.html === 'string') {
      const file = resolve(io.cwd, values.html);
      const page = issueReportHtml(report, { listName: lists.lists.get(list)?.displayName, engagement: reportEngagement(report) });
      writeFileSync(file, page);
      io.err(`wrote the report page to ${file}`);
    }
    io.out(values.json ? JSON.stringify(report, null, 2) : formatIssueReport(report));
    return EXIT.ok;
  },
};

/** The list's last issues: a line each (or the document with --json), and the page with --html. */
async function writeListReport(
  deps: ListReportDeps,
  list: string,
  values: { readonly html?: unknown; readonly json?: unknown },
  io: CliIo,
): Promise<number> {
  const rows = await readListReport(deps, list);
  if (typeof values.html === 'string') {
    const file = resolve(io.cwd, values.html);
    writeFileSync(file, listReportHtml({ id: list, name: deps.lists.lists.get(list)?.displayName }, rows));
    io.err(`wrote the list's report page to ${file}`);
  }
  const reports = rows.map((r) => r.report);
  io.out(
    values.json
      ? JSON.stringify({ format: 'newsbrief/list-report@1', list, issues: [...reports].reverse() }, null, 2)
      : formatListReport(list, reports),
  );
  return EXIT.ok;
}

// Newest first, as people look for the last issue.
function formatListReport(list: string, reports: readonly IssueReport[]): string {
  if (reports.length === 0) return `${list}: no issue yet`;
  const line = (r: IssueReport) => {
    const c = r.counts;
    const e = r.engagement;
    const opened = e?.tracking.opens ? formatShare(e.opens.unique, c.sent) : '—';
    const clicked = e?.tracking.clicks ? formatShare(e.clicks.unique, c.sent) : '—';
    const who = r.audience ? `  ${r.audience.wholeList ? 'whole list' : r.audience.description}` : '';
    return `  ${r.id}  sent ${c.sent}  opened ${opened}  clicked ${clicked}  unsubscribed ${c.unsubscribed}${who}`;
  };
  return [
    `${list}: the last ${reports.length === 1 ? 'issue' : `${reports.length} issues`}, newest first`,
    ...[...reports].reverse().map(line),
  ].join('\n');
}
