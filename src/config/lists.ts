/**
 * The lists configuration: who sends each newsletter and how its links are built.
 * Parsed and checked here, once; the CLI, the local studio and the Lambdas all read it through this module.
 */
import { checkListsDocument, type ListDefinition, type ListsDocumentIssue } from './check-lists-document.js';
import { type Problem, toPointer } from './problems.js';

export type { ListBreakerOverrides, ListDefinition } from './check-lists-document.js';

/** One list as the use-cases see it: its public URLs resolved (its own override, else the deployment's endpoint). */
export type ListConfig = Omit<ListDefinition, 'unsubscribeMailto'> & {
  readonly unsubscribeBaseUrl: string;
  readonly archiveBaseUrl: string;
  /** The deployment's mailbox for mail unsubscribes (ListEndpoints); absent, messages carry no `mailto:`. */
  readonly unsubscribeMailto?: string | undefined;
};

/** The public endpoints of one deployment, used by every list that does not override them. */
export interface ListEndpoints {
  /** The unsubscribe endpoint (`?t=` is added). */
  readonly unsubscribeBaseUrl: string;
  /** The web archive (`<url>/<list>/<id>.html`). */
  readonly archiveBaseUrl: string;
  /** Where confirmation links point (`?t=` is added); the subscribe endpoint's own /confirm when absent. */
  readonly confirmBaseUrl?: string | undefined;
  /** The mailbox an SES receipt rule serves for mail unsubscribes; absent, no message advertises a `mailto:`. */
  readonly unsubscribeMailbox?: string | undefined;
}

/**
 * The example site's endpoints: what links point at where no deployment is known (previews rendered by the
 * CLI, tests). Local mode points them at the studio instead (localLists); a deployed stack passes its own.
 */
export const EXAMPLE_ENDPOINTS: ListEndpoints = {
  unsubscribeBaseUrl: 'https://news.example.com/unsubscribe',
  archiveBaseUrl: 'https://news.example.com/archive',
};

/** The host of the example configuration: a URL on it in a deployed list is a link nobody can follow. */
export const EXAMPLE_HOST = 'news.example.com';

/** All configured lists, by id. */
export interface ListsConfig {
  readonly lists: ReadonlyMap<string, ListConfig>;
}

/** Raised when the lists configuration is unusable; the message names every bad field. */
export class ListsConfigError extends Error {
  override readonly name = 'ListsConfigError';
  constructor(
    source: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${source}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
  }
}

/**
 * Parses a lists document (the contents of config/lists.json); throws ListsConfigError naming every problem.
 * Lists without URL overrides get `endpoints` (the example site's unless given).
 */
export function parseListsConfig(json: unknown, source = 'lists configuration', endpoints: ListEndpoints = EXAMPLE_ENDPOINTS): ListsConfig {
  return listsConfigOf(parseListDefinitions(json, source), endpoints);
}

/** Parses a lists document into its definitions (URL overrides left as written); throws ListsConfigError naming every problem. */
export function parseListDefinitions(json: unknown, source = 'lists configuration'): ListDefinition[] {
  const checked = checkListsDocument(json);
  if (!checked.ok) {
    throw new ListsConfigError(
      source,
      checked.issues.map((i) => ({ pointer: toPointer(i.path), message: messageOf(json, i) })),
    );
  }
  const seen = new Set<string>();
  checked.lists.forEach((list, index) => {
    if (seen.has(list.id))
      throw new ListsConfigError(source, [{ pointer: `/lists/${index}/id`, message: `duplicate list id "${list.id}"` }]);
    seen.add(list.id);
  });
  return checked.lists;
}

/** A list with its URLs resolved: its own overrides first, then the deployment's endpoints. */
export function resolveList(list: ListDefinition, endpoints: ListEndpoints): ListConfig {
  const confirmBaseUrl = list.confirmBaseUrl ?? endpoints.confirmBaseUrl;
  const { unsubscribeMailto: _neverSetByAList, ...definition } = list;
  return {
    ...definition,
    unsubscribeBaseUrl: list.unsubscribeBaseUrl ?? endpoints.unsubscribeBaseUrl,
    archiveBaseUrl: list.archiveBaseUrl ?? endpoints.archiveBaseUrl,
    ...(confirmBaseUrl !== undefined ? { confirmBaseUrl } : {}),
    ...(endpoints.unsubscribeMailbox !== undefined ? { unsubscribeMailto: endpoints.unsubscribeMailbox } : {}),
  };
}

/** The lists by id, each resolved against `endpoints`. */
export function listsConfigOf(definitions: readonly ListDefinition[], endpoints: ListEndpoints): ListsConfig {
  return { lists: new Map(definitions.map((list) => [list.id, resolveList(list, endpoints)])) };
}

/** The fields of a list that hold a public URL. */
export type ListUrlField = 'unsubscribeBaseUrl' | 'archiveBaseUrl' | 'confirmBaseUrl' | 'archiveSubscribeUrl';

/** The URL fields of a list that still point at the example site (news.example.com): links nobody can follow. */
export function exampleUrlFieldsOf(list: ListDefinition): ListUrlField[] {
  const fields: readonly ListUrlField[] = ['unsubscribeBaseUrl', 'archiveBaseUrl', 'confirmBaseUrl', 'archiveSubscribeUrl'];
  return fields.filter((field) => {
    const value = list[field];
    if (value === undefined) return false;
    try {
      const host = new URL(value).hostname.toLowerCase();
      return host === EXAMPLE_HOST || host.endsWith(`.${EXAMPLE_HOST}`);
    } catch {
      return false;
    }
  });
}

// An accent colour, locale or phrase problem names the list by id as well as by index: each is chosen per newsletter.
function messageOf(json: unknown, issue: ListsDocumentIssue): string {
  const [top, index, field] = issue.path;
  const id = top === 'lists' && typeof index === 'number' ? (json as { lists?: { id?: unknown }[] }).lists?.[index]?.id : undefined;
  const perList = field === 'accentColor' || field === 'locale' || field === 'phrases';
  return typeof id === 'string' && perList ? `list "${id}": ${issue.message}` : issue.message;
}

/** The bare address of a From value: `Name <a@b.c>` → `a@b.c`. */
export function addressOf(mailbox: string): string {
  return (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
}

/** The domain of an address or mailbox: the sender's domain for Message-IDs and List-Id. */
export function domainOf(mailbox: string): string {
  return addressOf(mailbox).split('@').pop()!.toLowerCase();
}
