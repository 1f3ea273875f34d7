/**
 * CPU per step of one deployed delivery, measured apart: compose (token, personalize, MIME), the claim
 * (UpdateItem), the outcome (TransactWriteItems with its counter shard), SendRawEmail, through the same SDK
 * clients the send function builds, against bench/fake-aws.ts running in a child process (so that only the
 * caller's CPU is counted; latencies 0). Sequential calls, process CPU (user + system) ÷ calls.
 *
 *   npx tsx bench/call-cost.ts [--calls 400]
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UpdateItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FakeAws } from './fake-aws.js';

const FIXTURE = new URL('../test/fixtures/rendered/digest-three-stories.json', import.meta.url);

if (process.argv.includes('--serve')) {
  const fake = new FakeAws({ sesRate: 1e9, sesLatencyMs: 0, dynamoLatencyMs: 0, tables: { ledger: ['pk'] }, secrets: {} });
  process.send!({ endpoint: await fake.start() });
  process.on('disconnect', () => process.exit(0));
} else if (process.argv[1]?.endsWith('bench/call-cost.ts')) {
  const { values } = parseArgs({ options: { calls: { type: 'string' } } });
  const calls = Number(values.calls ?? 400);
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { endpoint } = await new Promise<{ endpoint: string }>((resolve) =>
    child.once('message', (m) => resolve(m as { endpoint: string })),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const { createAwsClients } = await import('../src/wiring/aws.js');
  const { composeReaderMessage } = await import('../src/deliver/reader-message.js');
  const { LISTS } = await import('../test/support/fixtures.js');
  const clients = createAwsClients(process.env);
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { SESClient } = await import('@aws-sdk/client-ses');
  const cachedDynamo = new DynamoDBClient({ cacheMiddleware: true });
  const cachedSes = new SESClient({ cacheMiddleware: true, maxAttempts: 1 });
  const issue = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const list = LISTS.lists.get(issue.list)!;
  const keyring = { current: 'b1', keys: new Map([['b1', 'benchmark-signing-key-0123456789abcdef']]) } as never;
  const compose = async (i: number) => {
    const recipient = { id: `s${i}`, email: `reader${i}@bench.example.org`, firstName: `Reader${i}` };
    return composeReaderMessage({ issue, list, recipient, keyring, date: new Date() });
  };
  const sample = await compose(0);
  const claim = (i: number) => ({
    TableName: 'ledger',
    Key: { pk: `delivery#weekly#bench#s${i}` },
    UpdateExpression:
      'SET kind = :kind, #status = :claimed, attempt = :attempt, claimedAt = :at, holder = :holder, leaseUntil = :until REMOVE retryAt',
    ConditionExpression: 'attribute_not_exists(pk)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':kind': 'delivery',
      ':claimed': 'claimed',
      ':attempt': 1,
      ':at': new Date().toISOString(),
      ':holder': 'lambda:bench',
      ':until': Date.now() + 120_000,
    },
  });
  const complete = (i: number) => ({
    TransactItems: [
      {
        Update: {
          TableName: 'ledger',
          Key: { pk: `delivery#weekly#bench#s${i}` },
          UpdateExpression: 'SET #status = :status, completedAt = :at, messageId = :detail REMOVE retryAt, holder, leaseUntil',
          ConditionExpression: '#status = :was',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': 'sent', ':at': new Date().toISOString(), ':detail': 'm', ':was': 'claimed' },
        },
      },
      {
        Update: {
          TableName: 'ledger',
          Key: { pk: `counts#weekly#bench#${i % 32}` },
          UpdateExpression: 'SET kind = :kind ADD #sent :sent',
          ExpressionAttributeNames: { '#sent': 'sent' },
          ExpressionAttributeValues: { ':kind': 'counts', ':sent': 1 },
        },
      },
    ],
  });
  const { marshall } = await import('@aws-sdk/util-dynamodb');
  const raw = (input: Record<string, any>) => ({
    ...input,
    Key: marshall(input.Key),
    ExpressionAttributeValues: marshall(input.ExpressionAttributeValues),
  });
  const steps: Array<[string, (i: number) => Promise<unknown>]> = [
    ['compose (token + personalize + MIME)', compose],
    ['claim: UpdateItem (document client)', (i) => clients.dynamo.send(new UpdateCommand(claim(i)))],
    ['outcome: TransactWriteItems (document client)', (i) => clients.dynamo.send(new TransactWriteCommand(complete(i) as never))],
    ['claim: UpdateItem (plain client)', (i) => clients.dynamo.send(new UpdateItemCommand(raw(claim(i + 1e6)) as never))],
    [
      'outcome: TransactWriteItems (plain client)',
      (i) =>
        clients.dynamo.send(
          new TransactWriteItemsCommand({
            TransactItems: complete(i + 1e6).TransactItems.map((t) => ({ Update: raw(t.Update) })),
          } as never),
        ),
    ],
    [
      `SendRawEmail (${Math.round(sample.raw.length / 1024)} KiB)`,
      (i) =>
        clients.ses.send(
          new SendRawEmailCommand({
            Source: sample.from,
            Destinations: [`reader${i}@bench.example.org`],
            RawMessage: { Data: sample.raw },
          }),
        ),
    ],
    ['claim: UpdateItem (plain client, cached middleware)', (i) => cachedDynamo.send(new UpdateItemCommand(raw(claim(i + 2e6)) as never))],
    [
      'outcome: TransactWriteItems (plain client, cached middleware)',
      (i) =>
        cachedDynamo.send(
          new TransactWriteItemsCommand({
            TransactItems: complete(i + 2e6).TransactItems.map((t) => ({ Update: raw(t.Update) })),
          } as never),
        ),
    ],
    [
      `SendRawEmail (cached middleware)`,
      (i) =>
        cachedSes.send(
          new SendRawEmailCommand({
            Source: sample.from,
            Destinations: [`reader${i}@bench.example.org`],
            RawMessage: { Data: sample.raw },
          }),
        ),
    ],
  ];
  for (const [name, step] of steps) {
    for (let i = 0; i < 50; i++) await step(i + 5e6); // warm-up
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) await step(i);
    const used = process.cpuUsage(before);
    console.log(`${((used.user + used.system) / 1000 / calls).toFixed(3).padStart(8)} ms  ${name}`);
  }
  child.disconnect();
}
