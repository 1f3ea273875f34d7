import { readFileSync } from 'node:fs';
import { domainOf, exampleUrlFieldsOf, ListsConfigError, parseListDefinitions } from '../src/config/lists.js';

/** The seed lists file as the stack needs it: the lists to seed the lists table with, and their from-address domains. */
export interface ListsForStack {
  /** Each list as the table stores it: its id and the list object as compact JSON. Any number: none travels in an environment. */
  readonly seed: readonly { readonly id: string; readonly json: string }[];
  /** Distinct lower-case domains of the lists' from addresses: the default of the `ses:FromAddress` condition. */
  readonly fromDomains: readonly string[];
  /** One sentence per list URL that still points at the example site (news.example.com), for a synth warning. */
  readonly exampleUrls: readonly string[];
}

/** A lists file the stack cannot deploy; the message is one line naming the file. */
export class ListsFileError extends Error {
  override readonly name = 'ListsFileError';
}

/** Reads and checks the seed lists file at synth time (parses with the runtime's schema, extracts from domains). */
export function readListsFile(path: string): ListsForStack {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ListsFileError(
      `Lists file "${path}" cannot be read (${(error as Error).message}); set context "listsFile" to a readable JSON file.`,
    );
  }
  return parseListsDocument(text, path);
}

/** Same as readListsFile, for a document already in memory (`source` names it in messages). */
export function parseListsDocument(text: string, source: string): ListsForStack {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ListsFileError(`Lists file "${source}" is not valid JSON: ${(error as Error).message}`);
  }
  // The runtime's own schema: a list the functions would skip is refused at synth instead.
  let definitions: ReturnType<typeof parseListDefinitions>;
  try {
    definitions = parseListDefinitions(document, `Lists file "${source}"`);
  } catch (error) {
    if (error instanceof ListsConfigError) throw new ListsFileError(error.message.replace(/\s*\n\s*/g, ' '));
    throw error;
  }
  const fromDomains = new Set(definitions.map((list) => domainOf(list.from)));
  const exampleUrls = definitions.flatMap((list) =>
    exampleUrlFieldsOf(list).map(
      (field) =>
        `Lists file "${source}": list "${list.id}" sets ${field} to ${list[field]}, the example site, so its readers would get links nobody can follow; remove the field to use this stack's own endpoint, or set your own domain.`,
    ),
  );
  // The lists as written (not with the schema's defaults filled in), so the table holds what the file says.
  const written = (document as { lists: { id: string }[] }).lists;
  return {
    seed: written.map((list) => ({ id: list.id, json: JSON.stringify(list) })),
    fromDomains: [...fromDomains].sort(),
    exampleUrls,
  };
}
