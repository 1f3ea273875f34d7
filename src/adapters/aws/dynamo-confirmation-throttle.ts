/**
 * ConfirmationThrottle on the ledger table: one `confirm#<list>#<email>` item per address holds when its last
 * confirmation mail was claimed. A conditional put claims the slot only when the last one is older than the
 * window, so two form posts racing each other still send one mail.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CONFIRM_KEY_PREFIX, LEDGER_TTL_ATTRIBUTE } from '../../config/table-indexes.js';
import type { ConfirmationThrottle } from '../../ports.js';
import { isConditionFailed } from './dynamo-ledger.js';

/** Confirmation slots in the ledger table. */
export class DynamoConfirmationThrottle implements ConfirmationThrottle {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Conditional put: absent, or claimed before the window. */
  async claimConfirmation(list: string, email: string, atMs: number, windowMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          // DynamoDB deletes the slot a day after it is no longer needed.
          Item: {
            pk: `${CONFIRM_KEY_PREFIX}${list}#${email}`,
            kind: 'confirm',
            at: atMs,
            [LEDGER_TTL_ATTRIBUTE]: Math.floor((atMs + windowMs) / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #at <= :cutoff',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':cutoff': atMs - windowMs },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Deletes the slot if it is still the one claimed at `atMs`. */
  async releaseConfirmation(list: string, email: string, atMs: number): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `${CONFIRM_KEY_PREFIX}${list}#${email}` },
          ConditionExpression: '#at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': atMs },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
