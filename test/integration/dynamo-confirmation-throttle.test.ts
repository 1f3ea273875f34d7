import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfirmationThrottle } from '../../src/adapters/aws/dynamo-confirmation-throttle.js';
import { CONFIRM_KEY_PREFIX, LEDGER_TTL_ATTRIBUTE } from '../../src/config/table-indexes.js';
import { describeConfirmationThrottleContract } from '../support/confirmation-throttle-contract.js';
import type { Emulator } from '../support/emulators.js';
import { dynaliteTables } from '../support/newsbrief-tables.js';

let dynalite: Emulator;
let db: DynamoDBDocumentClient;
let throttle: DynamoConfirmationThrottle;

beforeAll(async () => {
  ({ dynalite, db } = await dynaliteTables());
  throttle = new DynamoConfirmationThrottle(db, 'ledger');
});
afterAll(async () => dynalite?.stop());

describeConfirmationThrottleContract('DynamoConfirmationThrottle', () => throttle);

describe('DynamoConfirmationThrottle items', () => {
  it('keeps each window under a confirm# key that expires a day after the window ends', async () => {
    const at = Date.parse('2026-03-02T09:25:00Z');
    await throttle.take({ key: 'items#weekly', windowMs: 3_600_000, limit: 5 }, at);
    const { Items = [] } = await db.send(new ScanCommand({ TableName: 'ledger' }));
    const item = Items.find((i) => String(i.pk).includes('items#weekly'));
    expect(item).toMatchObject({
      pk: `${CONFIRM_KEY_PREFIX}items#weekly#${Date.parse('2026-03-02T09:00:00Z')}`,
      n: 1,
      [LEDGER_TTL_ATTRIBUTE]: Date.parse('2026-03-03T10:00:00Z') / 1000,
    });
  });
});
