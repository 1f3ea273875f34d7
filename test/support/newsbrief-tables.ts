/** The DynamoDB tables as lib/delivery-tables.ts declares them, created on an emulator for integration tests. */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { LEDGER_ISSUES_BY_LIST_INDEX, SUBSCRIBERS_BY_ID_INDEX } from '../../src/config/table-indexes.js';
import { type Emulator, startDynalite, useFakeAwsCredentials } from './emulators.js';

/** Creates `subscribers` (list + email, GSI byId) and `ledger` (pk, sparse GSI issuesByList on list + claimedAt). */
export async function createNewsbriefTables(
  dynamo: DynamoDBClient,
  names = { subscribers: 'subscribers', ledger: 'ledger' },
): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: names.subscribers,
      KeySchema: [
        { AttributeName: 'list', KeyType: 'HASH' },
        { AttributeName: 'email', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'list', AttributeType: 'S' },
        { AttributeName: 'email', AttributeType: 'S' },
        { AttributeName: 'id', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SUBSCRIBERS_BY_ID_INDEX,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamo.send(
    new CreateTableCommand({
      TableName: names.ledger,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'list', AttributeType: 'S' },
        { AttributeName: 'claimedAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: LEDGER_ISSUES_BY_LIST_INDEX,
          KeySchema: [
            { AttributeName: 'list', KeyType: 'HASH' },
            { AttributeName: 'claimedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['id'] },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/**
 * A fresh dynalite with the newsbrief tables, and a document client as the functions build theirs (undefined
 * values removed); stop the emulator when done.
 */
export async function dynaliteTables(): Promise<{ dynalite: Emulator; dynamo: DynamoDBClient; db: DynamoDBDocumentClient }> {
  useFakeAwsCredentials();
  const dynalite = await startDynalite();
  const dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
  await createNewsbriefTables(dynamo);
  return { dynalite, dynamo, db: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}

/** A DynamoDB subscriber store on a fresh dynalite with the newsbrief tables; stop the emulator when done. */
export async function dynaliteSubscriberStore(): Promise<{ dynalite: Emulator; store: DynamoSubscriberStore }> {
  const { dynalite, db } = await dynaliteTables();
  return { dynalite, store: new DynamoSubscriberStore(db, 'subscribers', randomUUID) };
}
