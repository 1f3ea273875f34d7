/**
 * Ledger on one DynamoDB table (partition key `pk` only):
 * - `issue#<list>#<id>`: the issue's state (plan progress, pause, cancel, breaker);
 * - `counts#<list>#<id>#<n>`: one of COUNTER_SHARDS counter items. Per-delivery counts and SES feedback
 *   land on the shard of their delivery, so that at 5,000 messages a second no item takes more than a few
 *   hundred writes a second; reading an issue sums its shards (one BatchGetItem);
 * - `delivery#<list>#<id>#<subscriberId>`: one delivery, with its lease.
 * Every claim is a conditional write; every change of a delivery's state moves its counter in the same
 * transaction (TransactWriteItems), so the counts are what the deliveries say, after any crash.
 * The two writes of every delivery (claim, outcome) go through a plain DynamoDB client with attribute values
 * written here, not the document client: its marshalling and per-call middleware resolution were a third
 * of a deployed message's CPU (bench/call-cost.ts).
 */
import { type AttributeValue, type DynamoDBClient, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CountsDelta, claimTransition, completeTransition } from '../../pipeline/delivery-record.js';
import type { DeliveryRecord } from '../../model.js';
import { hashOf } from '../../pipeline/hash-of.js';
import type { DeliveryCompletion, Ledger } from '../../ports.js';
import type {
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliveryState,
  IssueClaim,
  IssueCounts,
  IssuePause,
  IssueRecord,
  IssueRef,
} from '../../model.js';

/** Counter items per issue: 5,000 deliveries/s (and as many Delivery events) over 32 items is about 310 writes/s each. */
export const COUNTER_SHARDS = 32;

/** The ledger in DynamoDB. */
export class DynamoLedger implements Ledger {
  private readonly hot: Pick<DynamoDBClient, 'send'>;

  /** `hot` carries the per-delivery writes: a plain client built with `cacheMiddleware: true` (default: `db`). */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    hot?: Pick<DynamoDBClient, 'send'>,
  ) {
    // The document client sends plain commands unchanged (its marshalling is per document command).
    this.hot = hot ?? (db as unknown as Pick<DynamoDBClient, 'send'>);
  }

  /** Conditional create of the issue item. */
  async claimIssue(issue: IssueRef, claim: IssueClaim): Promise<boolean> {
    const item = {
      pk: issuePk(issue),
      kind: 'issue',
      list: issue.list,
      id: issue.id,
      renderedKey: claim.renderedKey,
      source: claim.source,
      claimedAt: claim.at,
      plannedPage: -1,
      planComplete: false,
      planned: 0,
    };
    return conditional(
      this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  /** Deletes the issue item. */
  async releaseIssue(issue: IssueRef): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: issuePk(issue) } }));
  }

  /** Strongly consistent read of the issue item and its counter shards. */
  async getIssue(issue: IssueRef): Promise<IssueRecord | undefined> {
    const [i, shards] = await readIssueItems(this.db, this.table, issue);
    if (!i) return undefined;
    const sum = (name: string) => Number(i[name] ?? 0) + shards.reduce((total, shard) => total + Number(shard[name] ?? 0), 0);
    const pause =
      typeof i.pauseReason === 'string' ? { kind: i.pauseKind, reason: i.pauseReason, at: i.pauseAt, until: i.pauseUntil } : undefined;
    return {
      list: i.list,
      id: i.id,
      renderedKey: i.renderedKey,
      source: i.source,
      claimedAt: i.claimedAt,
      plannedPage: Number(i.plannedPage),
      nextCursor: i.nextCursor,
      planComplete: Boolean(i.planComplete),
      counts: { planned: Number(i.planned ?? 0), sent: sum('sent'), failed: sum('failed'), unknown: sum('unknown') },
      ...(pause ? { pause } : {}),
      ...(typeof i.cancelledAt === 'string' ? { cancelledAt: i.cancelledAt } : {}),
    };
  }

  /** Atomic increments: `planned` on the issue item, the others on a counter shard. */
  async addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void> {
    const { planned, ...perDelivery } = delta;
    if (planned) await addToIssueCounters(this.db, this.table, issue, { planned });
    await addToShard(this.db, this.table, issue, 'addCounts', perDelivery);
  }

  /** Conditional page mark: only the page after the last marked one. */
  async markPagePlanned(issue: IssueRef, page: number, planned: number, next: string | undefined): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: issuePk(issue) },
          UpdateExpression:
            next === undefined
              ? 'SET plannedPage = :page, planComplete = :true REMOVE nextCursor ADD planned :n'
              : 'SET plannedPage = :page, planComplete = :false, nextCursor = :next ADD planned :n',
          ConditionExpression: 'plannedPage = :previous',
          ExpressionAttributeValues: {
            ':page': page,
            ':previous': page - 1,
            ':n': planned,
            ...(next === undefined ? { ':true': true } : { ':false': false, ':next': next }),
          },
        }),
      ),
    );
  }

  /** Sets or removes the pause attributes of an existing issue. */
  async setIssuePause(issue: IssueRef, pause: IssuePause | undefined): Promise<void> {
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: issuePk(issue) },
          ...(pause
            ? {
                UpdateExpression: `SET pauseKind = :kind, pauseReason = :reason, pauseAt = :at${pause.until ? ', pauseUntil = :until' : ' REMOVE pauseUntil'}`,
                ExpressionAttributeValues: {
                  ':kind': pause.kind,
                  ':reason': pause.reason.slice(0, 1000),
                  ':at': pause.at,
                  ...(pause.until ? { ':until': pause.until } : {}),
                },
              }
            : { UpdateExpression: 'REMOVE pauseKind, pauseReason, pauseAt, pauseUntil' }),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  /** Sets cancelledAt once. */
  async cancelIssue(issue: IssueRef, at: string): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: issuePk(issue) },
          UpdateExpression: 'SET cancelledAt = if_not_exists(cancelledAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }

  /** One BatchGetItem (≤ 100 keys; a job has ≤ 50). */
  async deliveryStates(issue: IssueRef, subscriberIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryState>> {
    const states = new Map<string, DeliveryState>();
    const byPk = new Map(subscriberIds.map((id) => [deliveryPk(issue, id), id]));
    const items = await batchGet(this.db, this.table, [...byPk.keys()], 'pk, #status', { '#status': 'status' });
    for (const item of items) states.set(byPk.get(item.pk as string)!, item.status as DeliveryState);
    return states;
  }

  /** A conditional put for a new delivery; otherwise the pure transition, written only if nobody moved it meanwhile. */
  async claimDelivery(issue: IssueRef, subscriberId: string, lease: DeliveryLease): Promise<DeliveryClaim> {
    const pk = deliveryPk(issue, subscriberId);
    for (let round = 0; round < 5; round++) {
      // Most claims are of new deliveries: try the conditional create first, read only when it fails.
      const existing = round === 0 ? undefined : await this.readDelivery(pk);
      const transition = claimTransition(existing, lease);
      if (!transition.record) return transition.claim;
      const write = this.claimWrite(pk, transition.record, existing);
      if (await this.writeWithCounts(issue, subscriberId, write, transition.delta)) return transition.claim;
      // Someone else moved it first: look again.
    }
    return { state: 'busy', retryAt: lease.nowMs + 1_000 };
  }

  /**
   * New deliveries claimed in one transaction per 99 (a claim moves no counts). A delivery that exists
   * already (claimed elsewhere, unknown, ended) is claimed alone by claimDelivery, which reads it and
   * applies the transition; the rest are written again together.
   */
  async claimDeliveries(issue: IssueRef, subscriberIds: readonly string[], lease: DeliveryLease): Promise<readonly DeliveryClaim[]> {
    const claims: DeliveryClaim[] = [];
    for (let start = 0; start < subscriberIds.length; start += DELIVERIES_PER_TRANSACTION) {
      const ids = subscriberIds.slice(start, start + DELIVERIES_PER_TRANSACTION);
      const fresh = claimTransition(undefined, lease);
      claims.push(
        ...(await this.writeTogether(
          ids,
          (index) => this.claimWrite(deliveryPk(issue, ids[index]!), fresh.record!, undefined),
          () => undefined,
          fresh.claim,
          (index) => this.claimDelivery(issue, ids[index]!, lease),
        )),
      );
    }
    return claims;
  }

  // The conditional update that writes claim `record` over `existing` (undefined: only if there is no delivery yet).
  private claimWrite(pk: string, record: DeliveryRecord, existing: DeliveryRecord | undefined): PlainUpdate {
    return {
      TableName: this.table,
      Key: { pk: S(pk) },
      UpdateExpression:
        'SET kind = :kind, #status = :claimed, attempt = :attempt, claimedAt = :at, holder = :holder, leaseUntil = :until REMOVE retryAt',
      ConditionExpression: existing ? '#status = :was AND attempt = :wasAttempt' : 'attribute_not_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':kind': S('delivery'),
        ':claimed': S('claimed'),
        ':attempt': N(record.attempt),
        ':at': S(record.claimedAt),
        ':holder': S(record.holder ?? ''),
        ':until': N(record.leaseUntil ?? 0),
        ...(existing ? { ':was': S(existing.status), ':wasAttempt': N(existing.attempt) } : {}),
      },
    };
  }

  /** The pure transition, written only if the delivery is still as read; its counter moves in the same transaction. */
  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean> {
    const pk = deliveryPk(issue, subscriberId);
    for (let round = 0; round < 5; round++) {
      // Most completions are of a live claim: try that first (any attempt), read only when it fails.
      const existing = round === 0 ? LIVE_CLAIM : await this.readDelivery(pk);
      const completion = this.completionWrite(issue, subscriberId, existing, outcome, at);
      if (!completion) return false;
      if (await this.writeWithCounts(issue, subscriberId, completion.write, completion.delta)) return true;
    }
    throw new Error(`delivery ${pk} kept changing while its outcome was recorded`);
  }

  /**
   * Completions of live claims in one transaction per 99, their counts summed on one shard: a sent message
   * costs a hundredth of a write call instead of one. A completion whose claim had moved (SES's Send event
   * came first, or it is unknown) is settled alone by completeDelivery, and the rest are written again together.
   */
  async completeDeliveries(issue: IssueRef, completions: readonly DeliveryCompletion[]): Promise<readonly boolean[]> {
    const answers: boolean[] = [];
    for (let start = 0; start < completions.length; start += DELIVERIES_PER_TRANSACTION) {
      const chunk = completions.slice(start, start + DELIVERIES_PER_TRANSACTION);
      // Written assuming live claims, as completeDelivery's first try does.
      const writes = chunk.map(({ subscriberId, outcome, at }) => this.completionWrite(issue, subscriberId, LIVE_CLAIM, outcome, at)!);
      answers.push(
        ...(await this.writeTogether(
          chunk.map((completion) => completion.subscriberId),
          (index) => writes[index]!.write,
          (indexes, round) => {
            // The counts of the completions still in this round, on one shard (another one each round).
            const counters = sumCounts(indexes.map((index) => writes[index]!.delta));
            if (Object.keys(counters).length === 0) return undefined;
            return shardWrite(this.table, issue, `${chunk[indexes[0]!]!.subscriberId}#together${round}`, counters);
          },
          true,
          (index) => {
            const { subscriberId, outcome, at } = chunk[index]!;
            return this.completeDelivery(issue, subscriberId, outcome, at);
          },
        )),
      );
    }
    return answers;
  }

  /**
   * Writes one conditional update per id in one transaction (with `shard` when counts move), answering
   * `together` for each; an id whose condition failed is settled by `alone`, and the rest are tried again.
   * A transaction names each item once: a repeated id is settled alone, after the others.
   */
  private async writeTogether<T>(
    ids: readonly string[],
    update: (index: number) => PlainUpdate,
    shard: (indexes: readonly number[], round: number) => PlainUpdate | undefined,
    together: T,
    alone: (index: number) => Promise<T>,
  ): Promise<T[]> {
    const answers = new Array<T>(ids.length);
    const seen = new Set<string>();
    const repeated: number[] = [];
    let open: number[] = [];
    ids.forEach((id, index) => {
      if (seen.has(id)) repeated.push(index);
      else {
        seen.add(id);
        open.push(index);
      }
    });
    const settle = async (indexes: readonly number[]) => {
      for (const index of indexes) answers[index] = await alone(index);
    };
    for (let round = 1; open.length > 0; ) {
      if (open.length === 1) {
        await settle(open);
        break;
      }
      const counter = shard(open, round);
      try {
        await this.hot.send(
          new TransactWriteItemsCommand({
            TransactItems: [...open.map((index) => ({ Update: update(index) })), ...(counter ? [{ Update: counter }] : [])],
          }),
        );
        for (const index of open) answers[index] = together;
        break;
      } catch (error) {
        const codes = cancellationCodes(error);
        const moved = open.filter((_, k) => codes?.[k] === 'ConditionalCheckFailed');
        if (moved.length > 0 && !codes?.includes('TransactionConflict')) {
          await settle(moved);
          open = open.filter((index) => !moved.includes(index));
          continue;
        }
        // A condition failed but the answer does not say which: each is settled alone.
        if (isTransactionConditionFailed(error)) {
          await settle(open);
          break;
        }
        if (!isTransactionConflict(error) || round >= CONFLICT_ATTEMPTS) throw error;
        round++;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * round));
      }
    }
    await settle(repeated);
    return answers;
  }

  // The conditional update that records `outcome` over `existing` (LIVE_CLAIM: any live claim), with the
  // counts it moves; undefined when the transition does not apply.
  private completionWrite(
    issue: IssueRef,
    subscriberId: string,
    existing: DeliveryRecord | undefined,
    outcome: DeliveryOutcome,
    at: string,
  ): { readonly write: PlainUpdate; readonly delta: CountsDelta } | undefined {
    const transition = completeTransition(existing, outcome, at);
    if (!existing || !transition) return undefined;
    const detail =
      outcome.status === 'sent'
        ? 'messageId = :detail REMOVE retryAt, holder, leaseUntil'
        : outcome.status === 'failed'
          ? 'reason = :detail REMOVE retryAt, holder, leaseUntil'
          : 'reason = :detail, retryAt = :retryAt REMOVE holder, leaseUntil';
    const write: PlainUpdate = {
      TableName: this.table,
      Key: { pk: S(deliveryPk(issue, subscriberId)) },
      UpdateExpression: `SET #status = :status, completedAt = :at, ${detail}`,
      ConditionExpression: existing === LIVE_CLAIM ? '#status = :was' : '#status = :was AND attempt = :wasAttempt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': S(outcome.status),
        ':at': S(at),
        ':detail': S(outcome.status === 'sent' ? outcome.messageId : outcome.reason.slice(0, 1000)),
        ':was': S(existing.status),
        ...(existing === LIVE_CLAIM ? {} : { ':wasAttempt': N(existing.attempt) }),
        ...(outcome.status === 'unknown' ? { ':retryAt': N(outcome.retryAt) } : {}),
      },
    };
    return { write, delta: transition.delta };
  }

  /** Deletes a claim that is still only a claim. */
  async releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void> {
    await conditional(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: deliveryPk(issue, subscriberId) },
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      ),
    );
  }

  private async readDelivery(pk: string): Promise<DeliveryRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk }, ConsistentRead: true }));
    const i = out.Item;
    if (!i) return undefined;
    return {
      status: i.status as DeliveryState,
      // Items written before leases had no attempt: a first attempt whose lease is long over.
      attempt: Number(i.attempt ?? 1),
      claimedAt: String(i.claimedAt ?? ''),
      holder: i.holder as string | undefined,
      leaseUntil: i.leaseUntil === undefined ? undefined : Number(i.leaseUntil),
      retryAt: i.retryAt === undefined ? undefined : Number(i.retryAt),
      messageId: i.messageId as string | undefined,
    };
  }

  // One conditional update of the delivery, with its counter shard in the same transaction when counts move.
  // False when the condition failed (someone else changed the delivery first).
  private async writeWithCounts(
    issue: IssueRef,
    subscriberId: string,
    update: PlainUpdate,
    delta: CountsDelta | undefined,
  ): Promise<boolean> {
    const counters = sumCounts([delta]);
    // Any shard may carry a delivery's counts (they are summed); a retry after a conflict takes another one.
    const shard = (attempt: number): PlainUpdate =>
      shardWrite(this.table, issue, attempt === 1 ? subscriberId : `${subscriberId}#${attempt}`, counters);
    for (let attempt = 1; ; attempt++) {
      try {
        if (Object.keys(counters).length === 0) await this.hot.send(new UpdateItemCommand(update));
        else await this.hot.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: update }, { Update: shard(attempt) }] }));
        return true;
      } catch (error) {
        if (isConditionFailed(error) || isTransactionConditionFailed(error)) return false;
        // Another transaction held the delivery or the counter shard (many workers share 32): nothing was
        // written, so the write is tried again; the SDK does not retry this one itself.
        if (!isTransactionConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}

/** Tries of one delivery transaction that conflicts with others on its counter shard. */
const CONFLICT_ATTEMPTS = 8;

/** Deliveries in one completion transaction: DynamoDB takes 100 items, one of them the counter shard. */
const DELIVERIES_PER_TRANSACTION = 99;

/** The non-zero counts of several deltas, added up. */
function sumCounts(deltas: readonly (CountsDelta | undefined)[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const delta of deltas) for (const [name, n] of Object.entries(delta ?? {})) if (n) sum[name] = (sum[name] ?? 0) + n;
  return Object.fromEntries(Object.entries(sum).filter(([, n]) => n !== 0));
}

/** The ADD of `counters` on the shard of `seed` (plain attribute values, for the hot client). */
function shardWrite(table: string, issue: IssueRef, seed: string, counters: Readonly<Record<string, number>>): PlainUpdate {
  const entries = Object.entries(counters);
  return {
    TableName: table,
    Key: { pk: S(shardPk(issue, seed)) },
    UpdateExpression: `SET kind = :kind ADD ${entries.map(([name]) => `#${name} :${name}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
    ExpressionAttributeValues: { ':kind': S('counts'), ...Object.fromEntries(entries.map(([name, n]) => [`:${name}`, N(n)])) },
  };
}

/** The per-item codes of a cancelled transaction, in item order; undefined when the answer has none. */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> } | null;
  if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons?.length) return undefined;
  return e.CancellationReasons.map((reason) => reason.Code);
}

/** An item as the document client returns it (the SDK types it so). */
// biome-ignore lint/suspicious/noExplicitAny: the document client's own item type is Record<string, any>
export type DynamoItem = Record<string, any>;

// What a completion assumes before reading: a claim in progress (its attempt is not compared).
const LIVE_CLAIM: DeliveryRecord = { status: 'claimed', attempt: 0, claimedAt: '' };

type UpdateInput = ConstructorParameters<typeof UpdateCommand>[0] & {
  TableName: string;
  Key: Record<string, unknown>;
  UpdateExpression: string;
};

/** An UpdateItem input with its attribute values written out (no document client). */
type PlainUpdate = {
  TableName: string;
  Key: Record<string, AttributeValue>;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
};

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

/** The ledger key of an issue. */
export function issuePk(issue: IssueRef): string {
  return `issue#${issue.list}#${issue.id}`;
}

/** The ledger key of one delivery. */
export function deliveryPk(issue: IssueRef, subscriberId: string): string {
  return `delivery#${issue.list}#${issue.id}#${subscriberId}`;
}

/** The key of the counter shard `seed` (a subscriber id, an event key) counts on. */
export function shardPk(issue: IssueRef, seed: string): string {
  return `counts#${issue.list}#${issue.id}#${hashOf(seed) % COUNTER_SHARDS}`;
}

/** The issue item and its counter shards (absent shards are missing), read consistently. */
export async function readIssueItems(
  db: DynamoDBDocumentClient,
  table: string,
  issue: IssueRef,
): Promise<[DynamoItem | undefined, DynamoItem[]]> {
  const shardKeys = Array.from({ length: COUNTER_SHARDS }, (_, n) => `counts#${issue.list}#${issue.id}#${n}`);
  const items = await batchGet(db, table, [issuePk(issue), ...shardKeys]);
  const issueItem = items.find((item) => item.pk === issuePk(issue));
  return [issueItem, items.filter((item) => item !== issueItem)];
}

/** Adds counters on the shard of `seed` (creating it); nothing for an empty delta. */
export async function addToShard(
  db: DynamoDBDocumentClient,
  table: string,
  issue: IssueRef,
  seed: string,
  delta: Readonly<Record<string, number | undefined>>,
): Promise<void> {
  const entries = Object.entries(delta).filter((entry): entry is [string, number] => Boolean(entry[1]));
  if (entries.length === 0) return;
  await db.send(new UpdateCommand(shardUpdate(table, issue, seed, Object.fromEntries(entries))));
}

function shardUpdate(table: string, issue: IssueRef, seed: string, delta: Record<string, number>): UpdateInput {
  const entries = Object.entries(delta);
  return {
    TableName: table,
    Key: { pk: shardPk(issue, seed) },
    UpdateExpression: `SET kind = :kind ADD ${entries.map(([name]) => `#${name} :${name}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
    ExpressionAttributeValues: { ':kind': 'counts', ...Object.fromEntries(entries.map(([name, n]) => [`:${name}`, n])) },
  };
}

// Strongly consistent BatchGetItem of up to 100 keys, retrying what DynamoDB left unprocessed.
async function batchGet(
  db: DynamoDBDocumentClient,
  table: string,
  pks: readonly string[],
  projection?: string,
  names?: Record<string, string>,
): Promise<DynamoItem[]> {
  const found: DynamoItem[] = [];
  let keys = pks.map((pk) => ({ pk }));
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    if (attempt > 8) throw new Error(`DynamoDB left ${keys.length} keys of ${table} unprocessed`);
    const out = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: keys,
            ConsistentRead: true,
            ...(projection ? { ProjectionExpression: projection, ExpressionAttributeNames: names } : {}),
          },
        },
      }),
    );
    found.push(...(out.Responses?.[table] ?? []));
    keys = (out.UnprocessedKeys?.[table]?.Keys as { pk: string }[] | undefined) ?? [];
  }
  return found;
}

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Atomic ADDs to counters on an issue item; nothing when the issue item does not exist (e.g. a proof). */
export async function addToIssueCounters(
  db: DynamoDBDocumentClient,
  table: string,
  issue: IssueRef,
  delta: Readonly<Record<string, number | undefined>>,
): Promise<void> {
  const entries = Object.entries(delta).filter((entry): entry is [string, number] => Boolean(entry[1]));
  if (entries.length === 0) return;
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: issuePk(issue) },
        UpdateExpression: `ADD ${entries.map(([name]) => `#${name} :${name}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([name, n]) => [`:${name}`, n])),
      }),
    );
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
  }
}

/** True for DynamoDB's "the condition did not hold" (by name: bundles may hold two copies of the class). */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

// A transaction cancelled because a condition did not hold (and not for a conflict or throttling, which throw).
function isTransactionConflict(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> } | null;
  if (e?.name === 'TransactionConflictException') return true;
  return e?.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
}

function isTransactionConditionFailed(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }>; message?: string } | null;
  if (e?.name !== 'TransactionCanceledException') return false;
  const reasons = e.CancellationReasons;
  if (reasons && reasons.length > 0)
    return (
      reasons.some((r) => r.Code === 'ConditionalCheckFailed') &&
      reasons.every((r) => !r.Code || r.Code === 'None' || r.Code === 'ConditionalCheckFailed')
    );
  return /ConditionalCheckFailed/.test(e.message ?? '');
}
