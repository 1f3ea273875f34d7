/**
 * FeedbackLedger on the ledger table: counters live on the issue's counter shards (`counts#<list>#<id>#<n>`,
 * see dynamo-ledger.ts: Delivery events alone are one per message, too many for one item at high rates),
 * the breaker on the issue item, and each SES event is claimed by a `feedback#<list>#<id>#<event key>` item
 * before its counter moves.
 * DynamoDB Local emulators lack transactions, so claim and count are two writes: a crash between them
 * loses one count rather than counting a redelivered event twice.
 */
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TTL_ATTRIBUTE } from '../../config/table-indexes.js';
import { FEEDBACK_COUNTERS, ZERO_FEEDBACK } from '../../feedback/feedback-counts.js';
import type { EngagementLedger, FeedbackLedger } from '../../ports.js';
import { isEngagementCounter, READER_CLAIM_PREFIX, READER_CLICK_PREFIX } from '../../engagement/engagement-counters.js';
import type { BreakerOverride, BreakerTrip, FeedbackCounter, FeedbackCounts, IssueHealth, IssueRef, ReaderClick } from '../../model.js';
import { randomUUID } from 'node:crypto';
import { addToShard, isConditionFailed, issuePk, readIssueItems } from './dynamo-ledger.js';

const CLAIM_TTL_SECONDS = 30 * 24 * 60 * 60;
// Opens and clicks keep coming for months (archives, forwards); a reader's "first open" claim must outlive them.
const ENGAGEMENT_CLAIM_TTL_SECONDS = 400 * 24 * 60 * 60;

/** Feedback counts and the circuit breaker in the ledger table. */
export class DynamoFeedbackLedger implements FeedbackLedger, EngagementLedger {
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
          Item: {
            pk: `feedback#${issue.list}#${issue.id}#${eventKey}`,
            kind: 'feedback',
            [LEDGER_TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + CLAIM_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
    await addToShard(this.db, this.table, issue, eventKey, { [counter]: 1 });
    return true;
  }

  /** Atomic increments on a counter shard (any: they are summed). */
  async addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void> {
    await addToShard(this.db, this.table, issue, randomUUID(), delta);
  }

  /** Strongly consistent read of the counters (issue item, from before shards, plus shards) and breaker. */
  async issueHealth(issue: IssueRef): Promise<IssueHealth> {
    const [item = {}, shards] = await readIssueItems(this.db, this.table, issue);
    const counts = { ...ZERO_FEEDBACK };
    for (const name of FEEDBACK_COUNTERS) counts[name] = [item, ...shards].reduce((total, it) => total + Number(it[name] ?? 0), 0);
    const breaker = typeof item.breakerAt === 'string' ? { at: item.breakerAt, reason: String(item.breakerReason ?? '') } : undefined;
    const overrides = Array.isArray(item.breakerOverrides) ? (item.breakerOverrides as BreakerOverride[]) : undefined;
    return { counts, ...(breaker ? { breaker } : {}), ...(overrides ? { overrides } : {}) };
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

  /** Removes the breaker attributes and appends the override to `breakerOverrides`, only while the breaker is the trip overridden. */
  async overrideBreaker(issue: IssueRef, override: BreakerOverride): Promise<boolean> {
    const { by, ...rest } = override;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: issuePk(issue) },
          UpdateExpression:
            'REMOVE breakerAt, breakerReason SET breakerOverrides = list_append(if_not_exists(breakerOverrides, :none), :override)',
          ConditionExpression: 'attribute_exists(pk) AND breakerAt = :previousAt',
          ExpressionAttributeValues: {
            ':none': [],
            ':override': [by === undefined ? rest : { ...rest, by }],
            ':previousAt': override.previous.at,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  // ── EngagementLedger ─────────────────────────────────────────────────────────

  /** Conditional put of a `feedback#` claim; a reader's claims outlive an issue's readership (ENGAGEMENT_CLAIM_TTL_SECONDS). */
  async claimEngagement(issue: IssueRef, key: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `feedback#${issue.list}#${issue.id}#${key}`,
            kind: 'feedback',
            // An event's claim only has to outlive SNS's redeliveries; a reader's "first open" the issue's readership.
            [LEDGER_TTL_ATTRIBUTE]:
              Math.floor(Date.now() / 1000) + (key.startsWith(READER_CLAIM_PREFIX) ? ENGAGEMENT_CLAIM_TTL_SECONDS : CLAIM_TTL_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Atomic increments on a counter shard, beside the feedback counters (`e_` names never collide with them). */
  async addEngagement(issue: IssueRef, delta: Readonly<Record<string, number>>): Promise<void> {
    await addToShard(this.db, this.table, issue, randomUUID(), delta);
  }

  /** The `e_` attributes of the issue's counter shards, summed (one strongly consistent BatchGetItem). */
  async engagementCounters(issue: IssueRef): Promise<Readonly<Record<string, number>>> {
    const [, shards] = await readIssueItems(this.db, this.table, issue);
    const counters: Record<string, number> = {};
    for (const shard of shards)
      for (const [name, value] of Object.entries(shard))
        if (isEngagementCounter(name)) counters[name] = (counters[name] ?? 0) + Number(value ?? 0);
    return counters;
  }

  /**
   * One item per reader and issue (`feedback#<list>#<id>#engagement#click-at#<reader>`) with an attribute per
   * link clicked (`c<position>`: the click's time), set by one UpdateItem that returns the whole item: concurrent
   * clicks of a burst each see the ones written before them, with no read before the write. Bounded by the
   * issue's links however often the reader clicks.
   */
  async recordReaderClick(issue: IssueRef, reader: string, click: ReaderClick): Promise<readonly ReaderClick[]> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `feedback#${issue.list}#${issue.id}#${READER_CLICK_PREFIX}${reader}` },
        UpdateExpression: 'SET #link = :at, #kind = :kind, #ttl = :ttl',
        ExpressionAttributeNames: { '#link': `c${click.position}`, '#kind': 'kind', '#ttl': LEDGER_TTL_ATTRIBUTE },
        // The rule reads seconds; the item only has to outlive late and redelivered clicks, like an event's claim.
        ExpressionAttributeValues: { ':at': click.atMs, ':kind': 'feedback', ':ttl': Math.floor(Date.now() / 1000) + CLAIM_TTL_SECONDS },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Object.entries(out.Attributes ?? {}).flatMap(([name, value]) =>
      /^c\d+$/.test(name) ? [{ position: Number(name.slice(1)), atMs: Number(value) }] : [],
    );
  }
}
