/**
 * The lists a command checks list ids against. Lists are data: a deployment's live in its lists table (what its
 * functions read), so a command working on a deployment reads them there: the stack's lists table with
 * --stack, or --lists-table T. The lists file is read locally, or when --lists FILE names it; a command that
 * reaches AWS only by a bucket or table name knows no lists table, and says which option it needs instead of
 * guessing from a file that may differ from what is deployed.
 */
import { resolve } from 'node:path';
import type { ListsConfig } from '../config/lists.js';
import { DEFAULT_LISTS_FILE, loadListsFile } from '../wiring/local-files.js';
import { type CliIo, type ParsedArgs, UsageError } from './command.js';

/** The options that say where the lists are (each command that checks list ids takes them). */
export const LISTS_OPTIONS = {
  lists: { type: 'string' },
  'lists-table': { type: 'string' },
} as const;

/** The help lines of LISTS_OPTIONS. */
export const LISTS_OPTIONS_HELP = `  --lists-table T    check list ids against this deployed lists table (stack output ListsTableName;
                     --stack NAME reads the stack's own)
  --lists FILE       check against this lists file instead (default when local: config/lists.json of this project)`;

/**
 * Where the command works: locally; on a stack it found by name (whose lists table it knows); or on AWS
 * resources named without their stack (`by` is the option that named them, e.g. "--bucket").
 */
export type ListsTarget =
  | { readonly kind: 'local' }
  | { readonly kind: 'stack'; readonly listsTable: string }
  | { readonly kind: 'aws'; readonly by: string };

/** The lists, and where they were read (for messages). */
export interface TargetLists {
  readonly lists: ListsConfig;
  readonly where: string;
}

/** Refuses an empty or doubled lists option; call before any I/O so that a usage error costs nothing. */
export function checkListsOptions(values: ParsedArgs['values']): void {
  const file = values.lists;
  const table = values['lists-table'];
  if (file !== undefined && (typeof file !== 'string' || file === '')) throw new UsageError('--lists needs a file');
  if (table !== undefined && (typeof table !== 'string' || table === '')) throw new UsageError('--lists-table needs a table name');
  if (file !== undefined && table !== undefined) throw new UsageError('give either --lists FILE or --lists-table T');
}

/** The lists of `target`: --lists FILE, else --lists-table T, else the stack's lists table, else (locally) the default lists file. */
export async function targetLists(values: ParsedArgs['values'], io: CliIo, target: ListsTarget): Promise<TargetLists> {
  checkListsOptions(values);
  if (typeof values.lists === 'string') {
    const path = resolve(io.cwd, values.lists);
    return { lists: loadListsFile(path), where: path };
  }
  const table = typeof values['lists-table'] === 'string' ? values['lists-table'] : target.kind === 'stack' ? target.listsTable : undefined;
  if (table !== undefined) {
    // The AWS SDK is loaded only for a deployed lists table: local commands never load it.
    const { readAwsLists } = await import('../wiring/aws-stack.js');
    return { lists: await readAwsLists(io.env, table), where: `lists table ${table}` };
  }
  if (target.kind === 'aws')
    throw new UsageError(
      `${target.by} names a deployment but not its lists: give --stack NAME (the deployed stack), --lists-table T (its ListsTableName output) or --lists FILE`,
    );
  return { lists: loadListsFile(DEFAULT_LISTS_FILE), where: DEFAULT_LISTS_FILE };
}

/** `id` when `lists` has it; otherwise a usage error naming the lists there are, and where they were read. */
export function knownListOf(found: TargetLists, id: string): string {
  if (found.lists.lists.has(id)) return id;
  const ids = [...found.lists.lists.keys()];
  throw new UsageError(`unknown list "${id}" (lists: ${ids.length > 0 ? ids.join(', ') : 'none'}; read from ${found.where})`);
}

/** The value of --stack: undefined when not given; a usage error when empty. */
export function stackOption(values: ParsedArgs['values']): string | undefined {
  const stack = values.stack;
  if (stack !== undefined && (typeof stack !== 'string' || stack === '')) throw new UsageError('--stack needs a stack name');
  return stack as string | undefined;
}

/**
 * The ledger table a command reads (the LedgerTableName output of --stack NAME, else --table T; undefined when it
 * works locally), the briefs bucket when --stack names it, and the lists of that place. The caller has refused
 * conflicting options.
 */
export async function ledgerAndLists(
  values: ParsedArgs['values'],
  io: CliIo,
): Promise<{ readonly ledgerTable: string | undefined; readonly briefsBucket?: string | undefined; readonly found: TargetLists }> {
  const stack = stackOption(values);
  if (stack !== undefined) {
    // Loaded only against a stack: local commands never load the AWS SDK.
    const resources = await (await import('../wiring/aws-stack.js')).readStackResources(io.env, stack);
    const found = await targetLists(values, io, { kind: 'stack', listsTable: resources.listsTable });
    return { ledgerTable: resources.require('LedgerTableName'), briefsBucket: resources.outputs.get('BriefsBucketName'), found };
  }
  const table = values.table as string | undefined;
  return {
    ledgerTable: table,
    found: await targetLists(values, io, table === undefined ? { kind: 'local' } : { kind: 'aws', by: '--table' }),
  };
}
