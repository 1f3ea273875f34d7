/**
 * `newsbrief subscribers import|export|show|update|forget|doctor`: a list's subscriber data, in the local store
 * or (with --table) in the deployed DynamoDB table. The import streams its file in batches (flat memory) and
 * shows a progress line on a terminal (stderr); `--json` prints one JSON document for scripts.
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ListsConfig } from '../../config/lists.js';
import {
  READER_HISTORY_ISSUES,
  type ReaderHistoryDeps,
  type ReaderIssue,
  readerHistoryOfStore,
  readReaderHistory,
} from '../../engagement/reader-history.js';
import { renderedLinks } from '../../engagement/rendered-links.js';
import type { Subscriber } from '../../model.js';
import type { SubscriberAdmin, SubscriberStore } from '../../ports.js';
import { emailKey, isPlausibleAddress, normalizeEmail } from '../../subscribers/email-address.js';
import { forgetSubscriber, isForgotten } from '../../subscribers/forget-subscriber.js';
import { type ImportCounts, type ImportProgress, importSubscribers } from '../../subscribers/import-subscribers.js';
import { type CsvItem, SubscriberCsvReader } from '../../subscribers/parse-csv.js';
import { attributeNamesOf, csvHeader, csvRows } from '../../subscribers/subscribers-csv.js';
import { changeProblems, updateSubscriber } from '../../subscribers/update-subscriber.js';
import { checkOutputFile, DEFAULT_STATE_DIR, openLocalBlobs, openLocalStore } from '../../wiring/local-files.js';
import { type CliIo, type Command, EXIT, type ParsedArgs, UsageError } from '../command.js';
import { checkListsOptions, LISTS_OPTIONS, type ListsTarget, stackOption, targetLists } from '../target-lists.js';

/** Exit code of an import that wrote every valid row but found invalid ones (listed by line). */
export const EXIT_PARTLY_IMPORTED = 3;

/** Members read per page by export and doctor. */
const PAGE = 1000;

export const subscribersCommand: Command = {
  help: `Usage: newsbrief subscribers import FILE.csv --list L [--json]
       newsbrief subscribers export --list L [--out FILE.csv]
       newsbrief subscribers show EMAIL [--list L] [--json] [--ledger-table T]
       newsbrief subscribers update EMAIL --list L [--first-name NAME] [--field NAME=VALUE ...] [--tag T ...] [--untag T ...]
       newsbrief subscribers forget EMAIL [--list L]
       newsbrief subscribers doctor --list L [--fix]
  each with [--state DIR | --table T | --stack NAME] [--lists-table T | --lists FILE]

Addresses match case-insensitively everywhere: Ada@Example.org and ada@example.org are one subscriber
(shown and mailed as first written).

import  reads columns email (required), firstName, status (optional) and any others as attributes; repeated
        addresses are merged; a row for someone who unsubscribed, bounced or complained never subscribes them
        again, and a forgotten address is skipped ("suppressed"). Exit 0 when every valid row is in, 3 when
        some rows were invalid (each listed with its line number; the rest are imported), 1 when none was valid.
        A progress line is shown on a terminal.
export  writes email, firstName, status and the attribute columns (stdout unless --out is given); importing
        the file elsewhere keeps everyone who left as having left.
show    prints the member in each list (every configured list unless --list is given), and what they got of
        the list's last ${READER_HISTORY_ISSUES} issues: delivered, opened, the links clicked, left through it. From local
        state, or the deployment's ledger (--stack, or --table with --ledger-table T; AWS reads the ledger's
        issuesByList index and BatchGetItem of the reader's items).
update  corrects the first name (--first-name "" removes it), attributes (--field city=Paris; --field city=
        removes it) and tags (--tag premium, --untag premium). The status is not edited here.
forget  erases the person's data from every configured list (or only --list L) and keeps only a salted hash of
        the address on the deployment's suppression list, so that no import adds them again.
doctor  finds members stored under differently-cased copies of one address (written before addresses matched
        case-insensitively); --fix merges each group into one member (the status that mails least wins,
        the oldest id is kept so that links already mailed keep working).

Options:
  --list L           the list id (see config/lists.json)
  --state DIR        local state folder (default: ${DEFAULT_STATE_DIR})
  --table T          the deployed DynamoDB subscribers table (stack output SubscribersTableName) instead of
                     local state; AWS credentials and region from the environment, AWS_ENDPOINT_URL honoured
  --stack NAME       the subscribers table of the deployed stack NAME (its SubscribersTableName output)
  --ledger-table T   show, with --table: the deployed ledger table (stack output LedgerTableName) for the history
  --out FILE         export: write here instead of stdout
  --json             import, show: one JSON document on stdout
  --first-name NAME  update: the new first name
  --field NAME=VALUE update: an attribute to set (repeat the option for several)
  --tag T, --untag T update: a tag to add or remove (repeat for several; a brief's audience selects by tag)
  --fix              doctor: merge what it found
  --lists-table T    the deployed lists table to check list ids against (stack output ListsTableName;
                     --stack reads the stack's own)
  --lists FILE       the lists file to check against (default without --stack: config/lists.json of this project)
  -h, --help         show this help`,
  options: {
    list: { type: 'string' },
    state: { type: 'string' },
    out: { type: 'string' },
    ...LISTS_OPTIONS,
    table: { type: 'string' },
    stack: { type: 'string' },
    'ledger-table': { type: 'string' },
    json: { type: 'boolean' },
    'first-name': { type: 'string' },
    field: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    untag: { type: 'string', multiple: true },
    fix: { type: 'boolean' },
  },
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    const run = action === undefined ? undefined : ACTIONS[action];
    if (!run)
      throw new UsageError(
        action === undefined
          ? `say one of ${Object.keys(ACTIONS).join(', ')}`
          : `unknown action "${action}" (${Object.keys(ACTIONS).join(', ')})`,
      );
    // Opened by the action once its arguments are checked: a usage error creates no state folder.
    let opened: Target | undefined;
    const open = async () => {
      opened ??= await openTarget(args, io);
      return opened;
    };
    try {
      return await run(args, rest, io, open);
    } finally {
      opened?.store.close?.();
    }
  },
};

type Store = SubscriberStore & SubscriberAdmin & { close?(): void };
/** Where the command works: the store, and the ids of the lists there (the deployed lists table with --stack, else the lists file). */
interface Target {
  readonly store: Store;
  listIds(): Promise<string[]>;
  /** The lists there (for their tracking settings). */
  lists(): Promise<ListsConfig>;
  /** Where a reader's history is read: local state, or the deployment's ledger; absent when the ledger is not known. */
  readonly history?: ReaderHistoryDeps | undefined;
  /**
   * Rows an import decides and writes together. DynamoDB batches at 25 items a request whatever this is; the local
   * database commits once per batch, and a commit is its cost (20,000-row batches take half the CPU of 5,000).
   */
  readonly importBatchSize?: number;
}
type Action = (args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>) => Promise<number>;

const ACTIONS: Record<string, Action> = {
  import: runImport,
  export: runExport,
  show: runShow,
  update: runUpdate,
  forget: runForget,
  doctor: runDoctor,
};

function requestedList(args: ParsedArgs): string {
  const list = args.values.list;
  if (typeof list !== 'string' || list === '') throw new UsageError('--list L is required');
  return list;
}

// The list named by --list, known where the command works.
async function listOf(args: ParsedArgs, target: Target): Promise<string> {
  return knownList(requestedList(args), await target.listIds());
}

function knownList(list: string, known: readonly string[]): string {
  if (!known.includes(list)) throw new UsageError(`unknown list "${list}" (lists: ${known.join(', ')})`);
  return list;
}

// --list L, or every list where the command works.
async function listsOf(args: ParsedArgs, target: Target): Promise<string[]> {
  return args.values.list === undefined ? target.listIds() : [await listOf(args, target)];
}

async function openTarget(args: ParsedArgs, io: CliIo): Promise<Target> {
  const table = args.values.table;
  if (table !== undefined && (typeof table !== 'string' || table === '')) throw new UsageError('--table needs a table name');
  const stack = stackOption(args.values);
  if ([table, stack, args.values.state].filter((v) => v !== undefined).length > 1)
    throw new UsageError('give one of --state, --table and --stack');
  const ledgerTable = args.values['ledger-table'];
  if (ledgerTable !== undefined && (typeof ledgerTable !== 'string' || ledgerTable === '' || typeof table !== 'string'))
    throw new UsageError('--ledger-table T goes with --table (--stack knows its ledger)');
  checkListsOptions(args.values);
  // The AWS SDK is loaded only for --table or --stack: local commands never load it.
  if (typeof stack === 'string') {
    const deployed = await (await import('../../wiring/aws.js')).awsSubscribersOfStack(io.env, stack);
    const where: ListsTarget = { kind: 'stack', listsTable: deployed.listsTable };
    let found: Promise<ListsConfig> | undefined;
    const lists = () => (found ??= targetLists(args.values, io, where).then((t) => t.lists));
    const history = deployed.ledgerTable
      ? (await import('../../wiring/aws-lifecycle.js')).createAwsReaderHistoryDeps(io.env, deployed.ledgerTable, deployed.briefsBucket)
      : undefined;
    return { store: deployed.store, listIds: async () => [...(await lists()).lists.keys()], lists, history };
  }
  // The lists are read, and the list checked, before the table is reached or the state folder opened (or created).
  // --table alone keeps checking against the lists file, as it did before lists were data (--lists-table reads
  // the deployed ones).
  const config = (await targetLists(args.values, io, { kind: 'local' })).lists;
  const ids = [...config.lists.keys()];
  const listIds = async () => ids;
  const lists = async () => config;
  if (typeof args.values.list === 'string') knownList(args.values.list, ids);
  if (typeof table === 'string') {
    const store = (await import('../../wiring/aws.js')).awsSubscriberStore(io.env, table);
    const history =
      typeof ledgerTable === 'string'
        ? (await import('../../wiring/aws-lifecycle.js')).createAwsReaderHistoryDeps(io.env, ledgerTable)
        : undefined;
    return { store, listIds, lists, history };
  }
  const stateDir = resolve(io.cwd, (args.values.state as string | undefined) ?? DEFAULT_STATE_DIR);
  const store = openLocalStore(stateDir, io.err);
  return {
    store,
    listIds,
    lists,
    importBatchSize: LOCAL_IMPORT_BATCH_ROWS,
    history: readerHistoryOfStore(store, renderedLinks(openLocalBlobs(stateDir))),
  };
}

const LOCAL_IMPORT_BATCH_ROWS = 20_000;

function addressOf(rest: readonly string[]): string {
  if (rest.length !== 1) throw new UsageError('give exactly one e-mail address');
  const email = normalizeEmail(rest[0]!);
  if (!isPlausibleAddress(email)) throw new UsageError(`"${rest[0]}" is not an e-mail address`);
  return email;
}

// ── import ─────────────────────────────────────────────────────────────────────

async function runImport(args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>): Promise<number> {
  if (rest.length !== 1) throw new UsageError('give exactly one CSV file');
  const file = rest[0]!;
  requestedList(args);
  const path = resolve(io.cwd, file);
  checkInputFile(path);
  const target = await open();
  const list = await listOf(args, target);
  const { store } = target;
  const started = performance.now();
  const progress = process.stderr.isTTY ? progressLine(started) : undefined;
  let counts: ImportCounts;
  try {
    counts = await importSubscribers(store, list, readCsv(path), new Date().toISOString(), {
      onProgress: progress?.draw,
      ...(target.importBatchSize !== undefined ? { batchSize: target.importBatchSize } : {}),
    });
  } finally {
    progress?.done();
  }
  const seconds = (performance.now() - started) / 1000;
  const valid = counts.added + counts.updated + counts.unchanged + counts.refusedTotal + counts.suppressedTotal;
  const code = counts.invalid === 0 ? EXIT.ok : valid > 0 ? EXIT_PARTLY_IMPORTED : EXIT.refused;
  if (args.values.json) {
    io.out(
      JSON.stringify({
        file,
        list,
        added: counts.added,
        updated: counts.updated,
        unchanged: counts.unchanged,
        merged: counts.merged,
        invalid: counts.invalid,
        problems: counts.problems,
        left: counts.refusedTotal,
        refused: counts.refused.map((r) => ({ line: r.line, email: r.email, reason: r.reason })),
        suppressedTotal: counts.suppressedTotal,
        suppressed: counts.suppressed,
        seconds: Math.round(seconds * 1000) / 1000,
        exitCode: code,
      }),
    );
    return code;
  }
  const lines = [
    `${file}: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.merged} duplicate row(s) merged, ${counts.invalid} invalid row(s), ${counts.refusedTotal} kept as they were (left the list), ${counts.suppressedTotal} suppressed (forgotten on request) — list ${list}, ${seconds.toFixed(1)} s`,
    ...counts.problems.map((p) => `  line ${p.line}: ${p.message}`),
    ...(counts.invalid > counts.problems.length ? [`  … and ${counts.invalid - counts.problems.length} more invalid row(s)`] : []),
    ...counts.refused.map((r) => `  line ${r.line}: ${r.email} not re-subscribed: ${r.reason}`),
    ...(counts.refusedTotal > counts.refused.length
      ? [`  … and ${counts.refusedTotal - counts.refused.length} more kept as they were`]
      : []),
    ...counts.suppressed.map((s) => `  line ${s.line}: suppressed: this address was forgotten on request and is not imported`),
    ...(counts.suppressedTotal > counts.suppressed.length
      ? [`  … and ${counts.suppressedTotal - counts.suppressed.length} more suppressed`]
      : []),
  ];
  if (code === EXIT_PARTLY_IMPORTED)
    lines.push(`partly imported: fix the lines above and import the file again (rows already in are unchanged)`);
  io.out(lines.join('\n'));
  return code;
}

// Refused at once and by name: a folder, or a pipe that would keep the import waiting for a writer.
function checkInputFile(path: string): void {
  const what = 'give a subscriber CSV file (header line: email,firstName,…)';
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message}`,
    );
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new Error(`cannot read ${path}: it is a folder; ${what}`);
    if (!stats.isFile())
      throw new Error(`cannot read ${path}: it is ${stats.isFIFO() ? 'a named pipe' : 'not a regular file'}, not a file; ${what}`);
  } finally {
    closeSync(fd);
  }
}

// The file in 1 MiB chunks through the incremental reader: a file of any size in flat memory.
async function* readCsv(path: string): AsyncGenerator<CsvItem> {
  const reader = new SubscriberCsvReader();
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) yield* reader.push(chunk as string);
  yield* reader.end();
}

// One line on stderr, redrawn in place; cleared when done so that the summary follows on a clean line.
function progressLine(started: number): { draw: (p: ImportProgress) => void; done: () => void } {
  let drawn = false;
  return {
    draw(p) {
      const rate = p.rows / Math.max(0.001, (performance.now() - started) / 1000);
      process.stderr.write(
        `\r\x1b[K${p.rows.toLocaleString('en-US')} rows: ${p.added} added, ${p.updated} updated, ${p.unchanged} unchanged, ${p.invalid} invalid — ${Math.round(rate).toLocaleString('en-US')} rows/s`,
      );
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

// ── export ─────────────────────────────────────────────────────────────────────

async function runExport(args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>): Promise<number> {
  if (rest.length !== 0) throw new UsageError('export takes no file; use --out FILE.csv');
  requestedList(args);
  const target = await open();
  const list = await listOf(args, target);
  const { store } = target;
  // Two passes over the pages: the header names every attribute, so the names come first.
  const names = new Set<string>();
  for await (const page of pages(store, list)) attributeNamesOf(page, names);
  const attributeNames = [...names].sort();
  const out = typeof args.values.out === 'string' ? resolve(io.cwd, args.values.out) : undefined;
  if (out) checkOutputFile(out);
  const fd = out ? openSync(out, 'w') : undefined;
  const write = (text: string) => (fd === undefined ? (io.data ?? io.out)(text) : writeSync(fd, text));
  let count = 0;
  try {
    write(csvHeader(attributeNames));
    for await (const page of pages(store, list)) {
      if (page.length > 0) write(csvRows(page, attributeNames));
      count += page.length;
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (out) io.err(`wrote ${args.values.out}: ${count} member(s) of ${list}`);
  return EXIT.ok;
}

async function* pages(store: Store, list: string): AsyncGenerator<readonly Subscriber[]> {
  let cursor: string | undefined;
  do {
    const page = await store.pageMembers(list, cursor, PAGE);
    yield page.subscribers;
    cursor = page.next;
  } while (cursor !== undefined);
}

// ── show, update, forget ───────────────────────────────────────────────────────

async function runShow(args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>): Promise<number> {
  const email = addressOf(rest);
  const target = await open();
  const lists = await listsOf(args, target);
  const { store } = target;
  const found: Subscriber[] = [];
  for (const list of lists) {
    const member = (await store.getMany(list, [email])).get(emailKey(email));
    if (member) found.push(member);
  }
  const forgotten = await isForgotten(store, email);
  const config = await target.lists();
  const histories = target.history
    ? await Promise.all(
        found.map(async (member) => {
          const tracking = config.lists.get(member.list)?.tracking;
          const history = await readReaderHistory(target.history!, member, {
            opens: tracking?.opens === true,
            clicks: tracking?.clicks === true,
          });
          return { list: member.list, ...history };
        }),
      )
    : undefined;
  if (args.values.json) io.out(JSON.stringify({ email, forgotten, members: found, ...(histories ? { histories } : {}) }));
  else if (found.length === 0)
    io.out(forgotten ? `${email}: forgotten on request (only a hash is kept; never imported again)` : `${email}: not a member of any list`);
  else
    io.out(
      found
        .map((member, i) => {
          const history = histories?.[i];
          return [
            describeMember(member),
            ...(history
              ? describeHistory(history)
              : ['  history    not read: --table names no ledger (give --ledger-table T, or --stack NAME)']),
          ].join('\n');
        })
        .join('\n'),
    );
  return found.length > 0 || forgotten ? EXIT.ok : EXIT.refused;
}

// Newest issue first, one line each: what was delivered, opened, clicked, and whether they left through it.
function describeHistory(history: { readonly issues: readonly ReaderIssue[]; readonly examined: number }): string[] {
  const head = `  history    ${history.issues.length} of the list's last ${history.examined} issue(s) sent to them`;
  return [
    head,
    ...history.issues.map((row) => {
      const parts = [`${row.delivery.status}${row.delivery.completedAt ? ` ${row.delivery.completedAt}` : ''}`];
      if (row.opened !== undefined)
        parts.push(`opened ${row.opened === 'human' ? 'yes' : row.opened === 'machine' ? 'by a machine only' : 'no'}`);
      if (row.clicked !== undefined) {
        const named = row.clicked.map((link) => `#${link.position} ${link.text || link.url}`);
        parts.push(
          `clicked ${named.length > 0 ? named.join(', ') : row.clickedAny ? 'yes' : row.machineClick ? 'by a scanner only' : 'no'}`,
        );
      }
      if (row.leftHere) parts.push('left through this issue');
      return `    ${row.issue}  ${parts.join('  ')}`;
    }),
  ];
}

function describeMember(m: Subscriber): string {
  const attributes = Object.entries(m.attributes ?? {}).map(([k, v]) => `  ${k.padEnd(10)} ${v}`);
  return [
    `${m.email} — list ${m.list}`,
    `  status     ${m.status}`,
    `  firstName  ${m.firstName ?? '(none)'}`,
    `  id         ${m.id}`,
    `  created    ${m.createdAt}`,
    `  updated    ${m.updatedAt}`,
    ...(attributes.length > 0 ? ['  attributes', ...attributes.map((a) => `  ${a}`)] : []),
  ].join('\n');
}

async function runUpdate(args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>): Promise<number> {
  const email = addressOf(rest);
  requestedList(args);
  const fields: Record<string, string> = {};
  for (const field of (args.values.field as string[] | undefined) ?? []) {
    const at = field.indexOf('=');
    if (at < 1) throw new UsageError(`--field ${field}: say NAME=VALUE (an empty VALUE removes the attribute)`);
    const name = field.slice(0, at).trim();
    if (['email', 'firstname', 'first_name', 'status'].includes(name.toLowerCase()))
      throw new UsageError(`--field ${name}: not an attribute (use --first-name; the address and status are not edited here)`);
    fields[name] = field.slice(at + 1).trim();
  }
  const firstName = args.values['first-name'] as string | undefined;
  const addTags = (args.values.tag as string[] | undefined) ?? [];
  const removeTags = (args.values.untag as string[] | undefined) ?? [];
  if (firstName === undefined && Object.keys(fields).length === 0 && addTags.length === 0 && removeTags.length === 0)
    throw new UsageError('say what to change: --first-name NAME, --field NAME=VALUE, --tag T and/or --untag T');
  const changes = { firstName: firstName?.trim(), fields, addTags, removeTags };
  const problems = changeProblems(changes);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const target = await open();
  const list = await listOf(args, target);
  const updated = await updateSubscriber(target.store, list, email, changes, new Date().toISOString());
  if (!updated) {
    io.err(`${email}: not a member of ${list}`);
    return EXIT.refused;
  }
  io.out(describeMember(updated));
  return EXIT.ok;
}

async function runForget(args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>): Promise<number> {
  const email = addressOf(rest);
  const target = await open();
  const lists = await listsOf(args, target);
  const result = await forgetSubscriber(target.store, email, lists, new Date().toISOString());
  io.out(
    `${email}: ${result.erasedFrom.length > 0 ? `erased from ${result.erasedFrom.join(', ')}` : 'no member data found'}; added to the suppression list (a salted hash only): no import adds this address again`,
  );
  return EXIT.ok;
}

// ── doctor ─────────────────────────────────────────────────────────────────────

async function runDoctor(args: ParsedArgs, rest: readonly string[], io: CliIo, open: () => Promise<Target>): Promise<number> {
  if (rest.length !== 0) throw new UsageError('doctor takes no file');
  requestedList(args);
  const fix = args.values.fix === true;
  const target = await open();
  const list = await listOf(args, target);
  const repairs = await target.store.repairKeys(list, { apply: fix, at: new Date().toISOString() });
  if (repairs.length === 0) {
    io.out(`${list}: every member is stored under its case-insensitive key; no case duplicates`);
    return EXIT.ok;
  }
  const lines = repairs.map(
    (r) =>
      `  ${r.found.map((m) => `${m.email} (${m.status})`).join(' + ')} → ${r.merged.email} (${r.merged.status})${r.found.length > 1 ? '' : ' [re-keyed]'}`,
  );
  const duplicates = repairs.filter((r) => r.found.length > 1).length;
  io.out(
    [
      `${list}: ${repairs.length} address(es) stored under a case-sensitive key, ${duplicates} of them with case duplicates${fix ? ' — merged' : ''}:`,
      ...lines,
      ...(fix
        ? []
        : [
            `run: newsbrief subscribers doctor --list ${list} --fix${args.values.table ? ` --table ${args.values.table}` : ''}${args.values.stack ? ` --stack ${args.values.stack}` : ''} to merge them`,
          ]),
    ].join('\n'),
  );
  return fix ? EXIT.ok : EXIT.refused;
}
