/** `newsbrief subscribers import|export`: subscriber CSV in and out of a list in the local store. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSubscribersCsv } from '../../subscribers/parse-csv.js';
import { importSubscribers } from '../../subscribers/import-subscribers.js';
import { subscribersToCsv } from '../../subscribers/subscribers-csv.js';
import {
  checkOutputFile,
  DEFAULT_LISTS_FILE,
  DEFAULT_STATE_DIR,
  type LocalStore,
  loadListsFile,
  openLocalStore,
  readInputFile,
} from '../../wiring/local-files.js';
import type { SubscriberStore } from '../../ports.js';
import { type CliIo, type Command, EXIT, type ParsedArgs, UsageError } from '../command.js';

/** A CSV of a million subscribers is about 60 MB; larger is refused before it is read into memory. */
const MAX_CSV_BYTES = 256 * 1024 * 1024;

export const subscribersCommand: Command = {
  help: `Usage: newsbrief subscribers import FILE.csv --list L [--state DIR | --table T]
       newsbrief subscribers export --list L [--state DIR] [--out FILE.csv]

import  reads columns email (required), firstName, and any others as attributes; addresses are trimmed
        and their domain lower-cased; repeated addresses are merged; invalid rows are reported with their
        line numbers and nothing else is held up by them. Someone who unsubscribed, bounced or complained
        is never subscribed again by an import.
export  writes email, firstName, status and the attribute columns (to stdout unless --out is given).

Options:
  --list L       the list id (see config/lists.json)
  --state DIR    local state folder (default: ${DEFAULT_STATE_DIR})
  --table T      import: the deployed DynamoDB subscribers table instead of local state (AWS credentials and
                 region from the environment; AWS_ENDPOINT_URL is honoured)
  --out FILE     export: write here instead of stdout
  --lists FILE   lists configuration (default: config/lists.json of this project)
  -h, --help     show this help`,
  options: {
    list: { type: 'string' },
    state: { type: 'string' },
    out: { type: 'string' },
    lists: { type: 'string' },
    table: { type: 'string' },
  },
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (action === 'import') return runImport(args, rest, io);
    if (action === 'export') return runExport(args, rest, io);
    throw new UsageError(action === undefined ? 'say import or export' : `unknown action "${action}" (import or export)`);
  },
};

function listOf(args: ParsedArgs, io: CliIo): string {
  const list = args.values.list;
  if (typeof list !== 'string' || list === '') throw new UsageError('--list L is required');
  const lists = loadListsFile(args.values.lists === undefined ? DEFAULT_LISTS_FILE : resolve(io.cwd, args.values.lists as string));
  if (!lists.lists.has(list)) throw new UsageError(`unknown list "${list}" (configured lists: ${[...lists.lists.keys()].join(', ')})`);
  return list;
}

function storeOf(args: ParsedArgs, io: CliIo): LocalStore {
  return openLocalStore(resolve(io.cwd, (args.values.state as string | undefined) ?? DEFAULT_STATE_DIR));
}

async function runImport(args: ParsedArgs, rest: readonly string[], io: CliIo): Promise<number> {
  if (rest.length !== 1) throw new UsageError('give exactly one CSV file');
  const file = rest[0]!;
  const list = listOf(args, io);
  const text = readInputFile(resolve(io.cwd, file), {
    what: 'a subscriber CSV file (header line: email,firstName,…)',
    maxBytes: MAX_CSV_BYTES,
  });
  const parsed = parseSubscribersCsv(text);
  const table = args.values.table;
  if (table !== undefined && (typeof table !== 'string' || table === '')) throw new UsageError('--table needs a table name');
  // The AWS SDK is loaded only for --table: local imports never load it.
  const store: SubscriberStore =
    typeof table === 'string' ? (await import('../../wiring/aws.js')).awsSubscriberStore(io.env, table) : storeOf(args, io);
  const counts = await importSubscribers(store, list, parsed.subscribers, new Date().toISOString());
  const lines = [
    `${file}: ${counts.added} added, ${counts.updated} updated, ${parsed.merged} duplicate row(s) merged, ${parsed.problems.length} invalid row(s), ${counts.refused.length} kept as they were (left the list) — list ${list}`,
    ...parsed.problems.map((p) => `  line ${p.line}: ${p.message}`),
    ...counts.refused.map((r) => `  line ${r.line}: ${r.email} not re-subscribed: ${r.reason}`),
  ];
  io.out(lines.join('\n'));
  return parsed.problems.length > 0 ? EXIT.refused : EXIT.ok;
}

async function runExport(args: ParsedArgs, rest: readonly string[], io: CliIo): Promise<number> {
  if (rest.length !== 0) throw new UsageError('export takes no file; use --out FILE.csv');
  if (args.values.table !== undefined) throw new UsageError('export reads local state only; --table is for import');
  const list = listOf(args, io);
  const csv = subscribersToCsv(await storeOf(args, io).members(list));
  if (typeof args.values.out === 'string') {
    const out = resolve(io.cwd, args.values.out);
    checkOutputFile(out);
    writeFileSync(out, csv);
    io.err(`wrote ${args.values.out}`);
  } else (io.data ?? io.out)(csv);
  return EXIT.ok;
}
