/** `newsbrief report LIST ID`: an issue's counts, feedback and circuit breaker, from the local store or the AWS ledger. */
import { resolve } from 'node:path';
import { breakerPolicyFromEnv } from '../../config/breaker-env.js';
import { formatIssueReport, readIssueReport, type ReportDeps } from '../../report/issue-report.js';
import { issueReportKeyOf } from '../../config/bucket-layout.js';
import {
  DEFAULT_LISTS_FILE,
  DEFAULT_STATE_DIR,
  loadListsFile,
  openLocalBlobs,
  openLocalStore,
  systemClock,
} from '../../wiring/local-files.js';
import { type Command, EXIT, UsageError } from '../command.js';

export const reportCommand: Command = {
  help: `Usage: newsbrief report LIST ID [--state DIR] [--write] [--json]
       newsbrief report LIST ID --table LEDGER_TABLE [--json]

Reads the issue's counts from the ledger: planned, sent, failed, unknown, skipped as suppressed, held by
the circuit breaker, and SES feedback (delivered, bounced, soft bounces, complained, rejected), with the
bounce and complaint rates against the list's limits.

Options:
  --state DIR     local state folder (default: ${DEFAULT_STATE_DIR})
  --table T       read the ledger DynamoDB table T instead (AWS credentials and region from the environment)
  --write         local: also write reports/LIST/ID.json into the state folder's blobs
  --json          print the report document instead of the summary
  --lists FILE    lists configuration (default: config/lists.json of this project)
  -h, --help      show this help

Exit status: 0 shown, 1 no such issue, 2 usage error.`,
  options: {
    state: { type: 'string' },
    table: { type: 'string' },
    write: { type: 'boolean' },
    json: { type: 'boolean' },
    lists: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError('give the list id and the issue id');
    const [list, id] = positionals as [string, string];
    const lists = loadListsFile(values.lists === undefined ? DEFAULT_LISTS_FILE : resolve(io.cwd, values.lists as string));
    if (!lists.lists.has(list)) throw new UsageError(`unknown list "${list}" (configured lists: ${[...lists.lists.keys()].join(', ')})`);
    if (typeof values.table === 'string' && (values.state !== undefined || values.write))
      throw new UsageError('--table reads AWS; --state and --write are for the local store');

    let deps: ReportDeps;
    let stateDir: string | undefined;
    if (typeof values.table === 'string') {
      // Loaded only here, so that local use never loads the AWS SDK.
      const { createAwsReportDeps } = await import('../../wiring/aws-lifecycle.js');
      deps = createAwsReportDeps(io.env, values.table, lists);
    } else {
      stateDir = resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR);
      const store = openLocalStore(stateDir);
      deps = { ledger: store, feedback: store, lists, clock: systemClock, breaker: breakerPolicyFromEnv(io.env) };
    }
    const report = await readIssueReport(deps, { list, id });
    if (!report) {
      io.err(`newsbrief report: no issue ${list}/${id} in ${stateDir ?? `table ${values.table as string}`}`);
      return EXIT.refused;
    }
    if (values.write && stateDir) {
      await openLocalBlobs(stateDir).put(issueReportKeyOf(report), `${JSON.stringify(report, null, 2)}\n`, 'application/json');
      io.err(`wrote ${issueReportKeyOf(report)} under ${resolve(stateDir, 'blobs')}`);
    }
    io.out(values.json ? JSON.stringify(report, null, 2) : formatIssueReport(report));
    return EXIT.ok;
  },
};
