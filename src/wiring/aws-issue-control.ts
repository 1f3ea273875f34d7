/** Issue control (`newsbrief issue … --table`) over the deployed ledger table: pause, resume, cancel. */
import { DynamoFeedbackLedger } from '../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { systemClock } from '../adapters/system-clock.js';
import type { IssueControlDeps } from '../pipeline/issue-control.js';
import { newDynamoDocumentClient } from './aws/clients.js';

/** Issue-control deps over a ledger table; AWS credentials and region from the environment. */
export function createAwsIssueControlDeps(env: NodeJS.ProcessEnv, ledgerTable: string): IssueControlDeps {
  const dynamo = newDynamoDocumentClient(env);
  return { ledger: new DynamoLedger(dynamo, ledgerTable), feedback: new DynamoFeedbackLedger(dynamo, ledgerTable), clock: systemClock };
}
