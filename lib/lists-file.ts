import { readFileSync } from 'node:fs';
import { domainOf, ListsConfigError, parseListsConfig } from '../src/config/lists.js';

/** The lists file as the stack needs it: compact JSON for the functions and the from-address domains for IAM. */
export interface ListsForStack {
  /** The whole document, re-serialized without whitespace (it travels in a Lambda environment variable). */
  readonly json: string;
  /** Distinct lower-case domains of the lists' from addresses, for the `ses:FromAddress` condition. */
  readonly fromDomains: readonly string[];
}

/**
 * Bytes of the 4 KB Lambda environment left for the lists JSON: the other variables (names, ARNs,
 * queue URLs, their keys) take up to about 1 KB once CloudFormation resolves them.
 */
export const LISTS_JSON_MAX_BYTES = 3072;

/** A lists file the stack cannot deploy; the message is one line naming the file. */
export class ListsFileError extends Error {
  override readonly name = 'ListsFileError';
}

/** Reads and checks a lists file at synth time (parses, extracts from domains, enforces the env size budget). */
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
  // The runtime's own schema: a list the functions would refuse at cold start is refused at synth instead.
  let config: ReturnType<typeof parseListsConfig>;
  try {
    config = parseListsConfig(document, `Lists file "${source}"`);
  } catch (error) {
    if (error instanceof ListsConfigError) throw new ListsFileError(error.message.replace(/\s*\n\s*/g, ' '));
    throw error;
  }
  const fromDomains = new Set([...config.lists.values()].map((list) => domainOf(list.from)));

  const json = JSON.stringify(document);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > LISTS_JSON_MAX_BYTES) {
    throw new ListsFileError(
      `Lists file "${source}" is ${bytes} bytes as compact JSON; at most ${LISTS_JSON_MAX_BYTES} fit beside the other variables in Lambda's 4 KB environment.`,
    );
  }
  return { json, fromDomains: [...fromDomains].sort() };
}
