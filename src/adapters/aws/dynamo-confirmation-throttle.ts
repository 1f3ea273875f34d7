/**
 * ConfirmationThrottle on the ledger table: each counter's window is one `confirm#<key>#<window start>` item
 * holding `n`. A take is one conditional `UpdateItem ADD` (only while `n` is below the limit), so posts racing
 * each other never pass a budget; DynamoDB deletes an item a day after its window ends (TTL). Every key starts
 * with `confirm#`, the only items the subscribe function may touch.
 */
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CONFIRM_KEY_PREFIX, LEDGER_TTL_ATTRIBUTE } from '../../config/table-indexes.js';
import type { ConfirmationThrottle, WindowBudget, WindowCount } from '../../ports.js';
import { isConditionFailed } from './dynamo-ledger.js';

/** How long a window's item outlives its window (TTL), in seconds. */
const KEEP_SECONDS = 86_400;
/** Keys per BatchGetItem (DynamoDB's limit). */
const BATCH_GET_LIMIT = 100;
/** Rounds of unprocessed keys before a read gives up (the request then fails and the person may post again). */
const MAX_BATCH_ATTEMPTS = 6;

/** Confirmation budgets and breaker counts in the ledger table. */
export class DynamoConfirmationThrottle implements ConfirmationThrottle {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Conditional ADD: absent, or below the limit. */
  async take(budget: WindowBudget, atMs: number): Promise<boolean> {
    if (budget.limit <= 0) return false;
    const update = this.addition(budget, atMs, 1);
    try {
      await this.db.send(
        new UpdateCommand({
          ...update,
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':limit': budget.limit },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Unconditional ADD. */
  async add(count: WindowCount, atMs: number, by: number): Promise<void> {
    await this.db.send(new UpdateCommand(this.addition(count, atMs, by)));
  }

  /** One consistent BatchGetItem for all of them (the form reads its breaker and budgets together), retrying unprocessed keys. */
  async read(counts: readonly WindowCount[], atMs: number): Promise<number[]> {
    const keys = [...new Set(counts.map((count) => itemKey(count, atMs)))];
    const found = new Map<string, number>();
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_LIMIT).map((pk) => ({ pk }));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt === MAX_BATCH_ATTEMPTS)
          throw new Error(`DynamoDB left ${pending.length} confirmation counters unread after ${attempt} attempts`);
        // DynamoDB hands back keys it had no capacity for; a short, growing pause before asking again.
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const answer: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: 'pk, #n',
                ExpressionAttributeNames: { '#n': 'n' },
              },
            },
          }),
        );
        for (const item of answer.Responses?.[this.table] ?? []) if (typeof item.n === 'number') found.set(String(item.pk), item.n);
        pending = answer.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return counts.map((count) => found.get(itemKey(count, atMs)) ?? 0);
  }

  /** SET n = 0 (an update, not a delete: the functions' roles allow reads and UpdateItem on these items only). */
  async reset(count: WindowCount, atMs: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: itemKey(count, atMs) },
        UpdateExpression: 'SET #n = :zero, #ttl = :ttl',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': LEDGER_TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':zero': 0, ':ttl': expiry(count, atMs) },
      }),
    );
  }

  private addition(count: WindowCount, atMs: number, by: number) {
    return {
      TableName: this.table,
      Key: { pk: itemKey(count, atMs) },
      UpdateExpression: 'ADD #n :by SET #kind = :kind, #ttl = :ttl',
      ExpressionAttributeNames: { '#n': 'n', '#kind': 'kind', '#ttl': LEDGER_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':by': by, ':kind': 'confirm', ':ttl': expiry(count, atMs) } as Record<string, unknown>,
    };
  }
}

/** The start of the window of `count` that holds `atMs`. */
function windowStart(count: WindowCount, atMs: number): number {
  return atMs - (atMs % count.windowMs);
}

function itemKey(count: WindowCount, atMs: number): string {
  return `${CONFIRM_KEY_PREFIX}${count.key}#${windowStart(count, atMs)}`;
}

// Epoch seconds a day after the window ends: DynamoDB's TTL deletes within days, and a late read still finds it.
function expiry(count: WindowCount, atMs: number): number {
  return Math.floor((windowStart(count, atMs) + count.windowMs) / 1000) + KEEP_SECONDS;
}
