/**
 * The life of one delivery, as pure transitions that every ledger (memory, local file, DynamoDB) applies
 * under its own atomic write: claimed (with a lease) → sent | failed | unknown, unknown → sent | failed,
 * and a claim whose holder is gone, or an unknown whose grace period passed, claimed again (a re-send).
 * Counts move with the state, so they always say what the deliveries say.
 */
import type { DeliveryClaim, DeliveryLease, DeliveryOutcome, DeliveryRecord, DeliveryState, IssueCounts } from '../model.js';

/** How soon a delivery held by a live claimant is looked at again (ms). */
export const BUSY_RECHECK_MS = 2_000;

/** A change of counts (negative for `unknown` resolved). */
export type CountsDelta = Partial<Record<keyof Omit<IssueCounts, 'planned'>, number>>;

/** What a claim does: the answer, and the record to write (none when nothing changes). */
export interface ClaimTransition {
  readonly claim: DeliveryClaim;
  readonly record?: DeliveryRecord | undefined;
  readonly delta?: CountsDelta | undefined;
}

/**
 * Decides a claim against what the ledger holds. `holderIsGone` lets local mode resolve the claims of a
 * process that no longer runs at once, rather than waiting for their lease.
 */
export function claimTransition(
  existing: DeliveryRecord | undefined,
  lease: DeliveryLease,
  holderIsGone: (holder: string) => boolean = () => false,
): ClaimTransition {
  const claim = (attempt: number): ClaimTransition => {
    const record: DeliveryRecord = { status: 'claimed', attempt, claimedAt: lease.at, holder: lease.holder, leaseUntil: lease.until };
    return { claim: { state: 'claimed', attempt }, record, delta: countsBetween(existing, record) };
  };
  if (!existing) return claim(1);
  switch (existing.status) {
    case 'sent':
    case 'failed':
      return { claim: { state: 'done' } };
    case 'claimed': {
      const leaseUntil = existing.leaseUntil ?? 0;
      if (
        leaseUntil > lease.nowMs &&
        !(existing.holder !== undefined && existing.holder !== lease.holder && holderIsGone(existing.holder))
      ) {
        // A live holder answers within one call: look again soon, and at the latest when its lease is over.
        return { claim: { state: 'busy', retryAt: Math.min(leaseUntil, lease.nowMs + BUSY_RECHECK_MS) } };
      }
      // The holder vanished between its claim and its answer: nothing proves SES has it, so it goes again.
      return claim(existing.attempt + 1);
    }
    case 'unknown': {
      const retryAt = existing.retryAt ?? 0;
      if (retryAt > lease.nowMs) return { claim: { state: 'busy', retryAt } };
      // No Send event came within the grace period: SES did not take it (or never said so).
      return claim(existing.attempt + 1);
    }
  }
}

/** Decides a completion; undefined when the delivery had ended already (or was never claimed). */
export function completeTransition(
  existing: DeliveryRecord | undefined,
  outcome: DeliveryOutcome,
  at: string,
): { readonly record: DeliveryRecord; readonly delta: CountsDelta } | undefined {
  if (!existing || existing.status === 'sent' || existing.status === 'failed') return undefined;
  // An unknown outcome only ever replaces a live claim: a second "unknown" for the same attempt changes nothing.
  if (outcome.status === 'unknown' && existing.status === 'unknown') return undefined;
  const base = { attempt: existing.attempt, claimedAt: existing.claimedAt, completedAt: at };
  const record: DeliveryRecord =
    outcome.status === 'sent'
      ? { ...base, status: 'sent', messageId: outcome.messageId }
      : outcome.status === 'failed'
        ? { ...base, status: 'failed', reason: outcome.reason }
        : { ...base, status: 'unknown', reason: outcome.reason, retryAt: outcome.retryAt };
  return { record, delta: countsBetween(existing, record) };
}

/** How counts move from one state of a delivery to the next: sent, failed and unknown count once each, a claim not at all. */
export function countsBetween(before: DeliveryRecord | undefined, after: DeliveryRecord): CountsDelta {
  const counted = (status: DeliveryState | undefined) =>
    status === 'sent' || status === 'failed' || status === 'unknown' ? status : undefined;
  const was = counted(before?.status);
  const now = counted(after.status);
  if (was === now) return {};
  return { ...(was ? { [was]: -1 } : {}), ...(now ? { [now]: 1 } : {}) };
}

/** The states of the deliveries among `ids` that exist, by a ledger's lookup. */
export function statesOf(ids: readonly string[], recordOf: (id: string) => DeliveryRecord | undefined): Map<string, DeliveryState> {
  const states = new Map<string, DeliveryState>();
  for (const id of ids) {
    const record = recordOf(id);
    if (record) states.set(id, record.status);
  }
  return states;
}

/** Whether a release applies: only a live claim is dropped (an ended or unknown delivery stays recorded). */
export function releasable(existing: DeliveryRecord | undefined): boolean {
  return existing?.status === 'claimed';
}

/** Counts plus a delta. */
export function addCounts(counts: IssueCounts, delta: Partial<IssueCounts>): IssueCounts {
  return {
    planned: counts.planned + (delta.planned ?? 0),
    sent: counts.sent + (delta.sent ?? 0),
    failed: counts.failed + (delta.failed ?? 0),
    unknown: counts.unknown + (delta.unknown ?? 0),
  };
}
