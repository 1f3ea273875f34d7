/**
 * One reader's records of several issues on the ledger table, for their history: the delivery items
 * (`delivery#<list>#<id>#<subscriberId>`) and the once-per-reader claims of opens, clicks and unsubscribes
 * (`feedback#<list>#<id>#<key>`), fetched together by BatchGetItem, 100 keys a request. Keyed reads only: the
 * send path gains no index and no write for this.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReaderRecords } from '../../engagement/reader-history.js';
import type { DeliveryRecord, DeliveryState, IssueRef } from '../../model.js';
import { deliveryPk } from './dynamo-ledger.js';

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_REQUEST = 100;

/** A reader's deliveries and engagement claims in the ledger table. */
export class DynamoReaderRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Per ask, in order: the reader's delivery of the issue and which of its claim keys exist. */
  async readerRecords(
    subscriberId: string,
    asks: readonly { readonly issue: IssueRef; readonly claimKeys: readonly string[] }[],
  ): Promise<ReaderRecords[]> {
    const wanted = asks.flatMap(({ issue, claimKeys }) => [
      deliveryPk(issue, subscriberId),
      ...claimKeys.map((key) => `feedback#${issue.list}#${issue.id}#${key}`),
    ]);
    const found = new Map<string, Record<string, unknown>>();
    for (let start = 0; start < wanted.length; start += KEYS_PER_REQUEST)
      for (const item of await this.batchGet(wanted.slice(start, start + KEYS_PER_REQUEST))) found.set(String(item.pk), item);
    return asks.map(({ issue, claimKeys }) => {
      const delivery = found.get(deliveryPk(issue, subscriberId));
      return {
        ...(delivery ? { delivery: deliveryOf(delivery) } : {}),
        claims: new Set(claimKeys.filter((key) => found.has(`feedback#${issue.list}#${issue.id}#${key}`))),
      };
    });
  }

  // Unprocessed keys (throttling) are asked again after a short, growing wait.
  private async batchGet(pks: readonly string[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let keys = pks.map((pk) => ({ pk }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB left ${keys.length} keys of ${this.table} unprocessed`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
      items.push(...(out.Responses?.[this.table] ?? []));
      keys = (out.UnprocessedKeys?.[this.table]?.Keys as { pk: string }[] | undefined) ?? [];
    }
    return items;
  }
}

// The delivery item as the ledger writes it (see DynamoLedger.claimDelivery and completeDelivery).
function deliveryOf(item: Record<string, unknown>): DeliveryRecord {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  return {
    status: item.status as DeliveryState,
    attempt: Number(item.attempt ?? 1),
    claimedAt: text('claimedAt') ?? '',
    ...(text('completedAt') ? { completedAt: text('completedAt') } : {}),
    ...(text('messageId') ? { messageId: text('messageId') } : {}),
    ...(text('reason') ? { reason: text('reason') } : {}),
  };
}
