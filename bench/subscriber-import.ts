/**
 * `subscribers import --table` against dynalite over HTTP (the emulator the integration tests use, here in a
 * process of its own, as DynamoDB is: on two cores the emulator and the CLI then do not share one): N rows (default 20,000) streamed from a CSV file, then the same file in upper case (which must add
 * nobody and write nothing), then an export. Figures are rows per second end to end, CLI included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CliIo } from '../src/cli/command.js';
import { main } from '../src/cli/main.js';
import { parseSubscribersCsv } from '../src/subscribers/parse-csv.js';
import { transition } from '../src/subscribers/status-transitions.js';
import { awsSubscriberStore } from '../src/wiring/aws.js';
import { type Emulator, freePort, useFakeAwsCredentials } from '../test/support/emulators.js';
import { createNewsbriefTables } from '../test/support/newsbrief-tables.js';

/** What the import bench measured. */
export interface SubscriberImportBench {
  readonly rows: number;
  /** The importer before batching (GetItem then UpdateItem per row, one row at a time), on its own table, same emulator. */
  readonly oneByOneRowsPerSecond: number;
  readonly importSeconds: number;
  readonly importRowsPerSecond: number;
  /** The same rows with the addresses upper-cased: every one unchanged. */
  readonly reimportRowsPerSecond: number;
  readonly reimportAdded: number;
  readonly exportRowsPerSecond: number;
  /** Peak resident memory growth of the CLI's process during the import (MiB): flat when the file is streamed. */
  readonly rssGrowthMiB: number;
}

/** A subscriber CSV of `rows` rows with a name and two attributes each. */
export function benchCsv(rows: number, transform: (email: string) => string = (e) => e): string {
  const lines = ['email,firstName,city,plan'];
  for (let i = 0; i < rows; i++)
    lines.push(`${transform(`Reader.${i}@Example.org`)},Reader ${i},City ${i % 97},${i % 3 ? 'free' : 'paid'}`);
  return `${lines.join('\n')}\n`;
}

/** Runs the bench on a fresh dynalite. */
export async function runSubscriberImportBench(
  options: { rows?: number; oneByOneRows?: number; log?: (line: string) => void } = {},
): Promise<SubscriberImportBench> {
  const rows = options.rows ?? 20_000;
  const oneByOneRows = options.oneByOneRows ?? 2_000;
  const log = options.log ?? (() => {});
  useFakeAwsCredentials();
  const dynalite = await dynaliteProcess();
  const dir = mkdtempSync(join(tmpdir(), 'import-bench-'));
  try {
    const dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint });
    await createNewsbriefTables(dynamo);
    await createNewsbriefTables(dynamo, { subscribers: 'one-by-one', ledger: 'one-by-one-ledger' });
    const env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint };
    const lines: string[] = [];
    const io: CliIo = { out: (t) => lines.push(t), err: (t) => lines.push(t), data: () => {}, cwd: process.cwd(), env, isTty: false };
    const file = join(dir, 'readers.csv');
    const upper = join(dir, 'READERS.csv');
    writeFileSync(file, benchCsv(rows));
    writeFileSync(
      upper,
      benchCsv(rows, (e) => e.toUpperCase()),
    );
    log(`subscriber import: ${rows} rows (${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB) into dynalite`);

    const importJson = async (path: string) => {
      lines.length = 0;
      const started = performance.now();
      const code = await main(['subscribers', 'import', path, '--list', 'weekly', '--table', 'subscribers', '--json'], io);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) throw new Error(`import exited ${code}: ${lines.join('\n')}`);
      return { seconds, result: JSON.parse(lines.at(-1)!) as { added: number; unchanged: number } };
    };
    // The importer as it was: one GetItem and one UpdateItem per row, each awaited.
    const oneByOne = awsSubscriberStore(env, 'one-by-one');
    const sample = parseSubscribersCsv(benchCsv(oneByOneRows)).subscribers;
    const oneByOneStarted = performance.now();
    for (const row of sample) {
      const next = transition((await oneByOne.get('weekly', row.email))?.status, 'import');
      await oneByOne.upsert(
        { list: 'weekly', email: row.email, firstName: row.firstName, attributes: row.attributes, status: next.status ?? 'subscribed' },
        'x',
      );
    }
    const oneByOneRowsPerSecond = oneByOneRows / ((performance.now() - oneByOneStarted) / 1000);
    log(`  one row at a time (the importer before): ${oneByOneRowsPerSecond.toFixed(0)} rows/s`);

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 50);
    const first = await importJson(file);
    clearInterval(sampler);
    if (first.result.added !== rows) throw new Error(`expected ${rows} added, got ${first.result.added}`);
    log(`  import: ${(rows / first.seconds).toFixed(0)} rows/s`);
    const again = await importJson(upper);
    log(`  re-import in upper case: ${(rows / again.seconds).toFixed(0)} rows/s, ${again.result.added} added`);
    const exportStarted = performance.now();
    if ((await main(['subscribers', 'export', '--list', 'weekly', '--table', 'subscribers', '--out', join(dir, 'out.csv')], io)) !== 0)
      throw new Error('export failed');
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    return {
      rows,
      oneByOneRowsPerSecond,
      importSeconds: first.seconds,
      importRowsPerSecond: rows / first.seconds,
      reimportRowsPerSecond: rows / again.seconds,
      reimportAdded: again.result.added,
      exportRowsPerSecond: rows / exportSeconds,
      rssGrowthMiB: (rssPeak - rssBefore) / 1024 / 1024,
    };
  } finally {
    await dynalite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// dynalite in a child process, ready once it answers.
async function dynaliteProcess(): Promise<Emulator> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-e', `require('dynalite')({ createTableMs: 0 }).listen(${port}, '127.0.0.1', () => console.log('ready'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`dynalite exited ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** Rows for bench/run.ts's table. */
export function describeSubscriberImportBench(r: SubscriberImportBench): [string, string, string, boolean | undefined][] {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    ['subscribers import, one row at a time (before)', `${fmt(r.oneByOneRowsPerSecond)} rows/s`, '', undefined],
    [
      `subscribers import --table (dynalite, ${fmt(r.rows)} rows)`,
      `${fmt(r.importRowsPerSecond)} rows/s`,
      '≥ 1,000 rows/s',
      r.importRowsPerSecond >= 1000,
    ],
    ['subscribers re-import, upper case', `${fmt(r.reimportRowsPerSecond)} rows/s`, '0 added', r.reimportAdded === 0],
    ['subscribers export --table', `${fmt(r.exportRowsPerSecond)} rows/s`, '', undefined],
    ['subscribers import memory growth', `${r.rssGrowthMiB.toFixed(0)} MiB`, '', undefined],
  ];
}

// Run alone: npx tsx bench/subscriber-import.ts [rows]
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runSubscriberImportBench({ rows: Number(process.argv[2] ?? 20_000), log: (l) => console.error(l) });
  console.log(JSON.stringify(result));
}
