/** `newsbrief issue pause|resume|cancel LIST ID`: stop, continue or end an issue's sending, locally or on AWS. */
import { basename, resolve } from 'node:path';
import { type IssueControlDeps, IssueControlError, cancelIssue, pauseIssue, resumeIssue } from '../../pipeline/issue-control.js';
import type { IssueRef } from '../../model.js';
import { DEFAULT_STATE_DIR, openLocalStore, systemClock } from '../../wiring/local-files.js';
import { type CliIo, type Command, EXIT, UsageError } from '../command.js';
import { stackOption } from '../target-lists.js';

const ACTIONS = ['pause', 'resume', 'cancel'] as const;
type Action = (typeof ACTIONS)[number];

export const issueCommand: Command = {
  help: `Usage: newsbrief issue pause LIST ID [--reason TEXT] [--state DIR | --table T | --stack NAME]
       newsbrief issue resume LIST ID [--override-breaker] [--state DIR | --table T | --stack NAME]
       newsbrief issue cancel LIST ID [--state DIR | --table T | --stack NAME]

pause   stops the issue's sending: its jobs wait until it is resumed (a local send stops at its next job;
        on AWS queued jobs look again every 15 minutes). "newsbrief status" shows the pause and its reason.
resume  clears any pause: one by hand, or one SES caused (daily quota used up, account paused) once you
        know SES takes messages again. An issue held by its circuit breaker (bounces or complaints past the
        list's limits) resumes only with --override-breaker; the override is recorded and shown by
        "newsbrief report", and from then on the breaker judges only what is sent after it.
cancel  ends the issue for good: its remaining jobs send nothing. It cannot be resumed.

Options:
  --state DIR          local state folder (default: ${DEFAULT_STATE_DIR})
  --table T            the deployed ledger DynamoDB table instead (output LedgerTableName; AWS credentials
                       and region from the environment)
  --stack NAME         the ledger table of the deployed stack NAME (its LedgerTableName output)
  --reason TEXT        pause: why (shown by status; default "paused by hand by <user>")
  --override-breaker   resume: resume an issue held by its circuit breaker
  -h, --help           show this help

Exit status: 0 done, 1 refused (no such issue, cancelled, held by the breaker), 2 usage error.`,
  options: {
    state: { type: 'string' },
    table: { type: 'string' },
    stack: { type: 'string' },
    reason: { type: 'string' },
    'override-breaker': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (action === undefined) throw new UsageError('say pause, resume or cancel');
    if (!isAction(action)) throw new UsageError(`unknown action "${action}" (pause, resume or cancel)`);
    if (rest.length !== 2) throw new UsageError('give the list and the issue id');
    const [list, id] = rest as [string, string];
    let table = values.table as string | undefined;
    if (table !== undefined && table.trim() === '') throw new UsageError('--table needs a table name');
    if (table !== undefined && values.state !== undefined) throw new UsageError('use either --state or --table');
    const stack = stackOption(values);
    if (stack !== undefined && (table !== undefined || values.state !== undefined))
      throw new UsageError('use one of --state, --table and --stack');
    if (values.reason !== undefined && action !== 'pause') throw new UsageError('--reason goes with pause');
    if (values['override-breaker'] && action !== 'resume') throw new UsageError('--override-breaker goes with resume');

    let deps: IssueControlDeps;
    if (stack !== undefined)
      table = (await (await import('../../wiring/aws-stack.js')).readStackResources(io.env, stack)).require('LedgerTableName');
    if (table !== undefined) {
      // Loaded only for this path: the local CLI never needs the AWS SDK.
      const { createAwsIssueControlDeps } = await import('../../wiring/aws-issue-control.js');
      deps = createAwsIssueControlDeps(io.env, table);
    } else {
      const store = openLocalStore(resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR));
      deps = { ledger: store, feedback: store, clock: systemClock };
    }
    const issue = { list, id };
    const where = table === undefined ? 'local' : 'aws';
    try {
      if (action === 'pause') return await pause(deps, issue, values.reason as string | undefined, io, where);
      if (action === 'resume') return await resume(deps, issue, Boolean(values['override-breaker']), io, where);
      return await cancel(deps, issue, io);
    } catch (error) {
      if (error instanceof IssueControlError && error.refusal === 'breaker-held') {
        throw new Error(
          `${error.message}; to resume it anyway, run again with --override-breaker (recorded, and shown by newsbrief report)`,
        );
      }
      throw error;
    }
  },
};

function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** Who is at the keyboard, for the record. */
function whoOf(io: CliIo): string | undefined {
  return io.env.USER?.trim() || io.env.USERNAME?.trim() || undefined;
}

async function pause(
  deps: IssueControlDeps,
  issue: IssueRef,
  reason: string | undefined,
  io: CliIo,
  where: 'local' | 'aws',
): Promise<number> {
  const result = await pauseIssue(deps, issue, { reason, by: whoOf(io) });
  const replaced = result.previous
    ? ` (replacing the ${result.previous.kind} pause of ${result.previous.at}: ${result.previous.reason})`
    : '';
  const jobs = where === 'local' ? 'a send running now stops at its next job' : 'its queued jobs wait, looking again every 15 minutes';
  io.out(
    `${name(issue)}: paused at ${result.pause.at}: ${result.pause.reason}${replaced}; ${jobs}. Resume with: newsbrief issue resume ${issue.list} ${issue.id}`,
  );
  return EXIT.ok;
}

async function resume(
  deps: IssueControlDeps,
  issue: IssueRef,
  overrideBreaker: boolean,
  io: CliIo,
  where: 'local' | 'aws',
): Promise<number> {
  const result = await resumeIssue(deps, issue, { overrideBreaker, by: whoOf(io) });
  const parts: string[] = [];
  if (result.cleared) parts.push(`cleared the ${result.cleared.kind} pause (${result.cleared.reason})`);
  if (result.override)
    parts.push(
      `resumed past the circuit breaker (it had tripped: ${result.override.previous.reason}); the override is recorded in its report`,
    );
  io.out(
    `${name(issue)}: ${result.resumed ? `resumed: ${parts.join('; ')}` : 'was neither paused nor held by the circuit breaker: nothing to resume'}`,
  );
  if (where === 'local') {
    // A local send stops when its issue pauses or is held, and its unfinished jobs end with the process.
    const again = result.replan ? ': it plans the members the issue was meant for again, and skips whoever has it' : '';
    io.out(
      `To continue sending, run newsbrief send on the brief again (it was ${basename(result.source)}), or press Send in the studio${again}.`,
    );
  } else if (result.replan) {
    io.err(
      `newsbrief issue: the jobs the breaker held completed without sending, and re-planning an issue on AWS is not available yet: ` +
        `the members it held did not get ${name(issue)}; see its report ("held")`,
    );
  } else if (result.cleared) {
    io.out('Its queued jobs look again within 15 minutes.');
  }
  return EXIT.ok;
}

async function cancel(deps: IssueControlDeps, issue: IssueRef, io: CliIo): Promise<number> {
  const result = await cancelIssue(deps, issue);
  io.out(
    result.already
      ? `${name(issue)}: already cancelled at ${result.cancelledAt}`
      : `${name(issue)}: cancelled at ${result.cancelledAt}; its remaining jobs send nothing`,
  );
  return EXIT.ok;
}

function name(issue: IssueRef): string {
  return `${issue.list}/${issue.id}`;
}
