/** Proofs in local mode: the same sendProof use-case as on AWS, with a fresh nonce per request. */
import { randomUUID } from 'node:crypto';
import { sendProof, type ProofDeps, type ProofResult } from '../proofs/send-proof.js';

/** Sends a proof of a brief file to its list's proof recipients; every call is a new proof. */
export function proofBriefLocally(deps: ProofDeps, brief: { readonly bytes: Uint8Array; readonly fileName: string }): Promise<ProofResult> {
  // The time keeps proofs in order in the ledger; the random part tells two proofs in one millisecond apart.
  const nonce = `${new Date(deps.clock.now()).toISOString().replace(/[^0-9]/g, '')}-${randomUUID().slice(0, 8)}`;
  return sendProof(deps, { bytes: brief.bytes, sourceName: brief.fileName, nonce });
}

/** One line about a proof, for the CLI and the studio. */
export function describeProof(result: ProofResult): string {
  switch (result.status) {
    case 'refused':
      return `not sent: ${result.problems.length} problem(s) in the brief`;
    case 'no-recipients':
      return `not sent: the list ${result.issue.list} has no proofRecipients in the lists configuration`;
    case 'sent':
      return [
        `proof of ${result.issue.list}/${result.issue.id} sent to ${result.sentTo.join(', ') || 'nobody'}`,
        result.failed.length > 0 ? `refused for ${result.failed.join(', ')}` : '',
        'the issue itself is not sent and not claimed',
      ]
        .filter(Boolean)
        .join('; ');
  }
}
