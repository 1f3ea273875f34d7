/**
 * The deployed-path send benchmark: the send function exactly as the stack deploys it — bundled with the
 * stack's esbuild settings, its environment, memory, reserved concurrency and SQS batch size read from the
 * synthesized template for each rate — loaded in child processes as Lambda loads it (one invocation at a
 * time per container, SQS-shaped batches, a context with getRemainingTimeInMillis), against a fake AWS
 * endpoint over HTTP (bench/fake-aws.ts: SES ~130 ms with a per-second quota, DynamoDB ~5 ms, S3, SQS with
 * DelaySeconds fed back to the pollers, Secrets Manager).
 *
 * This machine has 2 cores; a fleet of N containers cannot run here as N Lambda vCPU shares. So each rate
 * runs a *sample* of the fleet: k of its N containers (as many as the machine carries at the container's
 * own pace, rate ÷ N), against an SES quota of k/N of the account's. Each container paces itself exactly as
 * deployed (the environment says rate and N), so the sample's share of its quota is the fleet's share of
 * the account's. The CPU each message costs is measured per container (process.cpuUsage) and compared with
 * what Lambda gives a function of that memory size (memory ÷ 1,769 MB of a vCPU): the "CPU headroom" column
 * says whether a container can afford its pace on Lambda, which the sample alone cannot prove here.
 *
 *   npx tsx bench/deployed-send.ts [--short] [--rates 14,50] [--seconds 20] [--machine-rate 150]
 *
 * BENCH_TIMELINE=1 prints, per rate, SES acceptances per 250 ms, the requests per service and each
 * invocation's span (this is how the half-second hole at every invocation's start was found);
 * BENCH_CPU_PROF=<dir> profiles the containers (summarize with bench/profile-summary.ts).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { App } from 'aws-cdk-lib';
import { NewsbriefStack } from '../lib/newsbrief-stack.js';
import { loadStackConfig, LAMBDA_MB_PER_VCPU } from '../lib/stack-config.js';
import { parseBrief } from '../src/brief/parse-brief.js';
import { ENV } from '../src/config/env-names.js';
import { parseListsConfig } from '../src/config/lists.js';
import { renderedKeyOf } from '../src/config/bucket-layout.js';
import { sendJobBody } from '../src/pipeline/job-messages.js';
import { renderIssue } from '../src/render/render-issue.js';
import { bundleFunctions } from './bundles.js';
import { FakeAws } from './fake-aws.js';

/** The send function's deployed settings for one rate, read from the synthesized template. */
export interface DeployedSendSettings {
  readonly rate: number;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency = the event source's maximum concurrency: containers. */
  readonly workers: number;
  readonly batchSize: number;
  /** The function's environment variables (CloudFormation references replaced by the bench's names). */
  readonly environment: Record<string, string>;
}

/** One rate's figures. */
export interface DeployedRateRun {
  readonly rate: number;
  readonly workers: number;
  readonly batchSize: number;
  readonly memoryMb: number;
  /** Containers run here (a sample of `workers`), and the SES quota they share (k/N of the rate). */
  readonly sampled: number;
  readonly sampleQuota: number;
  readonly recipients: number;
  readonly seconds: number;
  /** Accepted by SES ÷ (sample quota × seconds from the first to the last acceptance). */
  readonly shareOfQuota: number;
  /** The same over the steady part: until the last job was taken from the queue. */
  readonly steadyShareOfQuota: number;
  readonly cpuMsPerMessage: number;
  /** CPU a container needs at its pace ÷ the vCPU share Lambda gives its memory (< 1 fits). */
  readonly cpuOfLambdaShare: number;
  /** Never sent although the queue ran empty: the system dropped them. */
  readonly lost: number;
  /** Still queued or in flight when the bench gave up (the machine could not carry the sample): not a verdict on loss. */
  readonly unfinished: number;
  readonly duplicates: number;
  readonly throttles: number;
  readonly invocations: number;
  readonly failedRecords: number;
  readonly continuations: number;
  readonly maxRssMiB: number;
  readonly loadCpuMs: number;
}

const BENCH_NAMES = {
  bucket: 'briefs',
  subscribersTable: 'subscribers',
  ledgerTable: 'ledger',
  keysSecret: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:newsbrief-keys',
  configurationSet: 'newsbrief',
};

/** Synthesizes the stack for `rate` (bundling skipped: the template is what matters here) and reads the send function's settings. */
export function deployedSendSettings(rate: number, context: Record<string, unknown> = {}): DeployedSendSettings {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, maxSendRate: rate, ...context, 'aws:cdk:bundling-stacks': [] } });
  const config = loadStackConfig((key) => app.node.tryGetContext(key));
  const stack = new NewsbriefStack(app, 'Newsbrief', { config });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  };
  const resources = Object.entries(template.Resources);
  const [sendId, send] = resources.find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').startsWith('newsbrief send:'),
  )!;
  const mapping = resources.find(
    ([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.FunctionName).includes(sendId),
  )![1];
  const queueUrl = (name: string) => `http://sqs.bench/${name}`;
  const fakes: Record<string, string> = {
    [ENV.briefsBucket]: BENCH_NAMES.bucket,
    [ENV.subscribersTable]: BENCH_NAMES.subscribersTable,
    [ENV.ledgerTable]: BENCH_NAMES.ledgerTable,
    [ENV.planQueueUrl]: queueUrl('plan'),
    [ENV.sendQueueUrl]: queueUrl('send'),
    [ENV.keysSecretArn]: BENCH_NAMES.keysSecret,
    [ENV.configurationSet]: BENCH_NAMES.configurationSet,
    // The lists of the bench track nothing, so these sets are named but never used.
    [ENV.trackedConfigurationSet]: `${BENCH_NAMES.configurationSet}-tracked`,
    [ENV.clicksOnlyConfigurationSet]: `${BENCH_NAMES.configurationSet}-clicks-only`,
    [ENV.unsubscribeUrl]: 'https://unsubscribe.bench/',
    [ENV.archiveUrl]: 'https://archive.bench',
  };
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(send.Properties.Environment.Variables as Record<string, unknown>)) {
    if (typeof value === 'string') environment[name] = value;
    else if (fakes[name] !== undefined) environment[name] = fakes[name]!;
    else throw new Error(`the send function's ${name} is a CloudFormation reference the bench has no stand-in for`);
  }
  // The deployed function Scans its lists table once per 30 s (a cost the bench's fake DynamoDB does not serve and
  // the rate would not notice): the bench hands it the lists directly instead.
  delete environment[ENV.listsTable];
  environment[ENV.listsJson] = JSON.stringify(JSON.parse(readFileSync(new URL('../config/lists.json', import.meta.url), 'utf8')));
  return {
    rate,
    memoryMb: Number(send.Properties.MemorySize),
    timeoutSeconds: Number(send.Properties.Timeout),
    workers: Number(send.Properties.ReservedConcurrentExecutions),
    batchSize: Number(mapping.Properties.BatchSize),
    environment,
  };
}

interface Container {
  readonly child: ReturnType<typeof fork>;
  readonly loadCpuMs: number;
  cpuMs: number;
  maxRss: number;
}

/** Starts one container: a child process that imported the bundle. */
async function startContainer(bundle: string, settings: DeployedSendSettings, endpoint: string): Promise<Container> {
  const child = fork(new URL('./lambda-container.mjs', import.meta.url).pathname, [bundle, String(settings.timeoutSeconds * 1000)], {
    env: {
      PATH: process.env.PATH,
      ...settings.environment,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: endpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'newsbrief-send',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // Logs and EMF metrics are written as on Lambda (their cost is part of the handler's), then dropped.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile per container (on a clean stop) for chrome://inspect or bench/profile-summary.ts.
    execArgv: process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [],
  });
  const ready = await new Promise<{ loadCpuMs: number; rss: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { loadCpuMs: number; rss: number }));
    child.once('exit', (code) => reject(new Error(`the container exited with ${code} before it was ready`)));
  });
  return { child, loadCpuMs: ready.loadCpuMs, cpuMs: 0, maxRss: ready.rss };
}

/** Asks a container to exit (it disconnects and runs dry); kills it if it has not exited within 10 s. */
function stopContainer(container: Container): Promise<void> {
  const { child } = container;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill(), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' });
    else child.kill();
  });
}

let invocationIds = 0;

/** Runs one invocation in `container`; resolves with the handler's answer. */
function invoke(
  container: Container,
  event: unknown,
): Promise<{ response?: { batchItemFailures?: Array<{ itemIdentifier: string }> }; error?: string; cpuMs: number; rss: number }> {
  const id = ++invocationIds;
  return new Promise((resolve) => {
    const onMessage = (m: { type: string; id: number }) => {
      if (m.type !== 'done' || m.id !== id) return;
      container.child.off('message', onMessage);
      resolve(m as never);
    };
    container.child.on('message', onMessage);
    container.child.send({ type: 'invoke', id, event });
  });
}

/** Runs one rate with the stack's settings for it. */
export async function runDeployedRate(
  bundle: string,
  settings: DeployedSendSettings,
  options: {
    readonly seconds: number;
    readonly machineRate: number;
    readonly short?: boolean | undefined;
    readonly giveUpSeconds?: number | undefined;
    readonly log?: ((line: string) => void) | undefined;
  },
): Promise<DeployedRateRun> {
  const perContainer = settings.rate / settings.workers;
  const sampled = Math.max(1, Math.min(settings.workers, Math.floor(options.machineRate / perContainer)));
  const sampleQuota = perContainer * sampled;
  const fake = new FakeAws({
    sesRate: sampleQuota,
    tables: { [BENCH_NAMES.subscribersTable]: ['list', 'email'], [BENCH_NAMES.ledgerTable]: ['pk'] },
    secrets: { [BENCH_NAMES.keysSecret]: JSON.stringify({ current: 'b1', b1: 'benchmark-signing-key-0123456789abcdef' }) },
  });
  const endpoint = await fake.start();
  const containers: Container[] = [];
  try {
    // The world: one rendered issue in S3, its subscribers in DynamoDB, its planned issue item, its send jobs.
    const lists = parseListsConfig(JSON.parse(settings.environment[ENV.listsJson]!), ENV.listsJson);
    const parsed = parseBrief(readFileSync(new URL('../test/fixtures/valid/digest-three-stories.json', import.meta.url)), {
      knownLists: [...lists.lists.keys()],
    });
    if (!parsed.ok) throw new Error('the benchmark brief is invalid');
    const issue = { list: parsed.brief.list, id: `bench-${settings.rate}` };
    const rendered = await renderIssue({ ...parsed.brief, id: issue.id }, lists.lists.get(issue.list)!);
    fake.objects.set(`${BENCH_NAMES.bucket}/${renderedKeyOf(issue)}`, Buffer.from(JSON.stringify(rendered)));
    // Enough jobs that each sampled container runs several full invocations (the steady state), at least `seconds` of sending.
    const jobsPerCycle = sampled * settings.batchSize;
    // Short mode (CI): a few hundred, enough to prove nobody is lost or doubled, too few for a steady state.
    const recipients = options.short
      ? Math.max(200, Math.ceil((sampleQuota * options.seconds) / 50) * 50)
      : jobsPerCycle * 50 * Math.max(2, Math.ceil((sampleQuota * options.seconds) / (jobsPerCycle * 50)));
    const emails: string[] = [];
    for (let i = 0; i < recipients; i++) {
      const email = `reader${i}@bench.example.org`;
      emails.push(email);
      fake.dynamo.seed(BENCH_NAMES.subscribersTable, {
        list: { S: issue.list },
        email: { S: email },
        id: { S: `s${i}` },
        status: { S: 'subscribed' },
        firstName: { S: `Reader${i}` },
        createdAt: { S: '2026-03-01T00:00:00Z' },
        updatedAt: { S: '2026-03-01T00:00:00Z' },
      });
    }
    fake.dynamo.seed(BENCH_NAMES.ledgerTable, {
      pk: { S: `issue#${issue.list}#${issue.id}` },
      kind: { S: 'issue' },
      list: { S: issue.list },
      id: { S: issue.id },
      renderedKey: { S: renderedKeyOf(issue) },
      source: { S: `briefs/${issue.id}.json` },
      claimedAt: { S: new Date().toISOString() },
      plannedPage: { N: '0' },
      planComplete: { BOOL: true },
      planned: { N: String(recipients) },
    });
    const sendQueue = settings.environment[ENV.sendQueueUrl]!;
    for (let i = 0; i < recipients; i += 50) {
      const batch = emails.slice(i, i + 50).map((email, j) => ({ id: `s${i + j}`, email, firstName: `Reader${i + j}` }));
      fake.enqueue(sendQueue, sendJobBody({ format: 'newsbrief/send-job@1', issue, renderedKey: renderedKeyOf(issue), recipients: batch }));
    }
    options.log?.(
      `${settings.rate}/s: ${settings.workers} workers × batch ${settings.batchSize}, ${settings.memoryMb} MB; running ${sampled} of them against ${round(sampleQuota, 1)}/s, ${recipients} recipients …`,
    );

    containers.push(...(await Promise.all(Array.from({ length: sampled }, () => startContainer(bundle, settings, endpoint)))));
    let inFlight = 0;
    let invocations = 0;
    let failedRecords = 0;
    let lastDequeue = 0;
    const invocationSpans: Array<[number, number]> = [];
    const continuationsBefore = fake.requests.sqs;
    const started = performance.now();
    const giveUpAt = started + (options.giveUpSeconds ?? (recipients / sampleQuota) * 6 + 180) * 1000;
    // Each container is one SQS poller slot (the event source's maximum concurrency): it takes up to
    // batchSize visible messages, invokes, deletes what succeeded; a failed record is visible again later.
    await Promise.all(
      containers.map(async (container) => {
        while (performance.now() < giveUpAt) {
          // SQS spreads what is visible over the pollers: no invocation takes more than its share.
          const messages = fake.receive(
            sendQueue,
            Math.min(settings.batchSize, Math.ceil((fake.visible.get(sendQueue)?.length ?? 0) / sampled)),
          );
          if (messages.length === 0) {
            if (inFlight === 0 && fake.delayed === 0 && (fake.visible.get(sendQueue)?.length ?? 0) === 0) return;
            await sleep(50);
            continue;
          }
          lastDequeue = performance.now();
          inFlight++;
          invocations++;
          const event = {
            Records: messages.map((m) => ({
              messageId: m.messageId,
              receiptHandle: m.messageId,
              body: m.body,
              attributes: {
                ApproximateReceiveCount: String(m.receiveCount),
                SentTimestamp: String(Date.now()),
                SenderId: 'bench',
                ApproximateFirstReceiveTimestamp: String(Date.now()),
              },
              messageAttributes: {},
              md5OfBody: '',
              eventSource: 'aws:sqs',
              eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:send',
              awsRegion: 'eu-west-1',
            })),
          };
          const invokedAt = performance.now();
          const result = await invoke(container, event);
          invocationSpans.push([invokedAt, performance.now()]);
          inFlight--;
          container.cpuMs += result.cpuMs;
          container.maxRss = Math.max(container.maxRss, result.rss);
          const failed = result.error
            ? messages.map((m) => m.messageId)
            : (result.response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
          if (result.error) options.log?.(`invocation failed: ${result.error.split('\n')[0]}`);
          for (const m of messages.filter((message) => failed.includes(message.messageId))) {
            failedRecords++;
            // Visible again after the visibility timeout (shortened here to 1 s).
            fake.enqueue(sendQueue, m.body, 1);
          }
        }
      }),
    );
    const drained = inFlight === 0 && fake.delayed === 0 && (fake.visible.get(sendQueue)?.length ?? 0) === 0;
    const unsent = emails.filter((e) => !fake.accepted.has(e)).length;
    const accepted = [...fake.accepted.values()].reduce((a, b) => a + b, 0);
    const first = fake.acceptedAt[0] ?? started;
    const last = fake.acceptedAt[fake.acceptedAt.length - 1] ?? first;
    const seconds = Math.max(0.001, (last - first) / 1000);
    const steadyEnd = Math.max(first + 1, lastDequeue);
    const steadyCount = fake.acceptedAt.filter((t) => t <= steadyEnd).length;
    if (process.env.BENCH_TIMELINE) {
      // Where the quota is lost: acceptances per quarter second beside the invocations' spans.
      const buckets: number[] = [];
      for (const t of fake.acceptedAt) {
        const bucket = Math.floor((t - first) / 250);
        buckets[bucket] = (buckets[bucket] ?? 0) + 1;
      }
      options.log?.(
        `accepted per 250 ms: ${Array.from(buckets, (n) => n ?? 0).join(' ')}; dequeued last at ${Math.round(lastDequeue - first)} ms`,
      );
      options.log?.(`requests: ${JSON.stringify(fake.requests)}`);
      options.log?.(
        `invocations (ms from the first acceptance): ${invocationSpans.map(([a, b]) => `${Math.round(a - first)}–${Math.round(b - first)}`).join(', ')}`,
      );
    }
    const cpuMs = containers.reduce((total, c) => total + c.cpuMs, 0);
    const cpuMsPerMessage = cpuMs / Math.max(1, accepted);
    const lambdaShare = settings.memoryMb / LAMBDA_MB_PER_VCPU;
    return {
      rate: settings.rate,
      workers: settings.workers,
      batchSize: settings.batchSize,
      memoryMb: settings.memoryMb,
      sampled,
      sampleQuota: round(sampleQuota, 2),
      recipients,
      seconds: round(seconds, 1),
      shareOfQuota: round(accepted / (sampleQuota * seconds + 1), 3),
      steadyShareOfQuota: round(steadyCount / (sampleQuota * ((steadyEnd - first) / 1000) + 1), 3),
      cpuMsPerMessage: round(cpuMsPerMessage, 2),
      cpuOfLambdaShare: round((perContainer * cpuMsPerMessage) / 1000 / lambdaShare, 2),
      lost: drained ? unsent : 0,
      unfinished: drained ? 0 : unsent,
      duplicates: [...fake.accepted.values()].reduce((a, n) => a + Math.max(0, n - 1), 0),
      throttles: fake.throttles,
      invocations,
      failedRecords,
      continuations: fake.requests.sqs - continuationsBefore,
      maxRssMiB: round(Math.max(...containers.map((c) => c.maxRss)) / 2 ** 20, 1),
      loadCpuMs: round(containers.reduce((a, c) => a + c.loadCpuMs, 0) / containers.length, 1),
    };
  } finally {
    // A clean stop lets a profiled container write its profile; a container that does not exit is killed.
    await Promise.all(containers.map((c) => stopContainer(c)));
    await fake.stop();
  }
}

/** The bench's result. */
export interface DeployedSendBenchResult {
  readonly runs: readonly DeployedRateRun[];
  readonly pass: boolean;
}

/** Runs the deployed-path bench at `rates` (full: 14, 50, 200, 1,000, 5,000/s; short: a few hundred messages at 14 and 200/s). */
export async function runDeployedSendBench(
  options: {
    readonly short?: boolean | undefined;
    readonly rates?: readonly number[] | undefined;
    readonly seconds?: number | undefined;
    readonly machineRate?: number | undefined;
    readonly giveUpSeconds?: number | undefined;
    readonly context?: Record<string, unknown>;
    readonly log?: ((line: string) => void) | undefined;
  } = {},
): Promise<DeployedSendBenchResult> {
  const rates = options.rates ?? (options.short ? [14, 200] : [14, 50, 200, 1000, 5000]);
  const runs: DeployedRateRun[] = [];
  let bundle: string | undefined;
  for (const rate of rates) {
    const settings = deployedSendSettings(rate, options.context);
    // A profiled run bundles unminified, so that the profile names functions (minifying changes names, not work).
    const minify = process.env.BENCH_CPU_PROF ? false : undefined;
    bundle ??= (
      await bundleFunctions(['send'], { sourceMaps: (settings.environment.NODE_OPTIONS ?? '').includes('--enable-source-maps'), minify })
    )[0]!.path;
    runs.push(
      await runDeployedRate(bundle, settings, {
        seconds: options.seconds ?? (options.short ? 3 : 20),
        machineRate: options.machineRate ?? 100,
        short: options.short,
        giveUpSeconds: options.giveUpSeconds,
        log: options.log,
      }),
    );
  }
  return { runs, pass: runs.every((r) => r.lost === 0 && r.unfinished === 0 && r.duplicates === 0 && r.shareOfQuota >= 0.95) };
}

/** Rows for the combined `npm run bench` table. */
export function describeDeployedSendBench(result: DeployedSendBenchResult): [string, string, string, boolean | undefined][] {
  return result.runs.flatMap((r): [string, string, string, boolean | undefined][] => [
    [
      `deployed send ${r.rate}/s (${r.workers} × batch ${r.batchSize}, ${r.memoryMb} MB; ${r.sampled} run here): share of quota`,
      `${r.shareOfQuota.toFixed(3)} (steady ${r.steadyShareOfQuota.toFixed(3)})`,
      '≥ 0.95',
      r.shareOfQuota >= 0.95,
    ],
    [
      `deployed send ${r.rate}/s: lost / duplicates / throttles (${r.recipients} recipients)`,
      `${r.lost} / ${r.duplicates} / ${r.throttles}${r.unfinished ? ` (${r.unfinished} unfinished)` : ''}`,
      '0 / 0 / –',
      r.lost === 0 && r.duplicates === 0,
    ],
    [
      `deployed send ${r.rate}/s: CPU per message, of Lambda's CPU share, RSS`,
      `${r.cpuMsPerMessage} ms, ${r.cpuOfLambdaShare}, ${r.maxRssMiB} MiB`,
      '≤ 3 ms, < 0.7',
      r.cpuMsPerMessage <= 3 && r.cpuOfLambdaShare < 0.7,
    ],
  ]);
}

/** The per-rate table. */
export function printDeployedSendTable(result: DeployedSendBenchResult): void {
  const header = [
    'rate/s',
    'workers',
    'batch',
    'MB',
    'run here',
    'recipients',
    'seconds',
    'of quota',
    'steady',
    'CPU ms/msg',
    'of λ CPU',
    'lost',
    'unfinished',
    'dupes',
    'throttles',
    'failed rec',
    'RSS MiB',
    'load CPU ms',
  ];
  const rows = result.runs.map((r) =>
    [
      r.rate,
      r.workers,
      r.batchSize,
      r.memoryMb,
      r.sampled,
      r.recipients,
      r.seconds,
      r.shareOfQuota,
      r.steadyShareOfQuota,
      r.cpuMsPerMessage,
      r.cpuOfLambdaShare,
      r.lost,
      r.unfinished,
      r.duplicates,
      r.throttles,
      r.failedRecords,
      r.maxRssMiB,
      r.loadCpuMs,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (process.argv[1]?.endsWith('bench/deployed-send.ts')) {
  const { values } = parseArgs({
    options: { short: { type: 'boolean' }, rates: { type: 'string' }, seconds: { type: 'string' }, 'machine-rate': { type: 'string' } },
  });
  const result = await runDeployedSendBench({
    short: values.short ?? false,
    rates: values.rates ? values.rates.split(',').map(Number) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
    machineRate: values['machine-rate'] ? Number(values['machine-rate']) : undefined,
    log: (line) => console.error(line),
  });
  printDeployedSendTable(result);
  console.log(JSON.stringify({ bench: 'deployed-send', ...result }));
  process.exitCode = result.runs.every((r) => r.lost === 0 && r.duplicates === 0) ? 0 : 1;
}
