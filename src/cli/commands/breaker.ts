/**
 * `newsbrief breaker status|reset-confirmations`: the confirmation breaker of each list (bounces and complaints of
 * confirmation mails stop a list's confirmation mails until the next UTC day), shown, and reset by an operator
 * once the cause is dealt with; locally or in the deployed ledger table.
 */
import { resolve } from 'node:path';
import {
  breakerCounts,
  breakerVerdictOf,
  CONFIRMATION_BREAKER_WINDOW_MS,
  resetConfirmationBreaker,
} from '../../breaker/confirmation-breaker.js';
import type { ConfirmationThrottle } from '../../ports.js';
import { DEFAULT_STATE_DIR, openLocalStore } from '../../wiring/local-files.js';
import { type Command, EXIT, UsageError } from '../command.js';
import { checkListsOptions, knownListOf, ledgerAndLists, LISTS_OPTIONS, LISTS_OPTIONS_HELP, stackOption } from '../target-lists.js';

const ACTIONS = ['status', 'reset-confirmations'] as const;

/** One list's confirmation breaker, as `status --json` prints it. */
interface ListBreakerState {
  readonly list: string;
  readonly sent: number;
  readonly bounced: number;
  readonly complained: number;
  readonly tripped: boolean;
  readonly reason?: string;
  /** When the day's window ends and the breaker lifts by itself (ISO, UTC). */
  readonly until: string;
}

export const breakerCommand: Command = {
  help: `Usage: newsbrief breaker status [LIST] [--state DIR | --table LEDGER_TABLE | --stack NAME] [--json]
       newsbrief breaker reset-confirmations LIST [--state DIR | --table LEDGER_TABLE | --stack NAME]
  each with [--lists-table T | --lists FILE]

The confirmation breaker: bounces and complaints of a list's confirmation mails (the ones the subscribe form
sends) are counted per UTC day; past its limits (over 10 % bounced from 20 sent, a third complaint) the list
sends no more confirmation mails until the next UTC day. The form still answers as always.

status               each list's confirmation mails, bounces and complaints of the day, and whether its
                     breaker has tripped (why, and when it lifts by itself). Exit 1 when one has tripped.
reset-confirmations  starts LIST's day again from zero: confirmation mails go out again at once, and what
                     tripped it no longer counts. Reset once the cause is dealt with (a form fed with strangers'
                     addresses: a captcha or a lower limit; see docs/runbook.md), or it trips again.

Options:
  --state DIR        local state folder (default: ${DEFAULT_STATE_DIR})
  --table T          the deployed ledger table (stack output LedgerTableName); AWS credentials and region
                     from the environment, AWS_ENDPOINT_URL honoured
  --stack NAME       the deployed stack NAME: its ledger table and its lists table
${LISTS_OPTIONS_HELP}
  --json             status: one JSON document
  -h, --help         show this help

Exit status: 0 done (status: none tripped), 1 status: a breaker has tripped, 2 usage error.`,
  options: {
    state: { type: 'string' },
    table: { type: 'string' },
    stack: { type: 'string' },
    ...LISTS_OPTIONS,
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw new UsageError(action === undefined ? `say ${ACTIONS.join(' or ')}` : `unknown action "${action}" (${ACTIONS.join(', ')})`);
    if (action === 'reset-confirmations' && rest.length !== 1) throw new UsageError('reset-confirmations takes one LIST');
    if (action === 'status' && rest.length > 1) throw new UsageError('status takes at most one LIST');
    if (values.json && action !== 'status') throw new UsageError('--json goes with status');
    const stack = stackOption(values);
    const table = values.table as string | undefined;
    if (table !== undefined && table.trim() === '') throw new UsageError('--table needs a table name');
    if ([stack, table, values.state].filter((v) => v !== undefined).length > 1)
      throw new UsageError('give one of --state, --table and --stack');
    checkListsOptions(values);

    // Where the counters and the lists are; the lists are checked before the state folder is opened (or created).
    const { ledgerTable, found } = await ledgerAndLists(values, io);
    const lists = rest.length === 1 ? [knownListOf(found, rest[0]!)] : [...found.lists.lists.keys()];

    let throttle: ConfirmationThrottle & { close?(): void };
    if (ledgerTable !== undefined) {
      // Loaded only here: local use never loads the AWS SDK.
      throttle = (await import('../../wiring/aws.js')).awsConfirmationThrottle(io.env, ledgerTable);
    } else {
      throttle = openLocalStore(resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR), io.err);
    }
    const where = ledgerTable === undefined ? 'local' : `table ${ledgerTable}`;
    try {
      const now = Date.now();
      if (action === 'reset-confirmations') {
        const list = lists[0]!;
        const before = await stateOf(throttle, list, now);
        await resetConfirmationBreaker(throttle, list, now);
        io.out(
          `${list} (${where}): confirmation breaker reset${before.tripped ? ` (it had tripped: ${before.reason})` : ' (it had not tripped)'}; the day's counts start again from 0 and confirmation mails go out again`,
        );
        return EXIT.ok;
      }
      const states = await Promise.all(lists.map((list) => stateOf(throttle, list, now)));
      if (values.json) io.out(JSON.stringify({ at: new Date(now).toISOString(), breakers: states }, null, 2));
      else if (states.length === 0) io.out(`no lists (${found.where})`);
      else io.out(states.map(lineOf).join('\n'));
      return states.some((s) => s.tripped) ? EXIT.refused : EXIT.ok;
    } finally {
      throttle.close?.();
    }
  },
};

async function stateOf(throttle: Pick<ConfirmationThrottle, 'read'>, list: string, now: number): Promise<ListBreakerState> {
  const values = await throttle.read(breakerCounts(list), now);
  const [sent = 0, bounced = 0, complained = 0] = values;
  const verdict = breakerVerdictOf(values);
  // The counters are fixed windows starting at multiples of a day since the epoch: the next UTC midnight ends this one.
  const until = new Date(now - (now % CONFIRMATION_BREAKER_WINDOW_MS) + CONFIRMATION_BREAKER_WINDOW_MS).toISOString();
  return { list, sent, bounced, complained, tripped: verdict.trip, ...(verdict.trip ? { reason: verdict.reason } : {}), until };
}

function lineOf(s: ListBreakerState): string {
  const counts = `${s.sent} confirmation mail(s) today, ${s.bounced} bounced, ${s.complained} complained`;
  return s.tripped
    ? `${s.list.padEnd(24)} TRIPPED: ${s.reason}; ${counts}; no confirmation mails until ${s.until} or newsbrief breaker reset-confirmations ${s.list}`
    : `${s.list.padEnd(24)} ok: ${counts}`;
}
