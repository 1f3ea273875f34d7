/** The circuit breaker's limits from the environment (names from ENV), over the defaults; read once by each wiring module. */
import { type BreakerPolicy, DEFAULT_BREAKER_POLICY } from './breaker-policy.js';
import { ENV } from './env-names.js';

/** Raised when a breaker variable is unusable; names the variable. Retrying never helps. */
export class BreakerConfigError extends Error {
  override readonly name = 'BreakerConfigError';
}

/**
 * Reads NEWSBRIEF_MAX_BOUNCE_RATE, NEWSBRIEF_MAX_COMPLAINT_RATE, NEWSBRIEF_BREAKER_MIN_SAMPLE,
 * NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE and NEWSBRIEF_MAX_COMPLAINTS.
 */
export function breakerPolicyFromEnv(env: NodeJS.ProcessEnv): Required<BreakerPolicy> {
  const rate = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!(n > 0 && n < 1))
      throw new BreakerConfigError(`environment variable ${name} must be a rate between 0 and 1 (e.g. 0.05), got "${raw}"`);
    return n;
  };
  const whole = (name: string, fallback: number, least: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < least)
      throw new BreakerConfigError(`environment variable ${name} must be a whole number of at least ${least}, got "${raw}"`);
    return n;
  };
  return {
    maxBounceRate: rate(ENV.maxBounceRate, DEFAULT_BREAKER_POLICY.maxBounceRate),
    maxComplaintRate: rate(ENV.maxComplaintRate, DEFAULT_BREAKER_POLICY.maxComplaintRate),
    minSample: whole(ENV.breakerMinSample, DEFAULT_BREAKER_POLICY.minSample, 1),
    minComplaintSample: whole(ENV.breakerMinComplaintSample, DEFAULT_BREAKER_POLICY.minComplaintSample, 1),
    maxComplaints: whole(ENV.maxComplaints, DEFAULT_BREAKER_POLICY.maxComplaints, 0),
  };
}
