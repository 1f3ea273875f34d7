/** The DynamoDB tables as lib/delivery-tables.ts declares them, created on an emulator for integration tests. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SUBSCRIBERS_BY_ID_INDEX } from '../../src/config/table-indexes.js';

/** Creates `subscribers` (list + email, GSI byId) and `ledger` (pk). */
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
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}
