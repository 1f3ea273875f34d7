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
  /** Slows down after a throttle: no permission is handed out for `ms` from now. */
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
  /**
   * A wake-up this late (ms) still counts from its scheduled time, so that timer granularity does not eat
   * the rate; anything later restarts the schedule from now. Costs at most rate × lag extra in any second.
   */
  readonly lagAllowanceMs?: number;
}

/**
 * A token bucket kept as one number (GCRA's theoretical arrival time). Permissions are granted one after the
 * other, each at the time the clock says when it is granted: a waiter woken late (a busy event loop) pushes
 * the next one back instead of letting two sends through together.
 */
export class TokenBucket implements RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly backoffMs: number;
  private readonly lagMs: number;
  private tat = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    options: TokenBucketOptions,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    this.intervalMs = 1000 / options.ratePerSecond;
    this.toleranceMs = (Math.max(1, options.burst ?? 1) - 1) * this.intervalMs;
    this.backoffMs = options.backoffMs ?? 250;
    this.lagMs = Math.min(options.lagAllowanceMs ?? 10, this.intervalMs);
  }

  /** Resolves when one more message may be sent; callers are served in call order. */
  acquire(): Promise<void> {
    const granted = this.chain.then(() => this.grant());
    this.chain = granted;
    return granted;
  }

  /** No permission before `ms` from now; throttles reported together do not add up. */
  backoff(ms: number = this.backoffMs): void {
    this.tat = Math.max(this.tat, this.clock.now() + ms);
  }

  private async grant(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const at = this.tat - this.toleranceMs;
      if (at <= now) {
        this.tat = (this.tat >= now - this.lagMs ? this.tat : now) + this.intervalMs;
        return;
      }
      await this.sleeper.sleep(at - now);
    }
  }
}

/**
 * The rate one of `workers` workers may use: shares that add up to `headroom` of the account rate, so the
 * fleet reaches the quota whatever its size (at SES's default 14/s, ten workers send 1.37/s each). SES
 * allows short bursts above the rate, and a throttle that still happens is retried inside the job.
 */
export function workerRate(accountRate: number, workers: number, headroom = 0.98): number {
  if (!(accountRate > 0)) throw new RangeError(`the account send rate must be positive, got ${accountRate}`);
  return (accountRate * headroom) / Math.max(1, Math.floor(workers));
}
