/** Report deps over a deployed ledger table, for `newsbrief report --table`. */
import { DynamoFeedbackLedger } from '../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { systemClock } from '../adapters/system-clock.js';
import type { ListsConfig } from '../config/lists.js';
import type { ReportDeps } from '../report/issue-report.js';
import { newDynamoDocumentClient } from './aws/clients.js';
import { envReader } from './aws/env.js';

/** Report deps over a ledger table (the CLI's `--table`); the breaker limits come from the environment. */
export function createAwsReportDeps(env: NodeJS.ProcessEnv, ledgerTable: string, lists: ListsConfig): ReportDeps {
  const dynamo = newDynamoDocumentClient(env);
  const feedback = new DynamoFeedbackLedger(dynamo, ledgerTable);
  return {
    ledger: new DynamoLedger(dynamo, ledgerTable),
    feedback,
    // Counts only: the link map is in the bucket, which --table does not name, so links are listed without rows.
    engagement: { ledger: feedback, links: async () => undefined },
    lists,
    clock: systemClock,
    breaker: envReader(env).breaker(),
  };
}
