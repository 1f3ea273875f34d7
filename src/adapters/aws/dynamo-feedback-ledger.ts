/**
 * FeedbackLedger on the ledger table: counters and breaker live on the issue item (`issue#<list>#<id>`),
 * and each SES event is claimed by a `feedback#<list>#<id>#<event key>` item before its counter moves.
 * DynamoDB Local emulators lack transactions, so claim and count are two writes: a crash between them
 * loses one count rather than counting a redelivered event twice.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TTL_ATTRIBUTE } from '../../config/table-indexes.js';
import { FEEDBACK_COUNTERS, ZERO_FEEDBACK } from '../../feedback/feedback-counts.js';
import type { BreakerTrip, FeedbackCounter, FeedbackCounts, FeedbackLedger, IssueHealth, IssueRef } from '../../ports.js';
import { addToIssueCounters, isConditionFailed, issuePk } from './dynamo-ledger.js';

const CLAIM_TTL_SECONDS = 30 * 24 * 60 * 60;

/** Feedback counts and the circuit breaker in the ledger table. */
export class DynamoFeedbackLedger implements FeedbackLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Conditional put of the event's claim, then an atomic increment. */
  async countFeedbackOnce(issue: IssueRef, eventKey: string, counter: FeedbackCounter): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          // SNS redelivers within hours; the claim only has to outlive that, not fill the table for ever.
          Item: { pk: `feedback#${issue.list}#${issue.id}#${eventKey}`, kind: 'feedback', [LEDGER_TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + CLAIM_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
    await this.addFeedbackCounts(issue, { [counter]: 1 });
    return true;
  }

  /** Atomic increments on the issue item (nothing when the issue is unknown, e.g. a proof). */
  async addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void> {
    await addToIssueCounters(this.db, this.table, issue, delta);
  }

  /** Strongly consistent read of the counters and breaker attributes. */
  async issueHealth(issue: IssueRef): Promise<IssueHealth> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: issuePk(issue) },
        ConsistentRead: true,
        ProjectionExpression: [...FEEDBACK_COUNTERS, 'breakerAt', 'breakerReason'].map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries([...FEEDBACK_COUNTERS, 'breakerAt', 'breakerReason'].map((name, i) => [`#a${i}`, name])),
      }),
    );
    const item = out.Item ?? {};
    const counts = { ...ZERO_FEEDBACK };
    for (const name of FEEDBACK_COUNTERS) counts[name] = Number(item[name] ?? 0);
    const breaker = typeof item.breakerAt === 'string' ? { at: item.breakerAt, reason: String(item.breakerReason ?? '') } : undefined;
    return { counts, ...(breaker ? { breaker } : {}) };
  }

  /** Sets the breaker attributes unless they are set. */
  async tripBreaker(issue: IssueRef, trip: BreakerTrip): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: issuePk(issue) },
          UpdateExpression: 'SET breakerAt = :at, breakerReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(breakerAt)',
          ExpressionAttributeValues: { ':at': trip.at, ':reason': trip.reason },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
