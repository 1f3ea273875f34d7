/**
 * Pipeline benchmark: recipients sent through the real sendJob use-case (claims in an in-memory ledger with
 * DynamoDB's conditional semantics, personalization, MIME, the token bucket) by N concurrent workers, against
 * an SES stand-in that enforces a maximum send rate over any one-second window and answers in ~130 ms.
 * Reports the achieved fraction of the quota, lost and duplicate messages, throttles, and the send worker's
 * CPU throughput with SES stubbed (process.cpuUsage()).
 *
 *   npx tsx bench/pipeline.ts [--recipients N] [--rates 200,500,1000] [--latency 130] [--cpu-recipients N]
 *   NEWSBRIEF_BENCH_RECIPIENTS=100000 npx tsx bench/pipeline.ts --rates 500     # the full 100k run (~200 s)
 *
 * Default (about 55 s): 15 s of sending per rate (3,000 / 7,500 / 15,000 recipients at 200 / 500 / 1,000 per second)
 * and 10,000 messages for the CPU figure. The 100,000-recipient figure needs --recipients 100000 (200 s at 500/s).
 * Workers model the send function: sendFleetFor(rate).sendConcurrency of them (the reserved concurrency the stack derives), each invocation a batch
 * of 20 jobs run in parallel through the container's one token bucket. SQS polling gaps are not modelled.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MemoryLedger } from '../src/adapters/memory/memory-ledger.js';
import { MemoryBlobStore, MemorySubscriberStore } from '../src/adapters/memory/memory-stores.js';
import { parseListsConfig } from '../src/config/lists.js';
import type { OutboundMessage } from '../src/deliver/compose-message.js';
import { parseKeyring } from '../src/deliver/tokens.js';
import { parseBrief } from '../src/brief/parse-brief.js';
import { renderIssue } from '../src/render/render-issue.js';
import { renderedKeyOf } from '../src/config/bucket-layout.js';
import { TokenBucket, workerRate } from '../src/pipeline/rate-limiter.js';
import { systemClock } from '../src/adapters/system-clock.js';
import { TransientSendError } from '../src/deliver/send-errors.js';
import { newSendRun, sendJob, type SendDeps } from '../src/pipeline/send-job.js';
import type { JobQueue, Mailer } from '../src/ports.js';
import type { SendJob, SendReceipt } from '../src/model.js';
import { sendBatchSizeFor, sendFleetFor } from '../lib/stack-config.js';

/** One rate's outcome. */
export interface RateRun {
  readonly rate: number;
  readonly workers: number;
  readonly recipients: number;
  readonly seconds: number;
  readonly achievedPerSecond: number;
  /** Over the whole run, including the drain at the end when fewer jobs than workers remain. */
  readonly fractionOfQuota: number;
  /** While every worker had work (until the queue first ran dry): the rate the pipeline sustains. */
  readonly sustainedFractionOfQuota: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly throttles: number;
  readonly jobRetries: number;
}

/** The benchmark's result. */
export interface PipelineBenchResult {
  readonly runs: readonly RateRun[];
  readonly cpu: {
    readonly recipients: number;
    readonly cpuSeconds: number;
    readonly wallSeconds: number;
    readonly messagesPerCpuSecond: number;
  };
  readonly targets: { readonly fractionOfQuota: 0.95; readonly messagesPerCpuSecond: 3000 };
  readonly pass: boolean;
}

/** Options; unset values come from the command line defaults. */
export interface PipelineBenchOptions {
  readonly rates?: readonly number[] | undefined;
  /** Recipients per rate; default 15 s of sending at each rate. */
  readonly recipients?: number | undefined;
  readonly latencyMs?: number | undefined;
  readonly cpuRecipients?: number | undefined;
  /** Send workers (reserved concurrency); default sendFleetFor(rate).sendConcurrency. */
  readonly workers?: number | undefined;
  readonly log?: ((line: string) => void) | undefined;
}

/**
 * An SES stand-in: a token bucket holding one second of the quota and refilled at `rate` per second (SES
 * documents that its rate may be exceeded in short bursts, not for a sustained period); a call finding it
 * empty is throttled. `latencyMs` per answer.
 */
class RateEnforcingSes implements Mailer {
  private tokens: number;
  private last = performance.now();
  /** When each accepted call arrived (performance.now()). */
  readonly accepted: number[] = [];
  readonly received = new Map<string, number>();
  throttles = 0;

  constructor(
    private readonly rate: number,
    private readonly latencyMs: number,
  ) {
    this.tokens = rate;
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const now = performance.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) {
      this.throttles++;
      await delay(10);
      throw new TransientSendError('Maximum sending rate exceeded.');
    }
    this.tokens -= 1;
    this.accepted.push(now);
    await delay(this.latencyMs * (0.85 + Math.random() * 0.3));
    this.received.set(message.to, (this.received.get(message.to) ?? 0) + 1);
    return { messageId: `ses-${this.received.size}` };
  }
}

const instantSes: Mailer = { send: async () => ({ messageId: 'stub' }) };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const lists = parseListsConfig(JSON.parse(readFileSync(new URL('../config/lists.json', import.meta.url), 'utf8')));
const keyring = parseKeyring({ current: 'b1', b1: 'benchmark-signing-key-0123456789abcdef' });

/** A world with `n` subscribers, the seed brief rendered once, and its send jobs. */
async function world(n: number) {
  const parsed = parseBrief(readFileSync(new URL('../test/fixtures/valid/digest-three-stories.json', import.meta.url)), {
    knownLists: [...lists.lists.keys()],
  });
  if (!parsed.ok) throw new Error('the benchmark brief is invalid');
  const brief = parsed.brief;
  const issue = { list: brief.list, id: `${brief.id}-${n}-${Math.random().toString(36).slice(2, 8)}` };
  const rendered = await renderIssue({ ...brief, id: issue.id }, lists.lists.get(brief.list)!);
  const blobs = new MemoryBlobStore();
  await blobs.put(renderedKeyOf(issue), JSON.stringify(rendered), 'application/json');
  const subscribers = new MemorySubscriberStore();
  const jobs: SendJob[] = [];
  let batch: SendJob['recipients'][number][] = [];
  for (let i = 0; i < n; i++) {
    const s = await subscribers.upsert(
      { list: issue.list, email: `reader${i}@bench.example.org`, firstName: `Reader${i}`, status: 'subscribed' },
      '2026-03-01T00:00:00Z',
    );
    batch.push({ id: s.id, email: s.email, firstName: s.firstName });
    if (batch.length === 50 || i === n - 1) {
      jobs.push({ format: 'newsbrief/send-job@1', issue, renderedKey: renderedKeyOf(issue), recipients: batch });
      batch = [];
    }
  }
  return { blobs, subscribers, jobs, ledger: new MemoryLedger() };
}

/**
 * Sends `recipients` at `rate` with `workers` workers (the send function's reserved concurrency as the stack
 * derives it, sendFleetFor), each invocation a batch of `batchSize` jobs
 * (the stack's event source batch size) run in parallel through the container's one token bucket.
 * Continuation jobs go back on the queue after their delay, as SQS delivers them.
 */
async function runRate(rate: number, recipients: number, latencyMs: number, workersOption?: number): Promise<RateRun> {
  const w = await world(recipients);
  const ses = new RateEnforcingSes(rate, latencyMs);
  const workers = workersOption ?? sendFleetFor(rate).sendConcurrency;
  const perWorker = workerRate(rate, workers);
  const batchSize = sendBatchSizeFor(rate, workers);
  const queue = [...w.jobs];
  let inFlight = 0;
  const continuations: JobQueue = {
    enqueuePlan: async () => {},
    enqueueSendJobs: async (jobs, options) => {
      jobRetries += jobs.length;
      inFlight += jobs.length;
      setTimeout(
        () => {
          queue.push(...jobs);
          inFlight -= jobs.length;
        },
        (options?.delaySeconds ?? 0) * 1000,
      );
    },
  };
  let jobRetries = 0;
  let dryAt: number | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const deps: SendDeps = {
        blobs: w.blobs,
        ledger: w.ledger,
        subscribers: w.subscribers,
        mailer: ses,
        lists,
        keyring,
        clock: systemClock,
        limiter: new TokenBucket({ ratePerSecond: perWorker }, systemClock, systemClock),
        queue: continuations,
        issues: new Map(),
        parallelism: Math.max(1, Math.min(50, Math.ceil(perWorker * 0.3) + 1)),
      };
      // One iteration = one Lambda invocation with a batch of up to batchSize jobs.
      while (queue.length > 0 || inFlight > 0) {
        if (queue.length === 0) {
          await delay(50);
          continue;
        }
        // SQS spreads what is visible over the pollers: no invocation takes more than its share.
        const batch = queue.splice(0, Math.min(batchSize, Math.ceil(queue.length / workers)));
        if (queue.length === 0) dryAt ??= performance.now();
        const run = newSendRun(`bench-worker-${Math.random()}`);
        await Promise.all(batch.map((job) => sendJob(deps, job, run)));
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const sent = [...ses.received.values()].reduce((a, b) => a + b, 0);
  const duplicates = [...ses.received.values()].filter((c) => c > 1).reduce((a, c) => a + c - 1, 0);
  const lost = recipients - ses.received.size;
  const sustainedEnd = dryAt ?? performance.now();
  const sustainedSent = ses.accepted.filter((t) => t <= sustainedEnd).length;
  const sustainedSeconds = (sustainedEnd - start) / 1000;
  return {
    rate,
    workers,
    recipients,
    seconds: round(seconds, 2),
    achievedPerSecond: round(sent / seconds, 1),
    fractionOfQuota: round(sent / seconds / rate, 3),
    sustainedFractionOfQuota: round(sustainedSent / sustainedSeconds / rate, 3),
    lost,
    duplicates,
    throttles: ses.throttles,
    jobRetries,
  };
}

/** The send worker alone (SES answers at once, no rate limit): messages per CPU-second. */
async function runCpu(recipients: number) {
  const w = await world(recipients);
  const deps: SendDeps = {
    blobs: w.blobs,
    ledger: w.ledger,
    subscribers: w.subscribers,
    mailer: instantSes,
    lists,
    keyring,
    clock: systemClock,
    limiter: { acquire: async () => {}, backoff: () => {} },
    queue: { enqueuePlan: async () => {}, enqueueSendJobs: async () => {} },
    issues: new Map(),
    parallelism: 16,
  };
  const run = newSendRun('bench-cpu');
  await sendJob(deps, w.jobs.shift()!, run); // warm up: JIT, the issue cache
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  let sent = 0;
  for (const job of w.jobs) sent += (await sendJob(deps, job, run)).sent;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    recipients: sent,
    cpuSeconds: round(cpuSeconds, 3),
    wallSeconds: round((performance.now() - wallBefore) / 1000, 3),
    messagesPerCpuSecond: Math.round(sent / cpuSeconds),
  };
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** Runs the benchmark and returns its figures. */
export async function runPipelineBench(options: PipelineBenchOptions = {}): Promise<PipelineBenchResult> {
  const log = options.log ?? (() => {});
  const rates = options.rates ?? [200, 500, 1000];
  const runs: RateRun[] = [];
  for (const rate of rates) {
    const recipients = options.recipients ?? rate * 15;
    log(`sending ${recipients} at ${rate}/s …`);
    runs.push(await runRate(rate, recipients, options.latencyMs ?? 130, options.workers));
  }
  log('measuring the send worker with SES stubbed …');
  const cpu = await runCpu(options.cpuRecipients ?? 10_000);
  const pass =
    runs.every((r) => r.sustainedFractionOfQuota >= 0.95 && r.lost === 0 && r.duplicates === 0) && cpu.messagesPerCpuSecond >= 3000;
  return { runs, cpu, targets: { fractionOfQuota: 0.95, messagesPerCpuSecond: 3000 }, pass };
}

/** Rows for the combined `npm run bench` table: [measure, value, target, ok]. */
export function describePipelineBench(result: PipelineBenchResult): [string, string, string, boolean | undefined][] {
  const rows: [string, string, string, boolean | undefined][] = [];
  for (const r of result.runs) {
    rows.push([
      `in-process pipeline ${r.rate}/s: sustained share of quota`,
      r.sustainedFractionOfQuota.toFixed(3),
      '≥ 0.95',
      r.sustainedFractionOfQuota >= 0.95,
    ]);
    rows.push([
      `in-process pipeline ${r.rate}/s: lost / duplicates (${r.recipients} recipients)`,
      `${r.lost} / ${r.duplicates}`,
      '0 / 0',
      r.lost === 0 && r.duplicates === 0,
    ]);
  }
  rows.push([
    'in-process send worker per vCPU (memory ledger, SES stubbed: a floor)',
    `${result.cpu.messagesPerCpuSecond} /s`,
    '≥ 3,000 /s',
    result.cpu.messagesPerCpuSecond >= 3000,
  ]);
  return rows;
}

function printTable(result: PipelineBenchResult): void {
  const header = [
    'rate/s',
    'workers',
    'recipients',
    'seconds',
    'achieved/s',
    'of quota',
    'sustained',
    'lost',
    'dupes',
    'throttles',
    'job retries',
  ];
  const rows = result.runs.map((r) =>
    [
      r.rate,
      r.workers,
      r.recipients,
      r.seconds,
      r.achievedPerSecond,
      r.fractionOfQuota,
      r.sustainedFractionOfQuota,
      r.lost,
      r.duplicates,
      r.throttles,
      r.jobRetries,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `send worker, SES stubbed: ${result.cpu.recipients} messages in ${result.cpu.cpuSeconds} CPU-s (${result.cpu.wallSeconds} s wall) = ${result.cpu.messagesPerCpuSecond} messages per vCPU-second (target ≥ 3,000)`,
  );
  console.log(JSON.stringify({ bench: 'pipeline', ...result }));
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/pipeline.ts')) {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string' },
      rates: { type: 'string' },
      latency: { type: 'string' },
      'cpu-recipients': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const recipients = values.recipients ?? process.env.NEWSBRIEF_BENCH_RECIPIENTS;
  const result = await runPipelineBench({
    recipients: recipients ? Number(recipients) : undefined,
    rates: values.rates ? values.rates.split(',').map(Number) : undefined,
    latencyMs: values.latency ? Number(values.latency) : undefined,
    cpuRecipients: values['cpu-recipients'] ? Number(values['cpu-recipients']) : undefined,
    workers: values.workers ? Number(values.workers) : undefined,
    log: (line) => console.error(line),
  });
  printTable(result);
  process.exitCode = result.pass ? 0 : 1;
}
