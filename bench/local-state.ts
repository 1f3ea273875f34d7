/**
 * Local state at scale: subscribers imported into local mode's database through the real importer (one
 * transaction per batch), then planned through the real planPage, page after page, at three list sizes
 * (10k, 100k, 1M; `--short`: 2k, 20k, 100k). Reports the import rate, the plan cost per page at each size
 * (flat when pages come from an index by cursor), the time to open the full state, and the peak RSS of a
 * process that does only this (the bench runs in a child process of its own, so that nothing else counts).
 * The in-memory store (tests, the pipeline bench) is planned too, at the two smaller sizes.
 *
 *   npx tsx bench/local-state.ts [--short]        # prints the result as JSON
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalStore, STATE_DB_FILE } from '../src/adapters/local/local-store.js';
import { MemoryLedger } from '../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../src/adapters/memory/memory-stores.js';
import type { PlanMessage, SendJob } from '../src/model.js';
import { planPage } from '../src/pipeline/plan-page.js';
import type { JobQueue, Ledger, SubscriberAdmin, SubscriberStore } from '../src/ports.js';
import type { CsvSubscriber } from '../src/subscribers/parse-csv.js';
import { importSubscribers } from '../src/subscribers/import-subscribers.js';

const LIST = 'weekly';
const AT = '2026-03-01T00:00:00.000Z';
// Rows per transaction: random keys dirty about one index page per row, so a commit costs about as much for
// 5,000 rows as for 50,000; large batches keep a million-row import at a few dozen commits.
const IMPORT_BATCH = 50_000;

/** Plan cost at one list size. */
export interface PlanAtSize {
  readonly subscribers: number;
  readonly pages: number;
  readonly msPerPage: number;
}

/** The local-state bench's result. */
export interface LocalStateBenchResult {
  readonly sizes: readonly number[];
  readonly importRowsPerSecond: number;
  readonly reimport: { readonly rows: number; readonly unchanged: number; readonly rowsPerSecond: number };
  readonly plan: readonly PlanAtSize[];
  readonly memoryPlan: readonly PlanAtSize[];
  /** Per-page plan cost at the largest size over that at the smallest (target ≤ 2). */
  readonly planGrowth: number;
  readonly openMs: number;
  readonly databaseMiB: number;
  readonly peakRssMiB: number;
  readonly targets: { readonly importRowsPerSecond: 50_000; readonly planGrowth: 2; readonly peakRssMiB: 300 };
}

/** Subscribers `from` … `to - 1`, in an order unlike their addresses' (as a real CSV is), never held at once. */
function* csvRows(from: number, to: number): Generator<CsvSubscriber> {
  for (let i = from; i < to; i++) {
    const scrambled = (Math.imul(i, 2654435761) >>> 0).toString(16).padStart(8, '0');
    yield { email: `${scrambled}-${i}@bench.example.org`, firstName: `Reader ${i}`, attributes: {}, line: i + 2 };
  }
}

/** A queue that counts what planning enqueues and keeps only the next plan page. */
class CountingQueue implements JobQueue {
  jobs = 0;
  next: PlanMessage | undefined;

  async enqueueSendJobs(jobs: readonly SendJob[]): Promise<void> {
    this.jobs += jobs.length;
  }

  async enqueuePlan(message: PlanMessage): Promise<void> {
    this.next = message;
  }
}

/** Plans a fresh issue over the whole list, page by page, as the plan function would; the time per page. */
async function planAll(subscribers: SubscriberStore, ledger: Ledger, size: number): Promise<PlanAtSize> {
  const issue = { list: LIST, id: `bench-${size}` };
  await ledger.claimIssue(issue, { renderedKey: 'rendered/bench', source: 'bench', at: AT });
  const queue = new CountingQueue();
  let message: PlanMessage | undefined = { format: 'newsbrief/plan-page@1', issue, renderedKey: 'rendered/bench', page: 0 };
  let pages = 0;
  let planned = 0;
  const started = performance.now();
  while (message) {
    queue.next = undefined;
    const result = await planPage({ subscribers, ledger, queue }, message);
    if (result.status === 'planned') planned += result.recipients;
    pages++;
    message = queue.next;
  }
  const ms = performance.now() - started;
  if (planned !== size) throw new Error(`planned ${planned} of ${size} subscribers`);
  return { subscribers: size, pages, msPerPage: ms / pages };
}

/** Imports rows `from` … `to - 1`; the rows per second. */
async function importRange(store: SubscriberAdmin, from: number, to: number): Promise<{ rowsPerSecond: number; unchanged: number }> {
  const started = performance.now();
  const counts = await importSubscribers(store, LIST, csvRows(from, to), AT, { batchSize: IMPORT_BATCH });
  const seconds = (performance.now() - started) / 1000;
  return { rowsPerSecond: (to - from) / seconds, unchanged: counts.unchanged };
}

/** The bench itself, in this process. */
async function measure(sizes: readonly number[], log: (line: string) => void): Promise<LocalStateBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-bench-state-'));
  try {
    const store = new LocalStore(dir);
    const plan: PlanAtSize[] = [];
    let imported = 0;
    let importSeconds = 0;
    for (const size of sizes) {
      const started = performance.now();
      await importRange(store, imported, size);
      importSeconds += (performance.now() - started) / 1000;
      imported = size;
      log(
        `local state: ${size.toLocaleString('en-US')} subscribers imported (${Math.round(imported / importSeconds).toLocaleString('en-US')} rows/s so far)`,
      );
      plan.push(await planAll(store, store, size));
      log(
        `local state: planned ${size.toLocaleString('en-US')} in ${plan.at(-1)!.pages} pages, ${plan.at(-1)!.msPerPage.toFixed(2)} ms per page`,
      );
    }
    // The same rows again, as a re-imported CSV: read and compared, nothing written.
    const reimportRows = Math.min(imported, 100_000);
    const reimport = await importRange(store, 0, reimportRows);
    store.close();

    const opened = performance.now();
    const reopened = new LocalStore(dir);
    const counted = (await reopened.countByStatus(LIST)).subscribed;
    await reopened.pageSubscribed(LIST, undefined, 1000);
    const openMs = performance.now() - opened;
    if (counted !== imported) throw new Error(`counted ${counted} of ${imported}`);
    const databaseMiB = statSync(join(dir, STATE_DB_FILE)).size / 2 ** 20;
    reopened.close();

    // The in-memory store, at the smaller sizes (a million records in memory is not what it is for).
    const memoryPlan: PlanAtSize[] = [];
    const memory = new MemorySubscriberStore();
    let inMemory = 0;
    for (const size of sizes.slice(0, 2)) {
      await importSubscribers(memory, LIST, csvRows(inMemory, size), AT, { batchSize: IMPORT_BATCH });
      inMemory = size;
      memoryPlan.push(await planAll(memory, new MemoryLedger(), size));
    }

    return {
      sizes,
      importRowsPerSecond: imported / importSeconds,
      reimport: { rows: reimportRows, unchanged: reimport.unchanged, rowsPerSecond: reimport.rowsPerSecond },
      plan,
      memoryPlan,
      planGrowth: plan.at(-1)!.msPerPage / plan[0]!.msPerPage,
      openMs,
      databaseMiB,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      targets: { importRowsPerSecond: 50_000, planGrowth: 2, peakRssMiB: 300 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the bench in a child process of its own (so that its peak RSS is its own) and returns its result. */
export function runLocalStateBench(
  options: { readonly short?: boolean; readonly log?: (line: string) => void } = {},
): Promise<LocalStateBenchResult> {
  const log = options.log ?? (() => {});
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--child', ...(options.short ? ['--short'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk;
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') log(line);
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the local-state bench failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LocalStateBenchResult);
    }),
  );
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The rows bench/run.ts prints. */
export function describeLocalStateBench(r: LocalStateBenchResult): [string, string, string, boolean | undefined][] {
  const largest = fmt(r.sizes.at(-1)!);
  return [
    [
      `local state: import ${largest} subscribers`,
      `${fmt(r.importRowsPerSecond)} rows/s`,
      '≥ 50,000 rows/s',
      r.importRowsPerSecond >= 50_000,
    ],
    [
      `local state: re-import ${fmt(r.reimport.rows)} unchanged rows`,
      `${fmt(r.reimport.rowsPerSecond)} rows/s`,
      'all unchanged',
      r.reimport.unchanged === r.reimport.rows,
    ],
    ...r.plan.map((p): [string, string, string, boolean | undefined] => [
      `local state: plan per page at ${fmt(p.subscribers)}`,
      `${fmt(p.msPerPage, 2)} ms`,
      '',
      undefined,
    ]),
    [`local state: plan per page, ${largest} ÷ ${fmt(r.sizes[0]!)}`, `${fmt(r.planGrowth, 2)}×`, '≤ 2×', r.planGrowth <= 2],
    ...r.memoryPlan.map((p): [string, string, string, boolean | undefined] => [
      `memory store: plan per page at ${fmt(p.subscribers)}`,
      `${fmt(p.msPerPage, 2)} ms`,
      '',
      undefined,
    ]),
    [`local state: open ${largest} and read a page`, `${fmt(r.openMs, 1)} ms`, '< 1,000 ms', r.openMs < 1_000],
    [`local state: database file at ${largest}`, `${fmt(r.databaseMiB, 1)} MiB`, '', undefined],
    ['local state: peak RSS (import + plan)', `${fmt(r.peakRssMiB)} MiB`, '< 300 MiB', r.peakRssMiB < 300],
  ];
}

// Run directly (or as runLocalStateBench's child): measure and print the result as one JSON line.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { short: { type: 'boolean' }, child: { type: 'boolean' } } });
  const sizes = values.short ? [2_000, 20_000, 100_000] : [10_000, 100_000, 1_000_000];
  const result = await measure(sizes, (line) => console.error(line));
  console.log(JSON.stringify(result));
}
