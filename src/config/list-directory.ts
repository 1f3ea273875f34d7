/**
 * Where the functions find the lists: lists are data (a table on AWS, the lists file locally), read through a
 * short cache so that a change made with `newsbrief lists put` is in use within LIST_CACHE_TTL_MS, without a
 * redeploy, while a busy send function reads the store about twice a minute, not once per message.
 */
import { type ListConfig, type ListDefinition, type ListEndpoints, type ListsConfig, listsConfigOf } from './lists.js';

/** The lists as the use-cases need them: URLs resolved against the deployment's endpoints. */
export interface ListDirectory {
  /** One list by id; undefined when there is no such list. */
  get(id: string): Promise<ListConfig | undefined>;
  /** Every list. */
  all(): Promise<readonly ListConfig[]>;
}

/** Where stored lists are read from: their definitions, URL overrides as written. */
export interface ListSource {
  /** Every stored list. */
  readAll(): Promise<readonly ListDefinition[]>;
}

/** Stored lists that can be changed (the lists table, the local lists file): what `newsbrief lists` edits. */
export interface ListStore extends ListSource {
  /** One list, or undefined when there is none by that id. */
  get(id: string): Promise<ListDefinition | undefined>;
  /** Creates or replaces one list (validated by the caller). */
  put(list: ListDefinition, at: string): Promise<void>;
  /** Deletes one list; true when it existed. */
  remove(id: string): Promise<boolean>;
}

/** The lists table of a deployed stack: `<stack name>-lists` (the stack names it so; `newsbrief lists --stack` finds it). */
export function listsTableNameOf(stackName: string): string {
  return `${stackName}-lists`;
}

/**
 * How long a function keeps the lists it read (30 s): a change applies within half a minute, and each
 * warm container reads the lists table at most twice a minute (one Scan of a small table).
 */
export const LIST_CACHE_TTL_MS = 30_000;

/** Options of a CachedListDirectory. */
export interface CachedListDirectoryOptions {
  /** This deployment's endpoints, for lists that set no URLs. */
  readonly endpoints: ListEndpoints;
  /** Milliseconds since the epoch (the Clock port's shape). */
  readonly clock: { now(): number };
  /** @default LIST_CACHE_TTL_MS */
  readonly ttlMs?: number;
}

/**
 * A ListDirectory over a ListSource with an in-memory cache: one read serves every caller for `ttlMs`;
 * concurrent callers share one read; when a refresh fails, the last lists read keep serving (a brief
 * DynamoDB outage must not stop an issue half-way), and the next call tries again.
 */
export class CachedListDirectory implements ListDirectory {
  private cached: { readonly at: number; readonly lists: ListsConfig } | undefined;
  private reading: Promise<ListsConfig> | undefined;
  private readonly ttlMs: number;

  constructor(
    private readonly source: ListSource,
    private readonly options: CachedListDirectoryOptions,
  ) {
    this.ttlMs = options.ttlMs ?? LIST_CACHE_TTL_MS;
  }

  /** One list by id, from the cached lists. */
  async get(id: string): Promise<ListConfig | undefined> {
    return (await this.snapshot()).lists.get(id);
  }

  /** Every list, from the cached lists. */
  async all(): Promise<readonly ListConfig[]> {
    return [...(await this.snapshot()).lists.values()];
  }

  /** The lists as one invocation should see them (one consistent view for the whole invocation). */
  snapshot(): Promise<ListsConfig> {
    const now = this.options.clock.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return Promise.resolve(this.cached.lists);
    this.reading ??= this.refresh(now).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async refresh(startedAt: number): Promise<ListsConfig> {
    try {
      const lists = listsConfigOf(await this.source.readAll(), this.options.endpoints);
      this.cached = { at: startedAt, lists };
      return lists;
    } catch (error) {
      if (this.cached) return this.cached.lists;
      throw error;
    }
  }
}

/** A ListDirectory over lists known up front (the lists file locally; tests). */
export class StaticListDirectory implements ListDirectory {
  constructor(private readonly lists: ListsConfig) {}

  /** One list by id. */
  async get(id: string): Promise<ListConfig | undefined> {
    return this.lists.lists.get(id);
  }

  /** Every list. */
  async all(): Promise<readonly ListConfig[]> {
    return [...this.lists.lists.values()];
  }

  /** The lists. */
  async snapshot(): Promise<ListsConfig> {
    return this.lists;
  }
}
