/**
 * When an issue starts: now, or at its `sendAt`. Pure: the time is passed in. A `sendAt` less than a
 * minute ahead starts now, because EventBridge Scheduler fires within the minute anyway and a schedule
 * for the past would never fire.
 */
import { createHash } from 'node:crypto';
import type { IssueRef } from '../model.js';

/** Lead time under which a future sendAt starts at once. */
export const MIN_SCHEDULE_LEAD_MS = 60_000;

/** Start now, or at a time (ISO 8601 UTC, whole seconds). */
export type StartDecision = { readonly kind: 'now' } | { readonly kind: 'scheduled'; readonly at: string };

/** Decides when an issue starts, given its brief's sendAt and the current time (epoch ms). */
export function decideStart(sendAt: string | undefined, nowMs: number): StartDecision {
  if (sendAt === undefined) return { kind: 'now' };
  const at = Date.parse(sendAt);
  if (Number.isNaN(at) || at - nowMs < MIN_SCHEDULE_LEAD_MS) return { kind: 'now' };
  // Whole seconds, rounded up: never earlier than the editor asked.
  return { kind: 'scheduled', at: new Date(Math.ceil(at / 1000) * 1000).toISOString().replace('.000Z', 'Z') };
}

/** EventBridge Scheduler's one-time expression for an ISO time: `at(yyyy-mm-ddThh:mm:ss)`, read in UTC. */
export function atExpression(isoUtc: string): string {
  return `at(${new Date(isoUtc).toISOString().slice(0, 19)})`;
}

/**
 * The schedule name of an issue: one per issue, so that scheduling it again replaces it. Scheduler names
 * are at most 64 of [0-9A-Za-z._-]; long ids keep a readable start and a hash for uniqueness.
 */
export function scheduleNameOf(issue: IssueRef): string {
  const readable = `${issue.list}.${issue.id}`;
  if (readable.length <= 64) return readable;
  const hash = createHash('sha256').update(readable).digest('hex').slice(0, 16);
  return `${readable.slice(0, 47)}-${hash}`;
}
