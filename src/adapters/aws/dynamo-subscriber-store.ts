/**
 * SubscriberStore on DynamoDB: partition key `list`, sort key `email` — the subscriber's key, `emailKey` of the
 * address (lower-cased whole), so that addresses match case-insensitively; the address as first written is kept
 * in `address` (shown and mailed). Cursors are the query's LastEvaluatedKey, base64url-encoded, so that a plan
 * message can carry one. Lookups by the opaque id that links carry go through the `byId` GSI (partition key
 * `id`, all attributes projected).
 *
 * The bulk side (SubscriberAdmin, for the CLI) reads with BatchGetItem (100 keys a request) and writes new
 * members with BatchWriteItem (25 a request), several requests in flight at once, retrying what DynamoDB hands
 * back unprocessed with jittered exponential backoff. The suppression list lives in the same table under the
 * partition `#suppression` (list ids are `[a-z0-9-]`, so no list can take that name): one item per hash, and
 * the deployment's salt at sort key `#salt`. Those items carry no `id` or `status`, so the byId index and
 * every list's pages never see them.
 */
import { randomBytes } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SUBSCRIBERS_BY_ID_INDEX } from '../../config/table-indexes.js';
import type { KeyRepair, MemberFilter, SubscriberAdmin, SubscriberStore } from '../../ports.js';
import type { Subscriber, SubscriberInput, SubscriberPage, SubscriberStatus } from '../../model.js';
import { emailKey } from '../../subscribers/email-address.js';
import { matchesMemberFilter } from '../../subscribers/member-filter.js';
import { mergeCaseDuplicates } from '../../subscribers/merge-case-duplicates.js';
import { isConditionFailed } from './dynamo-ledger.js';
import { newSubscriber } from '../../subscribers/new-subscriber.js';

/** The partition of the suppression list, and the sort key of its salt. */
const SUPPRESSION_PARTITION = '#suppression';
const SALT_KEY = '#salt';

/** Tuning of the bulk calls. */
export interface DynamoSubscriberStoreOptions {
  /** Batch requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** Attempts for a batch's unprocessed items before giving up (default 10). */
  readonly maxAttempts?: number;
  /** Waits between attempts (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

type Item = Record<string, unknown>;

/** The subscribers table. */
export class DynamoSubscriberStore implements SubscriberStore, SubscriberAdmin {
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly newId: () => string,
    options: DynamoSubscriberStoreOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** A query page filtered to `subscribed`; `limit` counts items examined, as DynamoDB does. */
  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    return this.page(list, cursor, limit, true);
  }

  /** One subscriber. */
  async get(list: string, email: string): Promise<Subscriber | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { list, email: emailKey(email) } }));
    return out.Item ? toSubscriber(out.Item) : undefined;
  }

  /** Queries the byId index (eventually consistent: a link is followed long after its subscriber was written). */
  async getById(list: string, id: string): Promise<Subscriber | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: SUBSCRIBERS_BY_ID_INDEX,
        KeyConditionExpression: '#id = :id',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':id': id },
      }),
    );
    // Ids are random; the list check only guards against a token signed for another list.
    const item = (out.Items ?? []).find((i) => i.list === list);
    return item ? toSubscriber(item) : undefined;
  }

  /** BatchGetItem in chunks of 100 (only email and status), retrying unprocessed keys. */
  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    const items = await this.batchGet(
      emails.map((email) => ({ list, email: emailKey(email) })),
      'email, #status',
      { '#status': 'status' },
    );
    const byKey = new Map(items.map((item) => [item.email as string, item.status as SubscriberStatus]));
    const result = new Map<string, SubscriberStatus>();
    for (const email of emails) {
      const status = byKey.get(emailKey(email));
      if (status) result.set(email, status);
    }
    return result;
  }

  /** Creates or updates; the id, createdAt and address as first written of an existing subscriber are kept. */
  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    const sets = [
      '#id = if_not_exists(#id, :id)',
      'createdAt = if_not_exists(createdAt, :at)',
      'address = if_not_exists(address, :address)',
      'updatedAt = :at',
      '#status = :status',
    ];
    const values: Record<string, unknown> = { ':id': this.newId(), ':at': at, ':status': input.status, ':address': input.email };
    if (input.firstName !== undefined) {
      sets.push('firstName = :firstName');
      values[':firstName'] = input.firstName;
    }
    if (input.attributes !== undefined && Object.keys(input.attributes).length > 0) {
      sets.push('#attributes = :attributes');
      values[':attributes'] = input.attributes;
    }
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { list: input.list, email: emailKey(input.email) },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: { '#id': 'id', '#status': 'status', ...(values[':attributes'] ? { '#attributes': 'attributes' } : {}) },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toSubscriber(out.Attributes!);
  }

  /** Changes a status of an existing subscriber. */
  async setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { list, email: emailKey(email) },
          UpdateExpression: 'SET #status = :status, updatedAt = :at',
          ConditionExpression: 'attribute_exists(email)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  // ── SubscriberAdmin ──────────────────────────────────────────────────────────

  /** BatchGetItem, 100 keys a request, requests in parallel. */
  async getMany(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    const items = await this.batchGet(emails.map((email) => ({ list, email: emailKey(email) })));
    return new Map(items.map((item) => [item.email as string, toSubscriber(item)]));
  }

  /** BatchWriteItem, 25 puts a request, requests in parallel, unprocessed items retried with backoff. */
  async createMany(inputs: readonly SubscriberInput[], at: string): Promise<void> {
    await this.batchWrite(inputs.map((input) => ({ PutRequest: { Item: toItem(newSubscriber(input, this.newId(), at)) } })));
  }

  /** PutItem on condition that updatedAt is still the one read. */
  async replaceIfUnchanged(subscriber: Subscriber, seenUpdatedAt: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(subscriber),
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: { ':seen': seenUpdatedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** A query page of every member; `limit` counts items read. */
  async pageMembers(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    return this.page(list, cursor, limit, false);
  }

  /** DeleteItem; true when there was an item. */
  async remove(list: string, email: string): Promise<boolean> {
    const out = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { list, email: emailKey(email) }, ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes !== undefined;
  }

  /** The salt item; created with a conditional put so that two first `forget`s agree on one salt. */
  async suppressionSalt(create: boolean): Promise<string | undefined> {
    const key = { list: SUPPRESSION_PARTITION, email: SALT_KEY };
    const read = async () =>
      (await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))).Item?.salt as string | undefined;
    const salt = await read();
    if (salt !== undefined || !create) return salt;
    try {
      const fresh = randomBytes(32).toString('base64url');
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...key, salt: fresh }, ConditionExpression: 'attribute_not_exists(email)' }),
      );
      return fresh;
    } catch (error) {
      if (isConditionFailed(error)) return read();
      throw error;
    }
  }

  /** One item per hash in the suppression partition. */
  async addSuppressions(hashes: readonly string[], at: string): Promise<void> {
    await this.batchWrite([...new Set(hashes)].map((hash) => ({ PutRequest: { Item: { list: SUPPRESSION_PARTITION, email: hash, at } } })));
  }

  /** BatchGetItem on the suppression partition. */
  async suppressedAmong(hashes: readonly string[]): Promise<ReadonlySet<string>> {
    const items = await this.batchGet(
      hashes.map((hash) => ({ list: SUPPRESSION_PARTITION, email: hash })),
      'email',
    );
    return new Set(items.map((item) => item.email as string));
  }

  /** Pages through the list for items whose sort key is not emailKey of itself; with `apply`, merges each group under its key. */
  async repairKeys(list: string, options: { readonly apply: boolean; readonly at: string }): Promise<readonly KeyRepair[]> {
    const strays = new Map<string, Subscriber[]>();
    let cursor: Item | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#list = :list',
          ExpressionAttributeNames: { '#list': 'list' },
          ExpressionAttributeValues: { ':list': list },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of out.Items ?? []) {
        const stored = item.email as string;
        if (stored === emailKey(stored)) continue;
        const group = strays.get(emailKey(stored)) ?? [];
        group.push({ ...toSubscriber(item), email: stored });
        strays.set(emailKey(stored), group);
      }
      cursor = out.LastEvaluatedKey;
    } while (cursor);
    if (strays.size === 0) return [];
    const proper = await this.getMany(list, [...strays.keys()]);
    const repairs: KeyRepair[] = [];
    for (const [key, group] of strays) {
      const found = [...(proper.has(key) ? [proper.get(key)!] : []), ...group].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const merged = mergeCaseDuplicates(found, options.at);
      repairs.push({ key, found, merged });
      if (!options.apply) continue;
      // Written under its key first, strays deleted after: a run cut short leaves strays for the next run.
      await this.db.send(new PutCommand({ TableName: this.table, Item: toItem(merged) }));
      for (const stray of group) await this.db.send(new DeleteCommand({ TableName: this.table, Key: { list, email: stray.email } }));
    }
    return repairs;
  }

  // ── internals ────────────────────────────────────────────────────────────────

  private async page(list: string, cursor: string | undefined, limit: number, subscribedOnly: boolean): Promise<SubscriberPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#list = :list',
        ...(subscribedOnly ? { FilterExpression: '#status = :subscribed' } : {}),
        ExpressionAttributeNames: { '#list': 'list', ...(subscribedOnly ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: { ':list': list, ...(subscribedOnly ? { ':subscribed': 'subscribed' } : {}) },
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item),
      }),
    );
    return {
      subscribers: (out.Items ?? []).map(toSubscriber),
      next: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  }

  private async batchGet(keys: readonly Item[], projection?: string, names?: Record<string, string>): Promise<Item[]> {
    const unique = [...new Map(keys.map((k) => [`${k.list}\u0000${k.email}`, k])).values()];
    const chunks: Item[][] = [];
    for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
    const found: Item[] = [];
    await this.inParallel(chunks, async (chunk) => {
      let pending = chunk;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 1) await this.backoff(attempt, 'keys');
        const out = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: pending,
                ...(projection ? { ProjectionExpression: projection } : {}),
                ...(names ? { ExpressionAttributeNames: names } : {}),
              },
            },
          }),
        );
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = (out.UnprocessedKeys?.[this.table]?.Keys as Item[] | undefined) ?? [];
      }
    });
    return found;
  }

  private async batchWrite(requests: readonly { PutRequest: { Item: Item } }[]): Promise<void> {
    const chunks: (typeof requests)[number][][] = [];
    for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
    await this.inParallel(chunks, async (chunk) => {
      let pending: readonly object[] = chunk;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 1) await this.backoff(attempt, 'items');
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = out.UnprocessedItems?.[this.table] ?? [];
      }
    });
  }

  // Full jitter, 50 ms doubling to at most 2 s: unprocessed items mean the table is throttling us.
  private async backoff(attempt: number, what: string): Promise<void> {
    if (attempt > this.maxAttempts) throw new Error(`DynamoDB kept returning unprocessed ${what} after ${this.maxAttempts} attempts`);
    await this.sleep(Math.random() * Math.min(2000, 50 * 2 ** (attempt - 1)));
  }

  private async inParallel<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await run(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }

  /**
   * One Query: the address prefix is `begins_with` on the sort key, the status a FilterExpression, the tag and
   * field the pure matcher (a member's attributes are a map whose values DynamoDB cannot compare in any case).
   * `limit` counts the items read, so a page may hold fewer and still have a `next`.
   */
  async searchMembers(list: string, cursor: string | undefined, limit: number, filter: MemberFilter): Promise<SubscriberPage> {
    const prefix = filter.addressPrefix ? emailKey(filter.addressPrefix) : undefined;
    const names: Record<string, string> = { '#list': 'list' };
    const values: Record<string, unknown> = { ':list': list };
    if (prefix) {
      names['#email'] = 'email';
      values[':prefix'] = prefix;
    }
    if (filter.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: prefix ? '#list = :list AND begins_with(#email, :prefix)' : '#list = :list',
        ...(filter.status !== undefined ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item),
      }),
    );
    return {
      subscribers: (out.Items ?? []).map(toSubscriber).filter((member) => matchesMemberFilter(member, filter)),
      next: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  }
}

function toItem(subscriber: Subscriber): Item {
  const item: Item = {
    id: subscriber.id,
    list: subscriber.list,
    email: emailKey(subscriber.email),
    address: subscriber.email,
    status: subscriber.status,
    createdAt: subscriber.createdAt,
    updatedAt: subscriber.updatedAt,
  };
  if (subscriber.firstName !== undefined) item.firstName = subscriber.firstName;
  if (subscriber.attributes !== undefined && Object.keys(subscriber.attributes).length > 0) item.attributes = subscriber.attributes;
  return item;
}

function toSubscriber(item: Item): Subscriber {
  return {
    id: item.id as string,
    list: item.list as string,
    email: (item.address as string | undefined) ?? (item.email as string),
    firstName: item.firstName as string | undefined,
    attributes: item.attributes as Record<string, string> | undefined,
    status: item.status as SubscriberStatus,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}
