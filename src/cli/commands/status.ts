/** `newsbrief status LIST ID`: whether an issue is scheduled, cancelled, missed, sending or sent, with its times. */
import { resolve } from 'node:path';
import { describeStatus, issueStatus, type MissedStartHint } from '../../schedule/issue-status.js';
import { DEFAULT_STATE_DIR, openLocalBlobs, openLocalStore } from '../../wiring/local-files.js';
import { type Command, EXIT, UsageError } from '../command.js';

export const statusCommand: Command = {
  help: `Usage: newsbrief status LIST ID [--state DIR]
       newsbrief status LIST ID --table LEDGER_TABLE --bucket BRIEFS_BUCKET

Prints one line: scheduled (for when, and how long from now), cancelled (its brief was deleted),
missed (its time is more than 15 minutes past and it never started: where to look), sending or sent
(when it started, counts), or unknown. Exit 0 when the issue is known and not missed, 1 when it is
unknown or its scheduled start was missed.

Options:
  --state DIR       local state folder (default: ${DEFAULT_STATE_DIR})
  --table NAME      the deployed ledger table (output LedgerTableName); needs --bucket
  --bucket NAME     the deployed briefs bucket (output BriefsBucketName)
  --json            print the status as JSON
  -h, --help        show this help`,
  options: {
    state: { type: 'string' },
    table: { type: 'string' },
    bucket: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError('give the list and the issue id');
    const [list, id] = positionals as [string, string];
    const table = values.table as string | undefined;
    const bucket = values.bucket as string | undefined;
    if ((table === undefined) !== (bucket === undefined)) throw new UsageError('--table and --bucket go together');
    if (table && values.state !== undefined) throw new UsageError('use either --state or --table/--bucket');
    let deps: Parameters<typeof issueStatus>[0];
    const hint: MissedStartHint = table && bucket ? 'aws' : 'local';
    if (table && bucket) {
      // Loaded only for this path: the local CLI never needs the AWS SDK.
      const { createAwsStatusDeps } = await import('../../wiring/aws-workflow.js');
      deps = createAwsStatusDeps(io.env, { table, bucket });
    } else {
      const stateDir = resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR);
      deps = { ledger: openLocalStore(stateDir), blobs: openLocalBlobs(stateDir) };
    }
    const now = Date.now();
    const status = await issueStatus(deps, { list, id }, now);
    io.out(values.json ? JSON.stringify(status, null, 2) : describeStatus(status, now, hint));
    return status.state === 'unknown' || status.state === 'missed' ? EXIT.refused : EXIT.ok;
  },
};
