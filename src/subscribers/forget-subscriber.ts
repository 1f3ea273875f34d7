/**
 * `newsbrief subscribers forget EMAIL`: erasure on request. The suppression entry is written first and the
 * members deleted after, so that a run cut short never leaves the person importable; running it again is
 * harmless. What remains is one keyed hash (see suppression.ts): no address, name or attribute.
 */
import type { SubscriberAdmin } from '../ports.js';
import { suppressionHash } from './suppression.js';

/** What forgetting found. */
export interface ForgetResult {
  /** The lists the person was a member of (their data is now erased there). */
  readonly erasedFrom: readonly string[];
}

/** Suppresses the address deployment-wide, then deletes its member in each of `lists`. */
export async function forgetSubscriber(store: SubscriberAdmin, email: string, lists: readonly string[], at: string): Promise<ForgetResult> {
  const salt = (await store.suppressionSalt(true))!;
  await store.addSuppressions([suppressionHash(salt, email)], at);
  const erasedFrom: string[] = [];
  for (const list of lists) if (await store.remove(list, email)) erasedFrom.push(list);
  return { erasedFrom };
}

/** Whether an address was forgotten (and so is never imported again). */
export async function isForgotten(store: SubscriberAdmin, email: string): Promise<boolean> {
  const salt = await store.suppressionSalt(false);
  if (salt === undefined) return false;
  const hash = suppressionHash(salt, email);
  return (await store.suppressedAmong([hash])).has(hash);
}
