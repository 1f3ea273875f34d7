/** A brief dropped under proofs/: read it and send the proof; a refused one gets its report like any brief. */
import { MAX_BRIEF_BYTES } from '../brief/brief-schema.js';
import { formatProblems } from '../brief/problems.js';
import type { BlobStore } from '../ports.js';
import { sendProof, type ProofDeps, type ProofResult } from './send-proof.js';

/** Where proofs are dropped. */
export const PROOFS_PREFIX = 'proofs/';

/** True for `proofs/…/<name>.json`. */
export function isProofKey(key: string): boolean {
  return key.startsWith(PROOFS_PREFIX) && key.toLowerCase().endsWith('.json') && key.length > PROOFS_PREFIX.length + '.json'.length;
}

/** The problem report of a refused proof: `proofs/x.json` → `reports/proofs/x.json.problems.json`. */
export function proofReportKeyOf(key: string): string {
  return `reports/${key}.problems.json`;
}

/** How a proof event ended. */
export type ProofIntakeResult = { readonly status: 'ignored'; readonly key: string; readonly reason: string } | ({ readonly key: string } & ProofResult);

/** Handles one created object under proofs/; `nonce` identifies the upload (its S3 version id). */
export async function intakeProof(deps: ProofDeps & { readonly blobs: BlobStore }, key: string, nonce: string): Promise<ProofIntakeResult> {
  if (!isProofKey(key)) return { status: 'ignored', key, reason: 'not a proofs/**.json key' };
  const bytes = await deps.blobs.get(key, { maxBytes: MAX_BRIEF_BYTES + 1 });
  if (!bytes) return { status: 'ignored', key, reason: 'the object no longer exists' };
  const result = await sendProof(deps, { bytes, sourceName: key, nonce });
  if (result.status === 'refused') {
    const report = { format: 'newsbrief/problem-report@1', source: key, at: new Date(deps.clock.now()).toISOString(), problems: result.problems, text: formatProblems(key, result.problems) };
    await deps.blobs.put(proofReportKeyOf(key), JSON.stringify(report, null, 2), 'application/json');
  }
  return { key, ...result };
}
