/**
 * SubscriberStore on DynamoDB: partition key `list`, sort key `email` (normalized). Cursors are the
 * query's LastEvaluatedKey, base64url-encoded, so that a plan message can carry one. Lookups by the opaque
 * id that links carry go through the `byId` GSI (partition key `id`, all attributes projected).
 */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SUBSCRIBERS_BY_ID_INDEX } from '../../config/table-indexes.js';
import type { SubscriberStore } from '../../ports.js';
import type { Subscriber, SubscriberInput, SubscriberPage, SubscriberStatus } from '../../model.js';
import { isConditionFailed } from './dynamo-ledger.js';

/** The subscribers table. */
export class DynamoSubscriberStore implements SubscriberStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly newId: () => string,
  ) {}

  /** A query page filtered to `subscribed`; `limit` counts items examined, as DynamoDB does. */
  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#list = :list',
        FilterExpression: '#status = :subscribed',
        ExpressionAttributeNames: { '#list': 'list', '#status': 'status' },
        ExpressionAttributeValues: { ':list': list, ':subscribed': 'subscribed' },
        Limit: limit,
        ExclusiveStartKey:
          cursor === undefined ? undefined : (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>),
      }),
    );
    return {
      subscribers: (out.Items ?? []).map(toSubscriber),
      next: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  }

  /** One subscriber. */
  async get(list: string, email: string): Promise<Subscriber | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { list, email } }));
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

  /** BatchGetItem in chunks of 100, retrying unprocessed keys. */
  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    const result = new Map<string, SubscriberStatus>();
    const unique = [...new Set(emails)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((email) => ({ list, email }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed keys');
        const out = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: { Keys: keys, ProjectionExpression: 'email, #status', ExpressionAttributeNames: { '#status': 'status' } },
            },
          }),
        );
        for (const item of out.Responses?.[this.table] ?? []) result.set(item.email as string, item.status as SubscriberStatus);
        keys = (out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return result;
  }

  /** Creates or updates; the id and createdAt of an existing subscriber are kept. */
  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    const sets = ['#id = if_not_exists(#id, :id)', 'createdAt = if_not_exists(createdAt, :at)', 'updatedAt = :at', '#status = :status'];
    const values: Record<string, unknown> = { ':id': this.newId(), ':at': at, ':status': input.status };
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
        Key: { list: input.list, email: input.email },
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
          Key: { list, email },
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
}

function toSubscriber(item: Record<string, unknown>): Subscriber {
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
