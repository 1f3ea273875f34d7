/**
 * Report deps over a deployed ledger table (and its bucket, when known), for `newsbrief report --stack/--table`,
 * and a reader's history over the same, for `newsbrief subscribers show`.
 */
import { DynamoFeedbackLedger } from '../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoIssueLog } from '../adapters/aws/dynamo-issue-log.js';
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { DynamoReaderRecords } from '../adapters/aws/dynamo-reader-records.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { systemClock } from '../adapters/system-clock.js';
import type { ListsConfig } from '../config/lists.js';
import type { ReaderHistoryDeps } from '../engagement/reader-history.js';
import { renderedLinks } from '../engagement/rendered-links.js';
import type { ListReportDeps } from '../report/read-list-report.js';
import { newDynamoDocumentClient, newS3Client } from './aws/clients.js';
import { envReader } from './aws/env.js';

/**
 * Report deps over a ledger table (the CLI's `--table`, or `--stack`'s LedgerTableName); the breaker limits come
 * from the environment. With the briefs bucket (`--stack` knows it), the report also says who each issue was for.
 * A list's issues are read from the ledger's `issuesByList` index.
 */
export function createAwsReportDeps(
  env: NodeJS.ProcessEnv,
  ledgerTable: string,
  lists: ListsConfig,
  briefsBucket?: string,
): ListReportDeps {
  const dynamo = newDynamoDocumentClient(env);
  const feedback = new DynamoFeedbackLedger(dynamo, ledgerTable);
  const issueLog = new DynamoIssueLog(dynamo, ledgerTable);
  const blobs = briefsBucket ? new S3BlobStore(newS3Client(env), briefsBucket) : undefined;
  return {
    recentIssues: (list, limit) => issueLog.recentIssues(list, limit),
    ledger: new DynamoLedger(dynamo, ledgerTable),
    feedback,
    ...(blobs ? { blobs } : {}),
    // The link map is in the bucket: with --table, which names none, links are counted but listed without rows.
    engagement: { ledger: feedback, links: blobs ? renderedLinks(blobs) : async () => undefined },
    lists,
    clock: systemClock,
    breaker: envReader(env).breaker(),
  };
}

/**
 * A reader's history over a ledger table: the list's issues from its issuesByList index, the reader's delivery
 * and claims by BatchGetItem; with the bucket, clicks are named by link (its link maps are in rendered/).
 */
export function createAwsReaderHistoryDeps(env: NodeJS.ProcessEnv, ledgerTable: string, briefsBucket?: string): ReaderHistoryDeps {
  const dynamo = newDynamoDocumentClient(env);
  const issueLog = new DynamoIssueLog(dynamo, ledgerTable);
  const records = new DynamoReaderRecords(dynamo, ledgerTable);
  const blobs = briefsBucket ? new S3BlobStore(newS3Client(env), briefsBucket) : undefined;
  return {
    recentIssues: (list, limit) => issueLog.recentIssues(list, limit),
    readerRecords: (subscriberId, asks) => records.readerRecords(subscriberId, asks),
    links: blobs ? renderedLinks(blobs) : async () => undefined,
  };
}
