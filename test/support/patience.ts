/**
 * How long a test may wait on a machine that is slower than the developer's: limits for readiness polls and
 * hang detectors, never pacing. One factor for all of them, so that a busy CI runner is one knob.
 */
import { availableParallelism, loadavg } from 'node:os';

/** NEWSBRIEF_TEST_PATIENCE if set, else the run queue per core right now (1 on an idle machine, at most 10). */
export function patienceFactor(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.NEWSBRIEF_TEST_PATIENCE);
  if (Number.isFinite(configured) && configured > 0) return configured;
  // The one-minute load average lags a burst, so a floor of 1 and a generous base limit do the real work.
  return Math.min(10, Math.max(1, loadavg()[0]! / availableParallelism()));
}

/** `ms` (what an idle machine needs, with room) stretched by the patience factor. */
export function patience(ms: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.round(ms * patienceFactor(env));
}
