/** DynamoDB's subscriber store against the searchMembers contract, on dynalite (in-process DynamoDB). */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { type Emulator, startDynalite, useFakeAwsCredentials } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { describeMemberSearchContract } from '../support/member-search-contract.js';

describe('DynamoDB subscriber search', () => {
  let dynalite: Emulator;
  let store: DynamoSubscriberStore;

  beforeAll(async () => {
    useFakeAwsCredentials();
    dynalite = await startDynalite();
    const dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    await createNewsbriefTables(dynamo);
    store = new DynamoSubscriberStore(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      'subscribers',
      randomUUID,
    );
  }, 60_000);
  afterAll(async () => dynalite?.stop());

  // One table for the suite: every test works on a list of its own.
  describeMemberSearchContract('DynamoSubscriberStore', () => store);
});
