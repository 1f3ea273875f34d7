import { readFileSync } from 'node:fs';

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
    throw new ListsFileError(`Lists file "${path}" cannot be read (${(error as Error).message}); set context "listsFile" to a readable JSON file.`);
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
  const lists = (document as { lists?: unknown } | null)?.lists;
  if (!Array.isArray(lists) || lists.length === 0) {
    throw new ListsFileError(`Lists file "${source}" must be an object with a non-empty "lists" array.`);
  }

  const fromDomains = new Set<string>();
  lists.forEach((list: unknown, index) => {
    const from = (list as { from?: unknown } | null)?.from;
    const domain = typeof from === 'string' ? domainOf(from) : undefined;
    if (!domain) {
      throw new ListsFileError(`Lists file "${source}": /lists/${index}/from must be an address such as "Name <news@example.com>".`);
    }
    fromDomains.add(domain);
  });

  const json = JSON.stringify(document);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > LISTS_JSON_MAX_BYTES) {
    throw new ListsFileError(
      `Lists file "${source}" is ${bytes} bytes as compact JSON; at most ${LISTS_JSON_MAX_BYTES} fit beside the other variables in Lambda's 4 KB environment.`,
    );
  }
  return { json, fromDomains: [...fromDomains].sort() };
}

// Accepts `addr@domain` and `Display Name <addr@domain>`.
function domainOf(from: string): string | undefined {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  const match = /^[^\s@<>]+@([a-z0-9.-]+\.[a-z]{2,63})$/i.exec(address.trim());
  return match?.[1]?.toLowerCase();
}
