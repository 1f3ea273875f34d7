/**
 * What ops can configure at deploy time, read from CDK context (`cdk.json` "context" or `-c key=value`).
 * Read once in bin/app.ts; every check fails synth with one line naming the key and what it accepts.
 */

/** The CDK context keys the stack reads, with what each accepts. */
export const CONTEXT_KEYS = {
  /** Verified SES identity (a domain) that every list sends from. */
  senderDomain: 'senderDomain',
  /** Path of the lists file (relative to the working directory), deployed inside the functions' environment. */
  listsFile: 'listsFile',
  /** Optional override of the account's SES maximum send rate, messages per second. */
  maxSendRate: 'maxSendRate',
  /** Reserved concurrency of the send function (and the SQS event source's maximum concurrency). */
  sendConcurrency: 'sendConcurrency',
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail: 'alarmEmail',
} as const;

/** The validated deploy-time configuration of a newsbrief stack. */
export interface StackConfig {
  /** SES domain identity, e.g. `news.example.com`. */
  readonly senderDomain: string;
  /** Path of the lists JSON file. */
  readonly listsFile: string;
  /** Messages per second for the whole account; undefined = read from SES GetSendQuota at cold start. */
  readonly maxSendRate?: number;
  /** Number of send workers sharing the account rate. */
  readonly sendConcurrency: number;
  /** Send jobs per invocation (SQS batch size), derived from the rate per worker: see sendBatchSizeFor. */
  readonly sendBatchSize: number;
  /** Alarm recipient; undefined = alarms go to the topic only. */
  readonly alarmEmail?: string;
}

/** Defaults applied when a context key is absent. */
export const DEFAULT_STACK_CONFIG = {
  senderDomain: 'news.example.com',
  listsFile: 'config/lists.json',
  sendConcurrency: 10,
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

  const maxSendRate = optionalNumber(context, CONTEXT_KEYS.maxSendRate, 'a positive number of messages per second, e.g. 14');
  if (maxSendRate !== undefined && !(maxSendRate > 0 && maxSendRate <= 100_000)) {
    throw invalid(CONTEXT_KEYS.maxSendRate, maxSendRate, 'a positive number of messages per second up to 100000, e.g. 14');
  }

  const sendConcurrency =
    optionalNumber(context, CONTEXT_KEYS.sendConcurrency, 'a whole number from 2 to 1000') ?? DEFAULT_STACK_CONFIG.sendConcurrency;
  // The SQS event source's maximumConcurrency accepts 2..1000 and must not exceed the reserved concurrency.
  if (!Number.isInteger(sendConcurrency) || sendConcurrency < 2 || sendConcurrency > 1000) {
    throw invalid(CONTEXT_KEYS.sendConcurrency, sendConcurrency, 'a whole number from 2 to 1000');
  }
  // Each worker gets maxSendRate / sendConcurrency messages per second; below 1/s a 50-recipient job
  // cannot finish inside the 60 s send timeout and would burn its 5 receives.
  if (maxSendRate !== undefined && sendConcurrency > maxSendRate) {
    throw new StackConfigError(
      `Context "${CONTEXT_KEYS.sendConcurrency}" (${sendConcurrency}) must not exceed "${CONTEXT_KEYS.maxSendRate}" (${maxSendRate}): each send worker needs at least 1 message/s; lower ${CONTEXT_KEYS.sendConcurrency}.`,
    );
  }

  const alarmEmail = optionalString(context, CONTEXT_KEYS.alarmEmail);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw invalid(CONTEXT_KEYS.alarmEmail, alarmEmail, 'an e-mail address, e.g. ops@example.com');
  }

  return {
    senderDomain: senderDomain.toLowerCase(),
    listsFile,
    sendConcurrency,
    sendBatchSize: sendBatchSizeFor(maxSendRate, sendConcurrency),
    ...(maxSendRate !== undefined ? { maxSendRate } : {}),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
  };
}

/** Seconds of a send invocation that jobs may fill: the 60 s timeout less the handler's 10 s stop-claiming margin and slack. */
const SEND_BUDGET_SECONDS = 40;
const RECIPIENTS_PER_JOB = 50;

/**
 * How many send jobs one invocation takes. One job per invocation leaves each worker idle between
 * invocations (measured in bench/pipeline.ts: ~20 % of the SES rate lost); more jobs per invocation amortize
 * that, but a batch must finish within the timeout at the worker's share of the rate, or its unfinished jobs
 * come back and burn receive counts. With the rate unknown at synth (read from SES at run time) it stays 1.
 */
export function sendBatchSizeFor(maxSendRate: number | undefined, sendConcurrency: number): number {
  if (maxSendRate === undefined) return 1;
  const jobsInBudget = Math.floor(((maxSendRate / sendConcurrency) * SEND_BUDGET_SECONDS) / RECIPIENTS_PER_JOB);
  return Math.max(1, Math.min(10, jobsInBudget));
}

// `-c key=value` always yields a string; cdk.json may hold numbers. Empty strings mean "not set".
function optionalString(context: ContextGetter, key: string): string | undefined {
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

function invalid(key: string, value: unknown, accepted: string): StackConfigError {
  return new StackConfigError(`Context "${key}" is ${JSON.stringify(value)}; expected ${accepted}.`);
}
