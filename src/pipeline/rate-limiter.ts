/**
 * Rate control for one send worker. The account's SES rate is split between a fixed number of workers
 * (the send function's reserved concurrency); each paces itself with a GCRA token bucket, so the sum
 * never exceeds the account rate. Time and waiting are injected: tests run without sleeping.
 */
import type { Clock, Sleeper } from '../ports.js';

/** Hands out permission to send one message. */
export interface RateLimiter {
  /** Resolves when one more message may be sent. Callers are served in call order. */
  acquire(): Promise<void>;
  /** Slows down after a throttle: no permission is handed out for `ms`. */
  backoff(ms?: number): void;
}

/** How a worker's bucket is sized. */
export interface TokenBucketOptions {
  /** Messages per second this worker may send. */
  readonly ratePerSecond: number;
  /** Messages that may go at once after an idle spell (≥ 1). */
  readonly burst?: number;
  /** Default pause after a throttle, in milliseconds. */
  readonly backoffMs?: number;
}

/** A token bucket kept as one number (GCRA's theoretical arrival time); reservations are synchronous, so FIFO. */
export class TokenBucket implements RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly backoffMs: number;
  private tat = Number.NEGATIVE_INFINITY;

  constructor(
    options: TokenBucketOptions,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    this.intervalMs = 1000 / options.ratePerSecond;
    this.toleranceMs = (Math.max(1, options.burst ?? 1) - 1) * this.intervalMs;
    this.backoffMs = options.backoffMs ?? 1000;
  }

  /** Resolves when one more message may be sent. */
  async acquire(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.tat - this.toleranceMs);
    this.tat = Math.max(this.tat, now) + this.intervalMs;
    if (at > now) await this.sleeper.sleep(at - now);
  }

  /** Pushes every later permission back by `ms`. */
  backoff(ms: number = this.backoffMs): void {
    this.tat = Math.max(this.tat, this.clock.now()) + ms;
  }
}

/**
 * The rate one of `workers` workers may use. `headroom` < 1 keeps the sum under the account rate even when
 * every worker spends its one-message burst in the same second.
 */
export function workerRate(accountRate: number, workers: number, headroom = 0.97): number {
  if (!(accountRate > 0)) throw new RangeError(`the account send rate must be positive, got ${accountRate}`);
  const n = Math.max(1, Math.floor(workers));
  const burstShare = Math.min(0.5, n / accountRate);
  return (accountRate * Math.min(headroom, 1 - burstShare)) / n;
}

/** Real time and real waiting, for the wiring modules. */
export const systemClock: Clock & Sleeper = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
