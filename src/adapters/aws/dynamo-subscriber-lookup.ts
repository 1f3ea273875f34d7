/**
 * SubscriberLookup on the subscribers table's `byId` GSI (partition key `id`, all attributes projected).
 * A GSI read is eventually consistent: a link is followed long after its subscriber was written.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SUBSCRIBERS_BY_ID_INDEX } from '../../config/table-indexes.js';
import type { Subscriber, SubscriberLookup, SubscriberStatus } from '../../ports.js';

/** Finds subscribers by the opaque id that links carry. */
export class DynamoSubscriberLookup implements SubscriberLookup {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Queries the index; ids are random, so the list filter only guards against a token signed for another list. */
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
    const item = (out.Items ?? []).find((i) => i.list === list);
    if (!item) return undefined;
    return {
      id: item.id as string,
      list: item.list as string,
      email: item.email as string,
      firstName: item.firstName as string | undefined,
      attributes: item.attributes as Record<string, string> | undefined,
      status: item.status as SubscriberStatus,
      createdAt: item.createdAt as string,
      updatedAt: item.updatedAt as string,
    };
  }
}
