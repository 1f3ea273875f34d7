/**
 * How every function finds the lists: the lists table (NEWSBRIEF_LISTS_TABLE) through a cache, so a change
 * made with `newsbrief lists put` is in use within the cache's TTL and no function environment carries list
 * data; without a table (tests, runs given a lists document) the lists JSON of NEWSBRIEF_LISTS_JSON. Lists
 * that set no URLs get this deployment's endpoints (NEWSBRIEF_UNSUBSCRIBE_URL, NEWSBRIEF_ARCHIVE_URL).
 */
import { DynamoListStore } from '../../adapters/aws/dynamo-list-store.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import { CachedListDirectory, LIST_CACHE_TTL_MS, StaticListDirectory } from '../../config/list-directory.js';
import { EXAMPLE_ENDPOINTS, type ListEndpoints, type ListsConfig } from '../../config/lists.js';
import type { Clock } from '../../ports.js';
import { once } from '../once.js';
import { dynamoClient, newDynamoDocumentClient } from './clients.js';
import { type EnvReader, envReader } from './env.js';

/** A directory whose lists one invocation reads once, as one consistent view. */
export interface ListSnapshots {
  snapshot(): Promise<ListsConfig>;
}

/**
 * This deployment's endpoints from the environment. A function cannot be given its own function URL (the
 * URL depends on the function), so the unsubscribe function lacks its own: it never builds unsubscribe links,
 * and the example site stands in. `own` lets a function-URL handler name its own address.
 */
export function endpointsFrom(read: EnvReader, own: Partial<ListEndpoints> = {}): ListEndpoints {
  const confirmBaseUrl = read.optional(ENV.confirmUrl) ?? own.confirmBaseUrl;
  const unsubscribeMailbox = read.optional(ENV.unsubscribeMailbox);
  return {
    unsubscribeBaseUrl: read.optional(ENV.unsubscribeUrl) ?? own.unsubscribeBaseUrl ?? EXAMPLE_ENDPOINTS.unsubscribeBaseUrl,
    archiveBaseUrl: read.optional(ENV.archiveUrl) ?? own.archiveBaseUrl ?? EXAMPLE_ENDPOINTS.archiveBaseUrl,
    ...(confirmBaseUrl !== undefined ? { confirmBaseUrl } : {}),
    ...(unsubscribeMailbox !== undefined ? { unsubscribeMailbox } : {}),
  };
}

/** Builds the lists of a function: the table through a cache, or the lists JSON when no table is named. */
export function createListSnapshots(env: NodeJS.ProcessEnv, clock: Clock = systemClock): ListSnapshots {
  const read = envReader(env);
  const endpoints = endpointsFrom(read);
  const table = read.optional(ENV.listsTable);
  if (table === undefined) return new StaticListDirectory(read.lists(endpoints));
  const store = new DynamoListStore(dynamoClient(), table, (id, error) =>
    console.error(JSON.stringify({ level: 'ERROR', message: 'stored list skipped: it does not validate', list: id, error: error.message })),
  );
  const ttlMs = read.nonNegative(ENV.listsCacheSeconds, LIST_CACHE_TTL_MS / 1000) * 1000;
  return new CachedListDirectory(store, { endpoints, clock, ttlMs });
}

/** The process's lists, built on first use. */
export const listSnapshots = once(() => createListSnapshots(process.env));

/** The lists for one invocation (cached across invocations for the TTL). */
export function currentLists(): Promise<ListsConfig> {
  return listSnapshots().snapshot();
}

/** The lists table for the CLI (`newsbrief lists … --stack/--table`): credentials, region and endpoint from `env`. */
export function awsListStore(env: NodeJS.ProcessEnv, table: string): DynamoListStore {
  return new DynamoListStore(newDynamoDocumentClient(env), table);
}
