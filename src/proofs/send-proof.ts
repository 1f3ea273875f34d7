/**
 * Proofs: the brief rendered as a proof (`[PROOF] ` subject, a banner saying so) and mailed to the list's
 * proof recipients only, straight away. A proof never claims the issue in the ledger, so the real send is
 * untouched; its deliveries are claimed under a proof id carrying a nonce, so a redelivered event for the
 * same upload mails nobody twice while every new upload (a new nonce) is a new proof.
 */
import { composeReaderMessage } from '../deliver/reader-message.js';
import { createHash } from 'node:crypto';
import { parseBrief } from '../brief/parse-brief.js';
import type { Problem } from '../config/problems.js';
import type { ListsConfig } from '../config/lists.js';
import type { Keyring } from '../deliver/tokens.js';
import { renderIssue } from '../render/render-issue.js';
import type { Clock, Ledger, Mailer } from '../ports.js';
import type { IssueRef } from '../model.js';
import { PermanentSendError } from '../deliver/send-errors.js';

/** What a proof needs. */
export interface ProofDeps {
  readonly ledger: Ledger;
  readonly mailer: Mailer;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
}

/** The brief to proof and what makes this proof distinct (an upload's version id, or a timestamp locally). */
export interface ProofInput {
  readonly bytes: Uint8Array;
  readonly sourceName: string;
  readonly nonce: string;
}

/** How a proof ended. */
export type ProofResult =
  | { readonly status: 'refused'; readonly problems: readonly Problem[] }
  | { readonly status: 'no-recipients'; readonly issue: IssueRef }
  /** `proof` is the ledger id its deliveries are claimed under; `skipped`: already mailed for this nonce. */
  | {
      readonly status: 'sent';
      readonly issue: IssueRef;
      readonly proof: IssueRef;
      readonly sentTo: readonly string[];
      readonly skipped: readonly string[];
      /** Refused by the mail service (e.g. an unverified address in the sandbox). */
      readonly failed: readonly string[];
    };

/** The ledger id of one proof: never the issue's own, so claiming it can never block or mark the real send. */
export function proofRefOf(issue: IssueRef, nonce: string): IssueRef {
  return { list: issue.list, id: `${issue.id}.proof.${nonce.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64)}` };
}

// A proof's claim outlives its one SES call (which times out well before this).
const PROOF_LEASE_MS = 60_000;

/** Sends one proof. Throws (after releasing the claim) when the mailer fails, so the event is retried. */
export async function sendProof(deps: ProofDeps, input: ProofInput): Promise<ProofResult> {
  const parsed = parseBrief(input.bytes, { knownLists: [...deps.lists.lists.keys()], sourceName: input.sourceName });
  if (!parsed.ok) return { status: 'refused', problems: parsed.problems };
  const brief = parsed.brief;
  const list = deps.lists.lists.get(brief.list)!;
  const issue: IssueRef = { list: brief.list, id: brief.id };
  if (list.proofRecipients.length === 0) return { status: 'no-recipients', issue };

  const rendered = await renderIssue(brief, list, { proof: true });
  const proof = proofRefOf(issue, input.nonce);
  const sentTo: string[] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  for (const email of list.proofRecipients) {
    // Proof recipients need not be subscribers: a stable id from the address keeps links free of it.
    const recipient = { id: `proof-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)}`, email };
    const nowMs = deps.clock.now();
    const lease = { at: new Date(nowMs).toISOString(), nowMs, holder: `proof:${proof.id}`, until: nowMs + PROOF_LEASE_MS };
    if ((await deps.ledger.claimDelivery(proof, recipient.id, lease)).state !== 'claimed') {
      skipped.push(email);
      continue;
    }
    const message = await composeReaderMessage({
      issue: rendered,
      list,
      recipient,
      keyring: deps.keyring,
      date: new Date(deps.clock.now()),
    });
    try {
      const receipt = await deps.mailer.send(message);
      await deps.ledger.completeDelivery(
        proof,
        recipient.id,
        { status: 'sent', messageId: receipt.messageId },
        new Date(deps.clock.now()).toISOString(),
      );
      sentTo.push(email);
    } catch (error) {
      if (error instanceof PermanentSendError) {
        await deps.ledger.completeDelivery(
          proof,
          recipient.id,
          { status: 'failed', reason: error.message },
          new Date(deps.clock.now()).toISOString(),
        );
        failed.push(email);
        continue;
      }
      // A proof mailed twice after an ambiguous failure is harmless; a proof never mailed is not.
      await deps.ledger.releaseDelivery(proof, recipient.id);
      throw error;
    }
  }
  return { status: 'sent', issue, proof, sentTo, skipped, failed };
}
