/**
 * What ops can configure at deploy time, read from CDK context (`cdk.json` "context" or `-c key=value`).
 * Read once in bin/app.ts; every check fails synth with one line naming the key and what it accepts.
 */

/** The CDK context keys the stack reads, with what each accepts. */
export const CONTEXT_KEYS = {
  /** Verified SES identity (a domain) that every list sends from. */
  senderDomain: 'senderDomain',
  /** Path of the seed lists file (relative to the working directory): seeded into the lists table at first deploy. */
  listsFile: 'listsFile',
  /**
   * Domains (comma-separated, each the sender domain or under it) lists may send from: the send roles'
   * `ses:FromAddress` condition. Default: the from domains of the seed lists file.
   */
  fromDomains: 'fromDomains',
  /** Optional custom domain of the web archive (e.g. archive.example.com), with archiveCertificateArn: every list's default archive URL. */
  archiveDomain: 'archiveDomain',
  /** ARN of an ACM certificate in us-east-1 (CloudFront's region) covering archiveDomain. */
  archiveCertificateArn: 'archiveCertificateArn',
  /** Optional custom domain of the unsubscribe and subscribe endpoints (e.g. links.example.com), with linksCertificateArn. */
  linksDomain: 'linksDomain',
  /** Optional ARN of a WAF web ACL (CLOUDFRONT scope, us-east-1), e.g. a rate-based rule, on the linksDomain distribution. */
  linksWebAclArn: 'linksWebAclArn',
  /** ARN of an ACM certificate in us-east-1 covering linksDomain. */
  linksCertificateArn: 'linksCertificateArn',
  /** Optional override of the account's SES maximum send rate, messages per second. */
  maxSendRate: 'maxSendRate',
  /** Override of the send workers (reserved concurrency and the event source's maximum concurrency); derived from maxSendRate when unset. */
  sendConcurrency: 'sendConcurrency',
  /** Override of the send function's memory (MB, which buys its CPU share); derived from maxSendRate when unset. */
  sendMemory: 'sendMemory',
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail: 'alarmEmail',
  /** Optional mailbox that receives mail unsubscribes (an SES receipt rule); unset = messages carry no `mailto:` unsubscribe. */
  unsubscribeMailbox: 'unsubscribeMailbox',
  /** Optional existing (active) receipt rule set to add the unsubscribe rule to; unset = the stack creates one to activate. */
  receiptRuleSetName: 'receiptRuleSetName',
  /** `true` bundles source maps and runs the functions with --enable-source-maps (stack traces in TypeScript; costs CPU per error). */
  sourceMaps: 'sourceMaps',
} as const;

/** The validated deploy-time configuration of a newsbrief stack. */
export interface StackConfig {
  /** SES domain identity, e.g. `news.example.com`. */
  readonly senderDomain: string;
  /** Path of the seed lists JSON file. */
  readonly listsFile: string;
  /** Domains lists may send from; undefined = the seed file's from domains. */
  readonly fromDomains?: readonly string[];
  /** The archive's custom domain and its us-east-1 certificate; undefined = the CloudFront domain. */
  readonly archiveDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** The unsubscribe and subscribe endpoints' custom domain and its us-east-1 certificate; undefined = the function URLs. */
  readonly linksDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** The WAF web ACL on the public links' distribution (only with linksDomain). */
  readonly linksWebAclArn?: string;
  /** Messages per second for the whole account; undefined = read from SES GetSendQuota at cold start. */
  readonly maxSendRate?: number;
  /** Number of send workers sharing the account rate. */
  readonly sendConcurrency: number;
  /** Send jobs per invocation (SQS batch size), derived from the rate per worker: see sendBatchSizeFor. */
  readonly sendBatchSize: number;
  /** Memory of the send function (MB): see sendFleetFor. */
  readonly sendMemoryMb: number;
  /** Alarm recipient; undefined = alarms go to the topic only. */
  readonly alarmEmail?: string;
  /** Mailbox of mail unsubscribes, served by an SES receipt rule; undefined = no `mailto:` in List-Unsubscribe. */
  readonly unsubscribeMailbox?: string;
  /** Existing receipt rule set for that rule; undefined = a new one, activated once by ops. */
  readonly receiptRuleSetName?: string;
}

/** Defaults applied when a context key is absent. */
export const DEFAULT_STACK_CONFIG = {
  senderDomain: 'news.example.com',
  listsFile: 'config/lists.json',
  sendConcurrency: 10,
  sendMemoryMb: 512,
} as const;

/** A context value that cannot be used; its message is one line naming the key. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

/** Reads one context value (e.g. `(key) => app.node.tryGetContext(key)`). */
export type ContextGetter = (key: string) => unknown;

// RFC 1123 host names with at least one dot: SES identities are registrable domains or their subdomains.
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// Deliberately loose: SNS validates the address for real when it sends the confirmation.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates the CDK context into a StackConfig, throwing StackConfigError on the first bad key. */
export function loadStackConfig(context: ContextGetter): StackConfig {
  const senderDomain = optionalString(context, CONTEXT_KEYS.senderDomain) ?? DEFAULT_STACK_CONFIG.senderDomain;
  if (!DOMAIN.test(senderDomain)) {
    throw invalid(CONTEXT_KEYS.senderDomain, senderDomain, 'a domain name verified in SES, e.g. news.example.com');
  }

  const listsFile = optionalString(context, CONTEXT_KEYS.listsFile) ?? DEFAULT_STACK_CONFIG.listsFile;
  const fromDomains = domainList(context, CONTEXT_KEYS.fromDomains);
  const outside = fromDomains?.find((d) => d !== senderDomain.toLowerCase() && !d.endsWith(`.${senderDomain.toLowerCase()}`));
  if (outside !== undefined) {
    throw invalid(CONTEXT_KEYS.fromDomains, outside, `"${senderDomain}" or a domain under it (context "${CONTEXT_KEYS.senderDomain}")`);
  }

  const maxSendRate = optionalNumber(context, CONTEXT_KEYS.maxSendRate, 'a positive number of messages per second, e.g. 14');
  if (maxSendRate !== undefined && !(maxSendRate > 0 && maxSendRate <= 100_000)) {
    throw invalid(CONTEXT_KEYS.maxSendRate, maxSendRate, 'a positive number of messages per second up to 100000, e.g. 14');
  }

  const concurrencyOverride = optionalNumber(context, CONTEXT_KEYS.sendConcurrency, 'a whole number from 2 to 1000');
  // The SQS event source's maximumConcurrency accepts 2..1000 and must not exceed the reserved concurrency.
  if (
    concurrencyOverride !== undefined &&
    (!Number.isInteger(concurrencyOverride) || concurrencyOverride < 2 || concurrencyOverride > 1000)
  ) {
    throw invalid(CONTEXT_KEYS.sendConcurrency, concurrencyOverride, 'a whole number from 2 to 1000');
  }
  // Each worker gets maxSendRate / sendConcurrency messages per second; below 1/s a 50-recipient job
  // cannot finish inside the 60 s send timeout and would burn its 5 receives.
  if (maxSendRate !== undefined && concurrencyOverride !== undefined && concurrencyOverride > maxSendRate) {
    throw new StackConfigError(
      `Context "${CONTEXT_KEYS.sendConcurrency}" (${concurrencyOverride}) must not exceed "${CONTEXT_KEYS.maxSendRate}" (${maxSendRate}): each send worker needs at least 1 message/s; lower ${CONTEXT_KEYS.sendConcurrency}.`,
    );
  }
  const memoryOverride = optionalNumber(context, CONTEXT_KEYS.sendMemory, 'a whole number of MB from 128 to 10240');
  if (memoryOverride !== undefined && (!Number.isInteger(memoryOverride) || memoryOverride < 128 || memoryOverride > 10_240)) {
    throw invalid(CONTEXT_KEYS.sendMemory, memoryOverride, 'a whole number of MB from 128 to 10240');
  }
  const fleet = sendFleetFor(maxSendRate, { sendConcurrency: concurrencyOverride, sendMemoryMb: memoryOverride });

  const alarmEmail = optionalString(context, CONTEXT_KEYS.alarmEmail);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw invalid(CONTEXT_KEYS.alarmEmail, alarmEmail, 'an e-mail address, e.g. ops@example.com');
  }

  const unsubscribeMailbox = optionalString(context, CONTEXT_KEYS.unsubscribeMailbox)?.toLowerCase();
  if (unsubscribeMailbox !== undefined && !EMAIL.test(unsubscribeMailbox)) {
    throw invalid(
      CONTEXT_KEYS.unsubscribeMailbox,
      unsubscribeMailbox,
      'an address whose domain has its MX at SES inbound, e.g. unsubscribe@news.example.com',
    );
  }
  const receiptRuleSetName = optionalString(context, CONTEXT_KEYS.receiptRuleSetName);
  if (receiptRuleSetName !== undefined && unsubscribeMailbox === undefined) {
    throw new StackConfigError(
      `Context "${CONTEXT_KEYS.receiptRuleSetName}" only places the rule of "${CONTEXT_KEYS.unsubscribeMailbox}", which is not set; set both or neither.`,
    );
  }
  if (receiptRuleSetName !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(receiptRuleSetName)) {
    throw invalid(
      CONTEXT_KEYS.receiptRuleSetName,
      receiptRuleSetName,
      'the name of a receipt rule set in this region (letters, digits, ".", "_", "-")',
    );
  }

  // A web ACL guards the distribution in front of the public endpoints, which exists only with linksDomain.
  const linksWebAclArn = optionalString(context, CONTEXT_KEYS.linksWebAclArn);
  if (linksWebAclArn !== undefined) {
    if (!/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(linksWebAclArn)) {
      throw invalid(
        CONTEXT_KEYS.linksWebAclArn,
        linksWebAclArn,
        'the ARN of a WAF web ACL of scope CLOUDFRONT (us-east-1, ".../global/webacl/NAME/ID")',
      );
    }
    if (optionalString(context, CONTEXT_KEYS.linksDomain) === undefined) {
      throw new StackConfigError(
        `Context "${CONTEXT_KEYS.linksWebAclArn}" guards the distribution of "${CONTEXT_KEYS.linksDomain}", which is not set; set both (see docs/deploy.md).`,
      );
    }
  }

  return {
    senderDomain: senderDomain.toLowerCase(),
    listsFile,
    sendConcurrency: fleet.sendConcurrency,
    sendBatchSize: fleet.sendBatchSize,
    sendMemoryMb: fleet.sendMemoryMb,
    ...(maxSendRate !== undefined ? { maxSendRate } : {}),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    ...(unsubscribeMailbox !== undefined ? { unsubscribeMailbox } : {}),
    ...(receiptRuleSetName !== undefined ? { receiptRuleSetName } : {}),
    ...(fromDomains !== undefined ? { fromDomains } : {}),
    ...customDomain(context, CONTEXT_KEYS.archiveDomain, CONTEXT_KEYS.archiveCertificateArn, 'archiveDomain'),
    ...customDomain(context, CONTEXT_KEYS.linksDomain, CONTEXT_KEYS.linksCertificateArn, 'linksDomain'),
    ...(linksWebAclArn !== undefined ? { linksWebAclArn } : {}),
  };
}

// A custom domain comes with its certificate (CloudFront takes them from us-east-1 only), both or neither.
function customDomain<K extends string>(
  context: ContextGetter,
  domainKey: string,
  certificateKey: string,
  as: K,
): { [P in K]?: { domainName: string; certificateArn: string } } {
  const domainName = optionalString(context, domainKey)?.toLowerCase();
  const certificateArn = optionalString(context, certificateKey);
  if (domainName === undefined && certificateArn === undefined) return {};
  if (domainName === undefined || !DOMAIN.test(domainName)) {
    throw invalid(domainKey, domainName ?? null, `a domain name, given with "${certificateKey}"`);
  }
  if (certificateArn === undefined || !/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) {
    throw invalid(certificateKey, certificateArn ?? null, `the ARN of an ACM certificate in us-east-1 covering "${domainName}"`);
  }
  return { [as]: { domainName, certificateArn } } as { [P in K]?: { domainName: string; certificateArn: string } };
}

// A comma-separated string (`-c fromDomains=a.example.com,b.example.com`) or an array in cdk.json.
function domainList(context: ContextGetter, key: string): string[] | undefined {
  const raw = context(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (!items) throw invalid(key, raw, 'domains separated by commas, e.g. news.example.com');
  const domains = items.map((d) => String(d).trim().toLowerCase()).filter((d) => d !== '');
  const bad = domains.find((d) => !DOMAIN.test(d));
  if (bad !== undefined || domains.length === 0) throw invalid(key, bad ?? raw, 'domains separated by commas, e.g. news.example.com');
  return [...new Set(domains)].sort();
}

/** Whether the functions carry source maps: context `sourceMaps` true (or "true"); off by default. */
export function sourceMapsFromContext(context: ContextGetter): boolean {
  const raw = context(CONTEXT_KEYS.sourceMaps);
  if (raw === undefined || raw === null || raw === '' || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw invalid(CONTEXT_KEYS.sourceMaps, raw, 'true or false');
}

/** Lambda gives a function one vCPU's worth of CPU time at 1,769 MB, proportionally less below (AWS documentation). */
export const LAMBDA_MB_PER_VCPU = 1769;

/**
 * CPU one deployed send costs (ms, on one vCPU): measured by `npm run bench` (bench/deployed-send.ts, the
 * bundled handler against HTTP fakes of SES, DynamoDB, S3 and SQS) on this project's busy 2-core x86 machine
 * at 2.6–3.5 ms at 100 messages/s a worker and 5.1 ms at 25/s (fixed costs per job and invocation weigh more
 * at low rates, where 512 MB is more than enough anyway); 5 keeps the upper part of that range. It was 8–11 ms
 * with three SDK calls per message; claims taken a quarter second at a time and sent outcomes written
 * together left SendRawEmail (~1.4 ms) and composing (~0.6 ms) as most of it: bench/call-cost.ts prices each.
 * Re-measure when the send path changes (the bench prints the share of Lambda's CPU each container needs
 * with the derived memory).
 */
export const SEND_CPU_MS_PER_MESSAGE = 5;
/** The share of its CPU a send container may plan to use (the rest absorbs GC, cold starts, bursts after a throttle). */
export const SEND_CPU_UTILIZATION = 0.5;
/**
 * The fastest one send container is planned to go (messages/s): at most 50 deliveries in flight (src/wiring),
 * each SES call ~100–150 ms plus ~10–20 ms of ledger writes, is about 330/s; at 5 ms of CPU a message, 100/s
 * needs 1.8 GB for half of a container's CPU share, and more memory buys nothing the fleet cannot buy with workers.
 */
export const MAX_RATE_PER_SEND_WORKER = 100;

/** How the send function is sized for a rate, and why. */
export interface SendFleet {
  readonly sendConcurrency: number;
  readonly sendBatchSize: number;
  readonly sendMemoryMb: number;
  /** Messages per second each worker paces itself to. */
  readonly ratePerWorker?: number;
}

/**
 * Sizes the send fleet for `maxSendRate` (the account's SES messages/s):
 *
 *   workers  = max(2, ⌈rate ÷ 100⌉)                       (MAX_RATE_PER_SEND_WORKER; 2 is the least an SQS
 *                                                           event source accepts; fewer, faster workers lose
 *                                                           less to the gap between invocations)
 *   per worker r = rate ÷ workers
 *   memory   = max(512, ⌈1,769 × r × 5 ms ÷ (1,000 × 0.5)⌉ to 64 MB)   (Lambda's CPU share is memory ÷ 1,769 MB;
 *                                                           at most half of it planned for sending)
 *   batch    = sendBatchSizeFor(rate, workers)              (jobs one invocation finishes in its 40 s budget)
 *
 * Overrides (context sendConcurrency, sendMemory) are kept, but a setting that cannot reach the quota fails
 * synth with a sentence naming the key and the value that would. Without a rate at synth (read from SES at
 * run time) the old defaults stay: 10 workers, 512 MB, one job per invocation.
 */
export function sendFleetFor(
  maxSendRate: number | undefined,
  overrides: { readonly sendConcurrency?: number | undefined; readonly sendMemoryMb?: number | undefined } = {},
): SendFleet {
  if (maxSendRate === undefined) {
    const sendConcurrency = overrides.sendConcurrency ?? DEFAULT_STACK_CONFIG.sendConcurrency;
    return { sendConcurrency, sendBatchSize: 1, sendMemoryMb: overrides.sendMemoryMb ?? DEFAULT_STACK_CONFIG.sendMemoryMb };
  }
  const sendConcurrency = overrides.sendConcurrency ?? Math.max(2, Math.ceil(maxSendRate / MAX_RATE_PER_SEND_WORKER));
  const ratePerWorker = maxSendRate / sendConcurrency;
  if (ratePerWorker > MAX_RATE_PER_SEND_WORKER) {
    throw new StackConfigError(
      `Context "${CONTEXT_KEYS.sendConcurrency}" (${sendConcurrency}) cannot reach "${CONTEXT_KEYS.maxSendRate}" (${maxSendRate}/s): one send worker carries at most ${MAX_RATE_PER_SEND_WORKER}/s; set it to at least ${Math.ceil(maxSendRate / MAX_RATE_PER_SEND_WORKER)} or leave it unset.`,
    );
  }
  const needed = memoryFor(ratePerWorker);
  if (overrides.sendMemoryMb !== undefined && overrides.sendMemoryMb < needed) {
    throw new StackConfigError(
      `Context "${CONTEXT_KEYS.sendMemory}" (${overrides.sendMemoryMb} MB) cannot reach "${CONTEXT_KEYS.maxSendRate}" (${maxSendRate}/s) with ${sendConcurrency} workers: each needs ${needed} MB for the CPU of ${round1(ratePerWorker)} messages/s (Lambda's CPU share is memory ÷ ${LAMBDA_MB_PER_VCPU} MB); raise it, add workers, or leave it unset.`,
    );
  }
  return {
    sendConcurrency,
    sendBatchSize: sendBatchSizeFor(maxSendRate, sendConcurrency),
    sendMemoryMb: overrides.sendMemoryMb ?? needed,
    ratePerWorker,
  };
}

/** The memory (MB, a multiple of 64, at least 512) whose CPU share sends `ratePerWorker` messages/s within SEND_CPU_UTILIZATION. */
export function memoryFor(ratePerWorker: number): number {
  const mb = (LAMBDA_MB_PER_VCPU * ratePerWorker * SEND_CPU_MS_PER_MESSAGE) / (1000 * SEND_CPU_UTILIZATION);
  return Math.min(10_240, Math.max(512, Math.ceil(mb / 64) * 64));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Seconds of a send invocation that jobs may fill: the 60 s timeout less the handler's 10 s stop-claiming margin and slack. */
const SEND_BUDGET_SECONDS = 40;
const RECIPIENTS_PER_JOB = 50;

/**
 * The most send jobs one invocation takes: SQS event sources take up to 10,000 messages (above 10 with a
 * batching window), and Lambda's 6 MB event limit holds 100 jobs of the largest size (24 KiB each).
 */
export const MAX_SEND_JOBS_PER_INVOCATION = 100;

/**
 * How many send jobs one invocation takes: as many as the worker's share of the rate finishes in its 40 s
 * budget. Every invocation's boundary costs a worker about a quarter of a second without a send (the last
 * answers, then the next batch's reads; bench/deployed-send.ts with BENCH_TIMELINE=1 shows it): 0.94 of the
 * quota with invocations of 5 s (the old cap of 10 jobs at 100/s a worker), under 1 % lost with 40 s ones.
 * A batch must finish within the timeout, or its unfinished jobs come back and burn receive counts. With the
 * rate unknown at synth (read from SES at run time) it stays 1.
 */
export function sendBatchSizeFor(maxSendRate: number | undefined, sendConcurrency: number): number {
  if (maxSendRate === undefined) return 1;
  const jobsInBudget = Math.floor(((maxSendRate / sendConcurrency) * SEND_BUDGET_SECONDS) / RECIPIENTS_PER_JOB);
  return Math.max(1, Math.min(MAX_SEND_JOBS_PER_INVOCATION, jobsInBudget));
}

/** A string context value, trimmed; undefined when unset or empty (`-c key=` means "not set"). Shared by every context reader. */
export function optionalString(context: ContextGetter, key: string): string | undefined {
  const raw = context(key);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw invalid(key, raw, 'a string');
  const value = raw.trim();
  return value === '' ? undefined : value;
}

function optionalNumber(context: ContextGetter, key: string, accepted: string): number | undefined {
  const raw = context(key);
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isFinite(value)) throw invalid(key, raw, accepted);
  return value;
}

/** The one-line refusal of a context value, naming the key and what it accepts. */
export function invalid(key: string, value: unknown, accepted: string): StackConfigError {
  return new StackConfigError(`Context "${key}" is ${JSON.stringify(value)}; expected ${accepted}.`);
}
