/** A brief dropped under proofs/: read it and send the proof; a refused one gets its report like any brief. */
import { MAX_BRIEF_BYTES } from '../brief/brief-schema.js';
import { isProofKey, proofReportKeyOf } from '../config/bucket-layout.js';
import { formatProblems } from '../brief/problems.js';
import type { BlobStore } from '../ports.js';
import { sendProof, type ProofDeps, type ProofResult } from './send-proof.js';

/** How a proof event ended. */
export type ProofIntakeResult =
  | { readonly status: 'ignored'; readonly key: string; readonly reason: string }
  | ({ readonly key: string } & ProofResult);

/** Handles one created object under proofs/; `nonce` identifies the upload (its S3 version id). */
export async function intakeProof(deps: ProofDeps & { readonly blobs: BlobStore }, key: string, nonce: string): Promise<ProofIntakeResult> {
  if (!isProofKey(key)) return { status: 'ignored', key, reason: 'not a proofs/**.json key' };
  const bytes = await deps.blobs.get(key, { maxBytes: MAX_BRIEF_BYTES + 1 });
  if (!bytes) return { status: 'ignored', key, reason: 'the object no longer exists' };
  const result = await sendProof(deps, { bytes, sourceName: key, nonce });
  if (result.status === 'refused') {
    const report = {
      format: 'newsbrief/problem-report@1',
      source: key,
      at: new Date(deps.clock.now()).toISOString(),
      problems: result.problems,
      text: formatProblems(key, result.problems),
    };
    await deps.blobs.put(proofReportKeyOf(key), JSON.stringify(report, null, 2), 'application/json');
  }
  return { key, ...result };
}
