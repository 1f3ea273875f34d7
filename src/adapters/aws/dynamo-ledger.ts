/**
 * Ledger on one DynamoDB table (partition key `pk` only): `issue#<list>#<id>` items hold an issue's state
 * and counts, `delivery#<list>#<id>#<subscriberId>` items one delivery each. Every claim is a conditional
 * put (attribute_not_exists(pk)); a failed condition means someone claimed it first.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryClaim, DeliveryOutcome, IssueClaim, IssueCounts, IssueRecord, IssueRef, Ledger } from '../../ports.js';

/** The ledger in DynamoDB. */
export class DynamoLedger implements Ledger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
      sent: 0,
      failed: 0,
      unknown: 0,
    };
    return conditional(this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })));
  }

  /** Deletes the issue item. */
  async releaseIssue(issue: IssueRef): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: issuePk(issue) } }));
  }

  /** Strongly consistent read of the issue item. */
  async getIssue(issue: IssueRef): Promise<IssueRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: issuePk(issue) }, ConsistentRead: true }));
    const i = out.Item;
    if (!i) return undefined;
    return {
      list: i.list,
      id: i.id,
      renderedKey: i.renderedKey,
      source: i.source,
      claimedAt: i.claimedAt,
      plannedPage: Number(i.plannedPage),
      nextCursor: i.nextCursor,
      planComplete: Boolean(i.planComplete),
      counts: { planned: Number(i.planned ?? 0), sent: Number(i.sent ?? 0), failed: Number(i.failed ?? 0), unknown: Number(i.unknown ?? 0) },
    };
  }

  /** Atomic increments. */
  async addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void> {
    await addToIssueCounters(this.db, this.table, issue, delta);
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

  /** Conditional put of the delivery item; on conflict, the existing item says whether it finished. */
  async claimDelivery(issue: IssueRef, subscriberId: string, at: string): Promise<DeliveryClaim> {
    const pk = deliveryPk(issue, subscriberId);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk, kind: 'delivery', status: 'claimed', claimedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // The old item comes back marshalled ({ S: … }) when the server supports it; otherwise read it.
      let status = ((error as ConditionalCheckFailedException).Item?.status as { S?: string } | undefined)?.S;
      if (status === undefined) {
        const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk }, ConsistentRead: true }));
        status = out.Item?.status as string | undefined;
      }
      return status === 'claimed' ? 'in-flight' : status === undefined ? this.claimDelivery(issue, subscriberId, at) : 'done';
    }
  }

  /** Records the outcome (unconditionally: only the claimant ever completes). */
  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<void> {
    const detail = outcome.status === 'sent' ? { name: 'messageId', value: outcome.messageId } : { name: 'reason', value: outcome.reason.slice(0, 1000) };
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: deliveryPk(issue, subscriberId) },
        UpdateExpression: `SET #status = :status, completedAt = :at, ${detail.name} = :detail`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': outcome.status, ':at': at, ':detail': detail.value },
      }),
    );
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
}

/** The ledger key of an issue. */
export function issuePk(issue: IssueRef): string {
  return `issue#${issue.list}#${issue.id}`;
}

/** The ledger key of one delivery. */
export function deliveryPk(issue: IssueRef, subscriberId: string): string {
  return `delivery#${issue.list}#${issue.id}#${subscriberId}`;
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

/** True for DynamoDB's "the condition did not hold" (by name: bundles may hold two copies of the class). */
/** Atomic ADDs to counters on an issue item; nothing when the issue item does not exist (e.g. a proof). */
export async function addToIssueCounters(db: DynamoDBDocumentClient, table: string, issue: IssueRef, delta: Readonly<Record<string, number | undefined>>): Promise<void> {
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

export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
