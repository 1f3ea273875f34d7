/** DynamoDB's ledger against the shared Ledger contract, on moto (its transactions are what the ledger needs; dynalite has none). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoLedger } from '../../src/adapters/aws/dynamo-ledger.js';
import { startMoto, useFakeAwsCredentials } from '../support/emulators.js';
import { describeLedgerContract } from '../support/ledger-contract.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { skipWithout } from '../support/test-tools.js';

describe.skipIf(skipWithout('moto_server'))('DynamoDB ledger', () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  let ledger: DynamoLedger;

  beforeAll(async () => {
    useFakeAwsCredentials();
    moto = await startMoto();
    const dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
    await createNewsbriefTables(dynamo);
    ledger = new DynamoLedger(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), 'ledger');
  }, 180_000);
  afterAll(async () => moto?.stop());

  // One table for the suite: every test works on an issue of its own.
  describeLedgerContract('DynamoLedger', () => ledger);
});
