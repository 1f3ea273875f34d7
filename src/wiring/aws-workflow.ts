/** What `newsbrief status --table T --bucket B` reads from a deployment. */
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import type { BlobStore, Ledger } from '../ports.js';
import { newDynamoDocumentClient, newS3Client } from './aws/clients.js';

/** The bucket and the ledger table, with credentials and region from `env`. */
export function createAwsStatusDeps(
  env: NodeJS.ProcessEnv,
  where: { table: string; bucket: string },
): { blobs: BlobStore; ledger: Ledger } {
  return { blobs: new S3BlobStore(newS3Client(env), where.bucket), ledger: new DynamoLedger(newDynamoDocumentClient(env), where.table) };
}
