import { type ContextGetter, StackConfigError } from './stack-config.js';

/** The context key: reserved concurrency of each public function (the function URLs: subscribe/confirm, unsubscribe). */
export const PUBLIC_CONCURRENCY_KEY = 'publicConcurrency';

/**
 * The default cap: 10 concurrent requests of ~50–200 ms each is 50–200 requests a second per endpoint, far above
 * what readers do (one-click unsubscribes trickle in over hours after an issue), while a flood of the public URLs
 * is answered with 429 instead of taking the account's concurrency from the send fleet, or its bill.
 */
export const DEFAULT_PUBLIC_CONCURRENCY = 10;

/** Reads `publicConcurrency` (a whole number 1–1000; default 10) from the CDK context; a bad value fails synth naming the key. */
export function publicConcurrencyFromContext(context: ContextGetter): number {
  const raw = context(PUBLIC_CONCURRENCY_KEY);
  if (raw === undefined || raw === null || raw === '') return DEFAULT_PUBLIC_CONCURRENCY;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new StackConfigError(`Context "${PUBLIC_CONCURRENCY_KEY}" is ${JSON.stringify(raw)}; expected a whole number from 1 to 1000.`);
  }
  return n;
}
