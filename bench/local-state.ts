/**
 * Local state at scale: subscribers imported into local mode's database through the real importer (one
 * transaction per batch), then planned through the real planPage, page after page, at three list sizes
 * (10k, 100k, 1M; `--short`: 2k, 20k, 100k). Reports the import rate, the plan cost per page at each size
 * (flat when pages come from an index by cursor), the time to open the full state, and the peak RSS of the
 * importing process and of a fresh process that opens the full state and plans it (each a child process of
 * its own, so that nothing else counts).
 * The in-memory store (tests, the pipeline bench) is planned too, at the two smaller sizes.
 *
 *   npx tsx bench/local-state.ts [--short]        # prints the result as JSON
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalStore, STATE_DB_FILE } from '../src/adapters/local/local-store.js';
import { keepYoungGenerationSmall } from '../src/adapters/local/state-database.js';
import { MemoryLedger } from '../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../src/adapters/memory/memory-stores.js';
import type { PlanMessage, SendJob } from '../src/model.js';
import { planPage } from '../src/pipeline/plan-page.js';
import type { JobQueue, Ledger, SubscriberAdmin, SubscriberStore } from '../src/ports.js';
import type { CsvSubscriber } from '../src/subscribers/parse-csv.js';
import { importSubscribers } from '../src/subscribers/import-subscribers.js';

const LIST = 'weekly';
const AT = '2026-03-01T00:00:00.000Z';
// Rows per transaction: random keys dirty about one index page per row, so a commit costs nearly as much for
// 5,000 rows as for 20,000; large batches keep a million-row import at fifty commits (measured: 5,000-row
// batches take about twice the CPU at 1M, 50,000-row ones the same CPU and 100 MB more RSS).
const IMPORT_BATCH = 20_000;

/** This process's peak RSS so far. */
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

/** Plan cost at one list size. */
export interface PlanAtSize {
  readonly subscribers: number;
  readonly pages: number;
  readonly msPerPage: number;
  /** CPU time per page (this process's user + system): what a page costs, whatever else the machine runs. */
  readonly cpuMsPerPage: number;
}

/** The local-state bench's result. */
export interface LocalStateBenchResult {
  readonly sizes: readonly number[];
  readonly importRowsPerSecond: number;
  /** Rows per CPU-second of the importing process: the rate on an idle machine with a core to itself. */
  readonly importRowsPerCpuSecond: number;
  readonly reimport: { readonly rows: number; readonly unchanged: number; readonly rowsPerSecond: number };
  readonly plan: readonly PlanAtSize[];
  /** The full list planned again by a process that only opened the state. */
  readonly freshProcessPlan: PlanAtSize;
  readonly memoryPlan: readonly PlanAtSize[];
  /** Per-page plan wall time at the largest size over that at the smallest (target ≤ 2). */
  readonly planGrowth: number;
  /** The same in CPU time per page (robust to a busy machine). */
  readonly planCpuGrowth: number;
  readonly openMs: number;
  readonly databaseMiB: number;
  /** Peak RSS of the process that imported every size (and planned at each). */
  readonly importPeakRssMiB: number;
  /** Peak RSS of a fresh process that opened the full state and planned it. */
  readonly planPeakRssMiB: number;
  /** A local send (`newsbrief send`, the embedded SES emulator) to a list imported in a process of its own. */
  readonly send: SendPhase;
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
async function planAll(subscribers: SubscriberStore, ledger: Ledger, size: number, tag = ''): Promise<PlanAtSize> {
  const issue = { list: LIST, id: `bench-${size}${tag}` };
  await ledger.claimIssue(issue, { renderedKey: 'rendered/bench', source: 'bench', at: AT });
  const queue = new CountingQueue();
  let message: PlanMessage | undefined = { format: 'newsbrief/plan-page@1', issue, renderedKey: 'rendered/bench', page: 0 };
  let pages = 0;
  let planned = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (message) {
    queue.next = undefined;
    const result = await planPage({ subscribers, ledger, queue }, message);
    if (result.status === 'planned') planned += result.recipients;
    pages++;
    message = queue.next;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (planned !== size) throw new Error(`planned ${planned} of ${size} subscribers`);
  return { subscribers: size, pages, msPerPage: ms / pages, cpuMsPerPage: (used.user + used.system) / 1000 / pages };
}

/** Imports rows `from` … `to - 1`; the rows per second. */
async function importRange(
  store: SubscriberAdmin,
  from: number,
  to: number,
): Promise<{ rowsPerSecond: number; cpuSeconds: number; unchanged: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const counts = await importSubscribers(store, LIST, csvRows(from, to), AT, { batchSize: IMPORT_BATCH });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rowsPerSecond: (to - from) / seconds, cpuSeconds: (used.user + used.system) / 1e6, unchanged: counts.unchanged };
}

/** What the importing process measures (sizes imported one after another into one state folder, planned at each). */
interface ImportPhase {
  readonly sizes: readonly number[];
  readonly importRowsPerSecond: number;
  readonly importRowsPerCpuSecond: number;
  readonly reimport: LocalStateBenchResult['reimport'];
  readonly plan: readonly PlanAtSize[];
  readonly peakRssMiB: number;
}

/** Imports the sizes one after another into `dir`, planning the list at each; then re-imports rows unchanged. */
async function importPhase(dir: string, sizes: readonly number[], log: (line: string) => void): Promise<ImportPhase> {
  const store = new LocalStore(dir);
  const plan: PlanAtSize[] = [];
  let imported = 0;
  let importSeconds = 0;
  let importCpuSeconds = 0;
  for (const size of sizes) {
    const started = performance.now();
    importCpuSeconds += (await importRange(store, imported, size)).cpuSeconds;
    importSeconds += (performance.now() - started) / 1000;
    imported = size;
    log(
      `local state: ${fmt(size)} subscribers imported (${fmt(imported / importSeconds)} rows/s so far; peak RSS ${fmt(peakRssMiB())} MiB)`,
    );
    plan.push(await planAll(store, store, size));
    log(
      `local state: planned ${fmt(size)} in ${plan.at(-1)!.pages} pages, ${fmt(plan.at(-1)!.msPerPage, 2)} ms per page (peak RSS ${fmt(peakRssMiB())} MiB)`,
    );
  }
  // The same rows again, as a re-imported CSV: read and compared, nothing written.
  const reimportRows = Math.min(imported, 100_000);
  const reimport = await importRange(store, 0, reimportRows);
  log(`local state: re-imported ${fmt(reimportRows)} unchanged rows (peak RSS ${fmt(peakRssMiB())} MiB)`);
  store.close();
  return {
    sizes,
    importRowsPerSecond: imported / importSeconds,
    importRowsPerCpuSecond: imported / importCpuSeconds,
    reimport: { rows: reimportRows, unchanged: reimport.unchanged, rowsPerSecond: reimport.rowsPerSecond },
    plan,
    peakRssMiB: peakRssMiB(),
  };
}

/** What a fresh process measures on the full state: opening it, planning the whole list, its own peak RSS. */
interface PlanPhase {
  readonly openMs: number;
  readonly databaseMiB: number;
  readonly plan: PlanAtSize;
  readonly peakRssMiB: number;
  readonly memoryPlan: readonly PlanAtSize[];
}

/** Opens the state `dir` as a new process would (the studio, `newsbrief send`) and plans its whole list. */
async function planPhase(dir: string, sizes: readonly number[]): Promise<PlanPhase> {
  const opened = performance.now();
  const store = new LocalStore(dir);
  const counted = (await store.countByStatus(LIST)).subscribed;
  await store.pageSubscribed(LIST, undefined, 1000);
  const openMs = performance.now() - opened;
  if (counted !== sizes.at(-1)) throw new Error(`counted ${counted} of ${sizes.at(-1)}`);
  const plan = await planAll(store, store, counted, 'fresh-process');
  const peakRss = peakRssMiB();
  const databaseMiB = statSync(join(dir, STATE_DB_FILE)).size / 2 ** 20;
  store.close();

  // The in-memory store, at the smaller sizes (a million records in memory is not what it is for).
  const memoryPlan: PlanAtSize[] = [];
  const memory = new MemorySubscriberStore();
  let inMemory = 0;
  for (const size of sizes.slice(0, 2)) {
    await importSubscribers(memory, LIST, csvRows(inMemory, size), AT, { batchSize: IMPORT_BATCH });
    inMemory = size;
    memoryPlan.push(await planAll(memory, new MemoryLedger(), size));
  }
  return { openMs, databaseMiB, plan, peakRssMiB: peakRss, memoryPlan };
}

/** What the sending process measures: one issue sent locally to every subscriber, and its own peak RSS. */
interface SendPhase {
  readonly subscribers: number;
  readonly sent: number;
  /** Messages the local inbox kept on disk. */
  readonly inbox: number;
  readonly messagesPerSecond: number;
  readonly peakRssMiB: number;
}

/**
 * Imports `size` subscribers into a new state folder, then sends one issue to them as `newsbrief send` does
 * (the real CLI: local pipeline, the SES adapter over HTTP to the embedded emulator, the inbox on disk).
 */
async function sendPhase(dir: string, size: number): Promise<SendPhase> {
  // What bin/newsbrief.js does on its first line, before the CLI is loaded.
  keepYoungGenerationSmall();
  // Loaded here, not at the top: the other phases' processes measure the store without the CLI around it.
  const { main } = await import('../src/cli/main.js');
  const { inboxDirOf } = await import('../src/wiring/local.js');
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'bench-subscribers.csv');
  const text = ['email,firstName'];
  for (const row of csvRows(0, size)) text.push(`${row.email},${row.firstName}`);
  writeFileSync(csv, `${text.join('\n')}\n`);
  const lines: string[] = [];
  const io = {
    out: (t: string) => lines.push(t),
    err: (t: string) => lines.push(t),
    cwd: dir,
    env: { NEWSBRIEF_MAX_SEND_RATE: '1000000' },
    isTty: false,
  };
  const imported = await main(['subscribers', 'import', csv, '--list', LIST, '--state', dir], io);
  if (imported !== 0) throw new Error(`newsbrief subscribers import exited ${imported}: ${lines.join('\n')}`);
  const brief = join(dir, 'bench-issue.json');
  const story = {
    headline: 'Hello {{firstName|friend}}',
    paragraphs: ['This copy was made for {{email}}.', 'A second paragraph. '.repeat(20)],
  };
  writeFileSync(
    brief,
    JSON.stringify({ version: 1, id: 'bench-send', list: LIST, subject: 'The bench issue', stories: [story, story, story] }),
  );
  lines.length = 0;
  const started = performance.now();
  const code = await main(['send', brief, '--state', dir], io);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`newsbrief send exited ${code}: ${lines.join('\n')}`);
  const sent = Number(/(\d[\d,]*) sent/.exec(lines.join('\n'))?.[1]?.replace(/,/g, '') ?? Number.NaN);
  const inbox = readdirSync(inboxDirOf(dir), { recursive: true }).filter((name) => String(name).endsWith('.eml')).length;
  return { subscribers: size, sent, inbox, messagesPerSecond: size / seconds, peakRssMiB: peakRssMiB() };
}

/** Runs this file in a child process with `args`; its last stdout line, parsed. */
function runChild<T>(args: readonly string[], log: (line: string) => void): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
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
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    }),
  );
}

/**
 * Runs the bench in two child processes of their own, so that each peak RSS is that process's alone: one
 * imports (and plans at each size), then a fresh one opens the full state and plans it.
 */
export async function runLocalStateBench(
  options: { readonly short?: boolean; readonly log?: (line: string) => void } = {},
): Promise<LocalStateBenchResult> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-bench-state-'));
  const size = options.short ? ['--short'] : [];
  try {
    const imported = await runChild<ImportPhase>(['--import-phase', dir, ...size], log);
    const planned = await runChild<PlanPhase>(['--plan-phase', dir, ...size], log);
    const sendDir = join(dir, 'send');
    const send = await runChild<SendPhase>(['--send-phase', sendDir, ...size], log);
    log(`local state: sent ${fmt(send.sent)} messages locally, peak RSS ${fmt(send.peakRssMiB)} MiB`);
    return {
      sizes: imported.sizes,
      importRowsPerSecond: imported.importRowsPerSecond,
      importRowsPerCpuSecond: imported.importRowsPerCpuSecond,
      reimport: imported.reimport,
      plan: imported.plan,
      freshProcessPlan: planned.plan,
      memoryPlan: planned.memoryPlan,
      planGrowth: imported.plan.at(-1)!.msPerPage / imported.plan[0]!.msPerPage,
      planCpuGrowth: imported.plan.at(-1)!.cpuMsPerPage / imported.plan[0]!.cpuMsPerPage,
      openMs: planned.openMs,
      databaseMiB: planned.databaseMiB,
      importPeakRssMiB: imported.peakRssMiB,
      planPeakRssMiB: planned.peakRssMiB,
      send,
      targets: { importRowsPerSecond: 50_000, planGrowth: 2, peakRssMiB: 300 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
    [`local state: import, per CPU-second`, `${fmt(r.importRowsPerCpuSecond)} rows/s`, '', undefined],
    [
      `local state: re-import ${fmt(r.reimport.rows)} unchanged rows`,
      `${fmt(r.reimport.rowsPerSecond)} rows/s`,
      'all unchanged',
      r.reimport.unchanged === r.reimport.rows,
    ],
    ...r.plan.map((p): [string, string, string, boolean | undefined] => [
      `local state: plan per page at ${fmt(p.subscribers)}`,
      `${fmt(p.msPerPage, 2)} ms (${fmt(p.cpuMsPerPage, 2)} ms CPU)`,
      '',
      undefined,
    ]),
    [`local state: plan per page, ${largest} ÷ ${fmt(r.sizes[0]!)}`, `${fmt(r.planGrowth, 2)}×`, '≤ 2×', r.planGrowth <= 2],
    [`local state: plan CPU per page, ${largest} ÷ ${fmt(r.sizes[0]!)}`, `${fmt(r.planCpuGrowth, 2)}×`, '≤ 2×', r.planCpuGrowth <= 2],
    ...r.memoryPlan.map((p): [string, string, string, boolean | undefined] => [
      `memory store: plan per page at ${fmt(p.subscribers)}`,
      `${fmt(p.msPerPage, 2)} ms`,
      '',
      undefined,
    ]),
    [`local state: open ${largest} and read a page`, `${fmt(r.openMs, 1)} ms`, '< 1,000 ms', r.openMs < 1_000],
    [`local state: plan per page at ${largest}, fresh process`, `${fmt(r.freshProcessPlan.msPerPage, 2)} ms`, '', undefined],
    [`local state: database file at ${largest}`, `${fmt(r.databaseMiB, 1)} MiB`, '', undefined],
    ['local state: peak RSS, import (and plan at each size)', `${fmt(r.importPeakRssMiB)} MiB`, '< 300 MiB', r.importPeakRssMiB < 300],
    ['local state: peak RSS, open and plan in a new process', `${fmt(r.planPeakRssMiB)} MiB`, '< 300 MiB', r.planPeakRssMiB < 300],
    [
      `local send to ${fmt(r.send.subscribers)} (embedded SES)`,
      `${fmt(r.send.messagesPerSecond)} msg/s`,
      'all sent and in the inbox',
      r.send.sent === r.send.subscribers && r.send.inbox === r.send.subscribers,
    ],
    [`local send to ${fmt(r.send.subscribers)}: peak RSS`, `${fmt(r.send.peakRssMiB)} MiB`, '< 300 MiB', r.send.peakRssMiB < 300],
  ];
}

// Run directly: the whole bench, printed as one JSON line. As runLocalStateBench's child: one phase.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean' },
      'import-phase': { type: 'string' },
      'plan-phase': { type: 'string' },
      'send-phase': { type: 'string' },
    },
  });
  const sizes = values.short ? [2_000, 20_000, 100_000] : [10_000, 100_000, 1_000_000];
  const log = (line: string) => console.error(line);
  const result =
    values['import-phase'] !== undefined
      ? await importPhase(values['import-phase'], sizes, log)
      : values['plan-phase'] !== undefined
        ? await planPhase(values['plan-phase'], sizes)
        : values['send-phase'] !== undefined
          ? await sendPhase(values['send-phase'], values.short ? 2_000 : 20_000)
          : await runLocalStateBench({ short: values.short ?? false, log });
  console.log(JSON.stringify(result));
}
