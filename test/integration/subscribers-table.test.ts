/**
 * `newsbrief subscribers import|export|show|update|forget|doctor --table` against dynalite over HTTP: a
 * 20,000-row import (its rate printed; bench/subscriber-import.ts measures it properly), case-insensitive
 * matching, partial imports, erasure with suppression, the export round trip and the case-duplicate repair.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchCsv } from '../../bench/subscriber-import.js';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { importSubscribers } from '../../src/subscribers/import-subscribers.js';
import { parseSubscribersCsv } from '../../src/subscribers/parse-csv.js';
import { awsSubscriberStore } from '../../src/wiring/aws.js';
import { startDynalite, startMoto, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { skipWithout } from '../support/test-tools.js';

const ROWS = 20_000;
let dynalite: Emulator;
let env: NodeJS.ProcessEnv;
let documents: DynamoDBDocumentClient;
const dir = mkdtempSync(join(tmpdir(), 'subscribers-table-'));

function io(): CliIo & { lines: string[]; data: (t: string) => void; text: () => string; written: string[] } {
  const lines: string[] = [];
  const written: string[] = [];
  return {
    lines,
    written,
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    data: (t) => written.push(t),
    text: () => lines.join('\n'),
    cwd: process.cwd(),
    env,
    isTty: false,
  };
}

async function cli(...argv: string[]): Promise<{ code: number; text: string; data: string; json: () => Record<string, unknown> }> {
  const out = io();
  const code = await main(argv, out);
  return { code, text: out.text(), data: out.written.join(''), json: () => JSON.parse(out.lines.at(-1)!) as Record<string, unknown> };
}

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function countItems(table: string, list: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#l = :l',
        ExpressionAttributeNames: { '#l': 'list' },
        ExpressionAttributeValues: { ':l': list },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

beforeAll(async () => {
  useFakeAwsCredentials();
  dynalite = await startDynalite();
  env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint };
  const dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint });
  documents = DynamoDBDocumentClient.from(dynamo);
  await createNewsbriefTables(dynamo);
  await createNewsbriefTables(dynamo, { subscribers: 'subscribers-copy', ledger: 'ledger-copy' });
});

afterAll(async () => {
  await dynalite?.stop();
});

describe('subscribers import --table, 20,000 rows', () => {
  const table = ['--list', 'weekly', '--table', 'subscribers'];

  it('imports every row, and a re-import in upper case adds nobody and writes nothing', async () => {
    const started = performance.now();
    const first = await cli('subscribers', 'import', csvFile('readers.csv', benchCsv(ROWS)), ...table, '--json');
    const seconds = (performance.now() - started) / 1000;
    console.info(`imported ${ROWS} rows into dynalite in ${seconds.toFixed(1)} s: ${Math.round(ROWS / seconds)} rows/s`);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ added: ROWS, updated: 0, invalid: 0 });
    expect(await countItems('subscribers', 'weekly')).toBe(ROWS);

    const again = await cli(
      'subscribers',
      'import',
      csvFile(
        'READERS.csv',
        benchCsv(ROWS, (e) => e.toUpperCase()),
      ),
      ...table,
      '--json',
    );
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: ROWS });
    expect(await countItems('subscribers', 'weekly')).toBe(ROWS);
    // Shown and mailed as first written.
    expect((await awsSubscriberStore(env, 'subscribers').get('weekly', 'READER.7@EXAMPLE.ORG'))?.email).toBe('Reader.7@example.org');
  }, 600_000);

  it('forgets a person: their data is gone, a hash remains, and importing the file again does not bring them back', async () => {
    const forget = await cli('subscribers', 'forget', 'READER.42@example.org', '--table', 'subscribers');
    expect(forget.code).toBe(0);
    expect(forget.text).toContain('erased from weekly');
    const show = await cli('subscribers', 'show', 'reader.42@example.org', '--table', 'subscribers', '--json');
    expect(show.json()).toMatchObject({ forgotten: true, members: [] });

    const again = await cli('subscribers', 'import', join(dir, 'readers.csv'), ...table, '--json');
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ added: 0, suppressed: [{ line: 44 }] });
    expect(await awsSubscriberStore(env, 'subscribers').get('weekly', 'Reader.42@example.org')).toBeUndefined();
    // No item anywhere in the table holds the address any more.
    const suppression = await documents.send(
      new QueryCommand({
        TableName: 'subscribers',
        KeyConditionExpression: '#l = :l',
        ExpressionAttributeNames: { '#l': 'list' },
        ExpressionAttributeValues: { ':l': '#suppression' },
      }),
    );
    expect(JSON.stringify(suppression.Items)).not.toMatch(/reader\.42/i);
    expect(suppression.Items?.length).toBe(2); // the salt and one hash
  }, 120_000);
});

describe('subscribers import --table, partly valid files', () => {
  it('imports the valid rows, lists the bad ones by line and exits 3', async () => {
    const file = csvFile(
      'mixed.csv',
      'email,firstName\nok1@example.net,One\nnot-an-address,X\nok2@example.net,Two\n"unterminated@example.net,Y\n',
    );
    const result = await cli('subscribers', 'import', file, '--list', 'morning-digest', '--table', 'subscribers', '--json');
    expect(result.code).toBe(3);
    expect(result.json()).toMatchObject({
      added: 2,
      invalid: 2,
      problems: [
        { line: 3, message: '"not-an-address" is not an e-mail address' },
        { line: 5, message: 'a quoted field is never closed' },
      ],
    });
    const human = await cli('subscribers', 'import', file, '--list', 'morning-digest', '--table', 'subscribers');
    expect(human.code).toBe(3);
    expect(human.text).toMatch(/0 added, 0 updated, 2 unchanged.*2 invalid row\(s\)/);
    expect(human.text).toContain('  line 3: "not-an-address" is not an e-mail address');
    expect(human.text).toContain('partly imported');
  });

  it('exits 1 when no row is valid', async () => {
    const result = await cli(
      'subscribers',
      'import',
      csvFile('bad.csv', 'name\nx\n'),
      '--list',
      'morning-digest',
      '--table',
      'subscribers',
    );
    expect(result.code).toBe(1);
    expect(result.text).toContain('line 1: no "email" column in the header');
  });
});

describe('subscribers show, update, export --table', () => {
  it('corrects a name and attributes whatever the case of the address given', async () => {
    const update = await cli(
      'subscribers',
      'update',
      'READER.9@example.org',
      '--list',
      'weekly',
      '--table',
      'subscribers',
      '--first-name',
      'Nine',
      '--field',
      'city=Rome',
      '--field',
      'plan=',
    );
    expect(update.code).toBe(0);
    const show = await cli('subscribers', 'show', 'reader.9@EXAMPLE.org', '--list', 'weekly', '--table', 'subscribers', '--json');
    expect(show.json()).toMatchObject({
      members: [{ email: 'Reader.9@example.org', firstName: 'Nine', attributes: { city: 'Rome' }, status: 'subscribed' }],
    });
    expect((show.json().members as { attributes: object }[])[0]!.attributes).not.toHaveProperty('plan');
    expect(
      (await cli('subscribers', 'update', 'nobody@example.org', '--list', 'weekly', '--table', 'subscribers', '--first-name', 'X')).code,
    ).toBe(1);
  });

  it('exports a list that, imported into another table, exports the same — and keeps who left as having left', async () => {
    const store = awsSubscriberStore(env, 'subscribers');
    const source = csvFile(
      'future.csv',
      'email,firstName,note,city\nZed@Example.com,"Zed ""Z""","a, b",Oslo\nyo@example.com,,=1+2,\nleft@example.com,Left,,Rome\n',
    );
    expect((await cli('subscribers', 'import', source, '--list', 'future-50', '--table', 'subscribers')).code).toBe(0);
    await store.setStatus('future-50', 'LEFT@example.com', 'unsubscribed', '2026-01-02T00:00:00Z');

    const exported = join(dir, 'future-export.csv');
    expect((await cli('subscribers', 'export', '--list', 'future-50', '--table', 'subscribers', '--out', exported)).code).toBe(0);
    const first = readFileSync(exported, 'utf8');
    expect(first.split('\r\n')[0]).toBe('email,firstName,status,city,note');
    expect(first).toContain('left@example.com,Left,unsubscribed,Rome,');

    expect((await cli('subscribers', 'import', exported, '--list', 'future-50', '--table', 'subscribers-copy')).code).toBe(0);
    const copy = await cli('subscribers', 'export', '--list', 'future-50', '--table', 'subscribers-copy');
    expect(copy.data).toBe(first);
    expect((await awsSubscriberStore(env, 'subscribers-copy').get('future-50', 'left@example.com'))?.status).toBe('unsubscribed');
  });
});

describe('subscribers doctor --table', () => {
  it('finds members stored under case variants of one address and merges them, the status that mails least winning', async () => {
    const legacy = (email: string, id: string, status: string, createdAt: string) =>
      documents.send(
        new PutCommand({ TableName: 'subscribers', Item: { list: 'arabic-weekly', email, id, status, createdAt, updatedAt: createdAt } }),
      );
    await legacy('Mixed@Example.org', 'old-id', 'subscribed', '2025-01-01T00:00:00Z');
    await legacy('MIXED@example.org', 'newer-id', 'unsubscribed', '2025-06-01T00:00:00Z');
    await legacy('Solo@example.org', 'solo-id', 'subscribed', '2025-03-01T00:00:00Z');

    const check = await cli('subscribers', 'doctor', '--list', 'arabic-weekly', '--table', 'subscribers');
    expect(check.code).toBe(1);
    expect(check.text).toContain('2 address(es) stored under a case-sensitive key, 1 of them with case duplicates');
    expect(check.text).toContain('--fix');

    expect((await cli('subscribers', 'doctor', '--list', 'arabic-weekly', '--table', 'subscribers', '--fix')).code).toBe(0);
    const store = awsSubscriberStore(env, 'subscribers');
    expect(await store.get('arabic-weekly', 'mixed@example.org')).toMatchObject({
      id: 'old-id',
      status: 'unsubscribed',
      email: 'MIXED@example.org',
    });
    expect(await store.get('arabic-weekly', 'solo@EXAMPLE.org')).toMatchObject({ id: 'solo-id', status: 'subscribed' });
    expect(await countItems('subscribers', 'arabic-weekly')).toBe(2);
    expect((await cli('subscribers', 'doctor', '--list', 'arabic-weekly', '--table', 'subscribers')).code).toBe(0);
  });
});

/**
 * dynalite behind a proxy that, for its first `times` BatchWriteItem and BatchGetItem requests, passes on only the
 * first half and hands the rest back as UnprocessedItems / UnprocessedKeys: what DynamoDB does when it throttles.
 */
async function startThrottlingProxy(
  target: string,
  times: number,
): Promise<{ endpoint: string; handedBack: { items: number; keys: number }; stop(): Promise<void> }> {
  const handedBack = { items: 0, keys: 0 };
  let writes = 0;
  let reads = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const operation = String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop();
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { RequestItems?: Record<string, unknown> };
    const back: Record<string, unknown> = {};
    for (const [table, spec] of Object.entries(request.RequestItems ?? {})) {
      if (operation === 'BatchWriteItem' && writes < times && (spec as unknown[]).length > 1) {
        const items = spec as unknown[];
        const half = Math.ceil(items.length / 2);
        request.RequestItems![table] = items.slice(0, half);
        back.UnprocessedItems = { [table]: items.slice(half) };
        handedBack.items += items.length - half;
        writes++;
      }
      if (operation === 'BatchGetItem' && reads < times && (spec as { Keys: unknown[] }).Keys.length > 1) {
        const { Keys, ...rest } = spec as { Keys: unknown[] };
        const half = Math.ceil(Keys.length / 2);
        request.RequestItems![table] = { ...rest, Keys: Keys.slice(0, half) };
        back.UnprocessedKeys = { [table]: { ...rest, Keys: Keys.slice(half) } };
        handedBack.keys += Keys.length - half;
        reads++;
      }
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'x-amz-target', 'authorization', 'x-amz-date'])
      if (req.headers[name]) headers[name] = String(req.headers[name]);
    const upstream = await fetch(target, { method: 'POST', headers, body: JSON.stringify(request) });
    const answer = { ...((await upstream.json()) as object), ...back };
    // The body changed, so dynalite's x-amz-crc32 would no longer match it: it is left out (the SDK checks it only when present).
    res.writeHead(upstream.status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handedBack,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('DynamoSubscriberStore bulk calls, throttled', () => {
  it('retries what DynamoDB hands back unprocessed until every row is read and written', async () => {
    const proxy = await startThrottlingProxy(dynalite.endpoint, 6);
    try {
      const store = awsSubscriberStore({ ...env, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint }, 'subscribers');
      const rows = parseSubscribersCsv(benchCsv(600, (e) => e.replace('Reader', 'Throttled'))).subscribers; // not Reader.42, forgotten above
      const counts = await importSubscribers(store, 'throttled', rows, '2026-05-01T00:00:00.000Z', { batchSize: 300 });
      expect(counts).toMatchObject({ added: 600, invalid: 0 });
      expect(proxy.handedBack.items).toBeGreaterThan(0);
      expect(proxy.handedBack.keys).toBeGreaterThan(0);
      expect(await countItems('subscribers', 'throttled')).toBe(600);
      const again = await importSubscribers(store, 'throttled', rows, '2026-05-02T00:00:00.000Z', { batchSize: 300 });
      expect(again).toMatchObject({ added: 0, unchanged: 600 });
    } finally {
      await proxy.stop();
    }
  });
});

describe.skipIf(skipWithout('moto_server'))('subscribers … --stack NAME', () => {
  let moto: Emulator | undefined;
  afterAll(async () => {
    await moto?.stop();
  });

  it('finds the subscribers table and the deployed lists from the stack, including a list only the lists table has', async () => {
    // moto answers CloudFormation (the stack's outputs); the tables themselves are on dynalite.
    moto = await startMoto();
    await new CloudFormationClient({ endpoint: moto.endpoint }).send(
      new CreateStackCommand({
        StackName: 'Newsbrief',
        TemplateBody: JSON.stringify({
          Resources: { Placeholder: { Type: 'AWS::SQS::Queue' } },
          Outputs: { SubscribersTableName: { Value: 'subscribers' }, ListsTableName: { Value: 'Newsbrief-lists' } },
        }),
      }),
    );
    await new DynamoDBClient({ endpoint: dynalite.endpoint }).send(
      new CreateTableCommand({
        TableName: 'Newsbrief-lists',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const lists = JSON.parse(readFileSync('config/lists.json', 'utf8')) as { lists: { id: string }[] };
    const deployedOnly = { ...lists.lists.find((l) => l.id === 'weekly')!, id: 'deployed-only' };
    await documents.send(
      new PutCommand({
        TableName: 'Newsbrief-lists',
        Item: { id: 'deployed-only', document: JSON.stringify(deployedOnly), updatedAt: '2026-05-01T00:00:00Z' },
      }),
    );

    const stackEnv = { AWS_ENDPOINT_URL_CLOUDFORMATION: moto.endpoint };
    const run = async (...argv: string[]) => {
      const out = io();
      const code = await main(argv, { ...out, env: { ...env, ...stackEnv } });
      return { code, text: out.text() };
    };
    const file = csvFile('deployed.csv', 'email,firstName\nStack.Reader@example.org,Stack\n');
    const imported = await run('subscribers', 'import', file, '--list', 'deployed-only', '--stack', 'Newsbrief');
    expect(imported.text).toContain('1 added');
    expect(imported.code).toBe(0);
    expect((await awsSubscriberStore(env, 'subscribers').get('deployed-only', 'stack.reader@example.org'))?.firstName).toBe('Stack');
    expect((await run('subscribers', 'import', file, '--list', 'weekly', '--stack', 'Newsbrief')).text).toContain(
      'unknown list "weekly" (lists: deployed-only)',
    );
    // forget with no --list erases the person from every deployed list.
    expect((await run('subscribers', 'forget', 'STACK.READER@example.org', '--stack', 'Newsbrief')).text).toContain(
      'erased from deployed-only',
    );
    expect((await run('subscribers', 'show', 'stack.reader@example.org', '--stack', 'Newsbrief', '--json')).text).toContain(
      '"forgotten":true',
    );
    expect((await run('subscribers', 'show', 'x@example.org', '--stack', 'Nowhere')).text).toMatch(/no stack Nowhere/);
  }, 120_000);
});
