/**
 * The unsubscribe functions' composition root: DynamoDB (subscribers, and the ledger where an unsubscribe is
 * counted on its issue when the function is given the table) and Secrets Manager (the keyring), nothing else.
 */
import { DynamoFeedbackLedger } from '../../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { loadKeyringSecret } from '../../adapters/aws/secrets-keyring.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { Clock } from '../../ports.js';
import type { UnsubscribeDeps } from '../../subscribers/unsubscribe.js';
import { once } from '../once.js';
import { dynamoClient, secretsClient } from './clients.js';
import { envReader } from './env.js';
import { currentLists } from './lists.js';
import { noNewIds } from './no-new-ids.js';

/** Builds the unsubscribe function's deps but the lists; the keyring is read from Secrets Manager. */
export async function createUnsubscribeDeps(env: NodeJS.ProcessEnv, clock: Clock = systemClock): Promise<Omit<UnsubscribeDeps, 'lists'>> {
  const read = envReader(env);
  const subscribers = new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), noNewIds);
  // Both unsubscribe functions (the link and the mailto) are given the ledger, to count each unsubscribe on its issue.
  const ledgerTable = read.optional(ENV.ledgerTable);
  return {
    subscribers,
    keyring: await loadKeyringSecret(secretsClient(), read.required(ENV.keysSecretArn)),
    clock,
    ...(ledgerTable ? { feedback: new DynamoFeedbackLedger(dynamoClient(), ledgerTable) } : {}),
  };
}

const unsubscribeBase = once(() => createUnsubscribeDeps(process.env));

/** The unsubscribe function's deps for one request: the keyring of the cold start, the lists as they are now. */
export async function unsubscribeDeps(): Promise<UnsubscribeDeps> {
  return { ...(await unsubscribeBase()), lists: await currentLists() };
}
