/**
 * The AWS composition root of the editorial workflow's extras: intake's proof deps and the read-only deps of
 * `newsbrief status --table`. SDK clients come from the same factory as the pipeline's (src/wiring/aws.ts,
 * which also builds intake's scheduler).
 */
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { loadKeyringSecret } from '../adapters/aws/secrets-keyring.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import type { ProofDeps } from '../proofs/send-proof.js';
import type { BlobStore, Ledger } from '../ports.js';
import { type AwsClients, type AwsRuntime, createAwsClients } from './aws.js';

let proofDeps: Promise<ProofDeps & { readonly blobs: BlobStore }> | undefined;

/** What intake needs for proofs: its own blobs and ledger, SES and the keyring (read once per cold start). */
export function proofDepsOf(runtime: AwsRuntime): Promise<ProofDeps & { readonly blobs: BlobStore }> {
  proofDeps ??= loadKeyringSecret(runtime.clients.secrets, runtime.config.keysSecretArn).then((keyring) => ({
    blobs: runtime.intake.blobs,
    ledger: runtime.intake.ledger,
    mailer: new SesMailer(runtime.clients.ses, runtime.config.configurationSet),
    lists: runtime.config.lists,
    keyring,
    clock: runtime.clock,
  }));
  // A failed read is forgotten, so that the retried event tries again.
  proofDeps.catch(() => (proofDeps = undefined));
  return proofDeps;
}

/** What `newsbrief status --table T --bucket B` reads. */
export function createAwsStatusDeps(env: NodeJS.ProcessEnv, where: { table: string; bucket: string }, clients: AwsClients = createAwsClients(env)): { blobs: BlobStore; ledger: Ledger } {
  return { blobs: new S3BlobStore(clients.s3, where.bucket), ledger: new DynamoLedger(clients.dynamo, where.table) };
}
