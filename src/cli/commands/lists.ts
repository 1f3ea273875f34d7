/**
 * `newsbrief lists put|list|show|remove`: the lists are data. Locally they are the lists file (what local
 * mode reads); with --stack or --table they are the deployed lists table, which every function reads within
 * LIST_CACHE_TTL_MS, so a list changes without a deploy.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LIST_CACHE_TTL_MS, type ListStore, listsTableNameOf } from '../../config/list-directory.js';
import { exampleUrlFieldsOf, type ListDefinition, ListsConfigError, parseListDefinitions } from '../../config/lists.js';
import { DEFAULT_LISTS_FILE, ListsFileStore } from '../../wiring/local-files.js';
import { type CliIo, type Command, EXIT, type ParsedArgs, UsageError } from '../command.js';

const ACTIONS = ['put', 'list', 'show', 'remove'] as const;

export const listsCommand: Command = {
  help: `Usage: newsbrief lists put FILE   [--stack NAME | --table T | --lists FILE]
       newsbrief lists list       [--stack NAME | --table T | --lists FILE] [--json]
       newsbrief lists show ID    [--stack NAME | --table T | --lists FILE]
       newsbrief lists remove ID  [--stack NAME | --table T | --lists FILE]

Lists are data. Without --stack or --table the lists file is used (config/lists.json of this project unless
--lists names another): what npm start and the local commands read. With --stack or --table it is the
deployed lists table: the functions use a change within ${LIST_CACHE_TTL_MS / 1000} s, without a deploy.

put     FILE holds one list (an object) or a lists document ({"lists": [...]}, like config/lists.json).
        Every list is checked first; nothing is written unless all are valid. Each list is created, or
        replaced whole. Links (unsubscribeBaseUrl, archiveBaseUrl, confirmBaseUrl) are optional: without
        them a list uses the stack's own endpoints; set them only for a custom domain.
list    one line per list: id, name, sender, and whether its links are its own or the stack's
show    the list as stored (JSON)
remove  deletes a list (its subscribers and issues stay; a brief for it is refused until it is back)

Options:
  --stack NAME   the deployed stack (its lists table is NAME-lists)
  --table T      the lists table by name (stack output ListsTableName)
  --lists FILE   the local lists file (default: config/lists.json of this project)
  --json         list: print the lists as one JSON document
  -h, --help     show this help`,
  options: { stack: { type: 'string' }, table: { type: 'string' }, lists: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw new UsageError(action === undefined ? `say ${ACTIONS.join(', ')}` : `unknown action "${action}" (${ACTIONS.join(', ')})`);
    const wanted = action === 'list' ? 0 : 1;
    if (rest.length !== wanted)
      throw new UsageError(wanted === 0 ? 'list takes no arguments' : `${action} takes one ${action === 'put' ? 'FILE' : 'ID'}`);
    const { store, where, deployed } = await storeOf(args, io);

    if (action === 'list') {
      const lists = await store.readAll();
      const json = `${JSON.stringify({ lists }, null, 2)}\n`;
      if (args.values.json) (io.data ?? io.out)(json);
      else io.out(lists.length === 0 ? `${where}: no lists` : lists.map(lineOf).join('\n'));
      return EXIT.ok;
    }
    if (action === 'show') {
      const list = await store.get(rest[0]!);
      if (!list) return notFound(io, rest[0]!, where);
      io.out(JSON.stringify(list, null, 2));
      return EXIT.ok;
    }
    if (action === 'remove') {
      if (!(await store.remove(rest[0]!))) return notFound(io, rest[0]!, where);
      io.out(`${where}: removed list "${rest[0]}"${deployed ? ` (the functions stop using it within ${LIST_CACHE_TTL_MS / 1000} s)` : ''}`);
      return EXIT.ok;
    }

    const file = resolve(io.cwd, rest[0]!);
    const lists = readListsToPut(file, io);
    if (!lists) return EXIT.refused;
    const at = new Date().toISOString();
    for (const list of lists) await store.put(list, at);
    for (const list of lists) {
      for (const field of exampleUrlFieldsOf(list)) {
        io.err(
          `warning: list "${list.id}" sets ${field} to ${list[field]}, the example site: readers would get links nobody can follow (remove the field to use the stack's own endpoint)`,
        );
      }
    }
    io.out(
      `${where}: put ${lists.length} list(s): ${lists.map((l) => l.id).join(', ')}${deployed ? `; the functions use them within ${LIST_CACHE_TTL_MS / 1000} s` : ''}`,
    );
    return EXIT.ok;
  },
};

async function storeOf(args: ParsedArgs, io: CliIo): Promise<{ store: ListStore; where: string; deployed: boolean }> {
  const { stack, table, lists } = args.values;
  const given = [stack, table, lists].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('give one of --stack, --table or --lists');
  for (const [name, value] of [
    ['--stack', stack],
    ['--table', table],
    ['--lists', lists],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new UsageError(`${name} needs a value`);
  }
  if (typeof stack === 'string' || typeof table === 'string') {
    const name = typeof table === 'string' ? table : listsTableNameOf(stack as string);
    // The AWS SDK is loaded only against a stack: local commands never load it.
    const { awsListStore } = await import('../../wiring/aws/lists.js');
    return { store: awsListStore(io.env, name), where: `table ${name}`, deployed: true };
  }
  const path = typeof lists === 'string' ? resolve(io.cwd, lists) : DEFAULT_LISTS_FILE;
  return { store: new ListsFileStore(path), where: path, deployed: false };
}

// One list (an object) or a lists document; every problem is printed with the list it belongs to and its field.
function readListsToPut(file: string, io: CliIo): ListDefinition[] | undefined {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const wrapped = document !== null && typeof document === 'object' && 'lists' in document ? document : { lists: [document] };
  try {
    return parseListDefinitions(wrapped, file);
  } catch (error) {
    if (!(error instanceof ListsConfigError)) throw error;
    const raw = (wrapped as { lists?: unknown[] }).lists;
    for (const problem of error.problems) io.err(`${file}: ${describeProblem(problem.pointer, raw)}: ${problem.message}`);
    io.err(`${file}: nothing was written`);
    return undefined;
  }
}

/** `/lists/2/breaker/maxBounceRate` → `list "weekly", field breaker.maxBounceRate` (the index when the id is unusable). */
export function describeProblem(pointer: string, lists: unknown[] | undefined): string {
  const [, top, index, ...field] = pointer.split('/');
  if (top !== 'lists' || index === undefined) return pointer || 'the document';
  const id = (lists?.[Number(index)] as { id?: unknown } | undefined)?.id;
  const name = typeof id === 'string' && id !== '' ? `list "${id}"` : `list #${Number(index) + 1}`;
  return field.length > 0 ? `${name}, field ${field.join('.')}` : name;
}

function lineOf(list: ListDefinition): string {
  const own = list.unsubscribeBaseUrl !== undefined || list.archiveBaseUrl !== undefined ? 'own links' : "stack's links";
  return `${list.id.padEnd(24)} ${list.displayName}  from ${list.from}  (${own})`;
}

function notFound(io: CliIo, id: string, where: string): number {
  io.err(`newsbrief lists: ${where} has no list "${id}"`);
  return EXIT.refused;
}
