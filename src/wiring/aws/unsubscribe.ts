/** The unsubscribe function's composition root: DynamoDB (subscribers) and Secrets Manager (the keyring), nothing else. */
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { loadKeyringSecret } from '../../adapters/aws/secrets-keyring.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { Clock } from '../../ports.js';
import type { UnsubscribeDeps } from '../../subscribers/unsubscribe.js';
import { once } from '../once.js';
import { dynamoClient, secretsClient } from './clients.js';
import { envReader } from './env.js';
import { noNewIds } from './no-new-ids.js';

/** Builds the unsubscribe function's deps; the keyring is read from Secrets Manager. */
export async function createUnsubscribeDeps(env: NodeJS.ProcessEnv, clock: Clock = systemClock): Promise<UnsubscribeDeps> {
  const read = envReader(env);
  const lists = read.lists();
  const subscribers = new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), noNewIds);
  return { subscribers, lists, keyring: await loadKeyringSecret(secretsClient(), read.required(ENV.keysSecretArn)), clock };
}

/** The unsubscribe function's deps, once per cold start. */
export const unsubscribeDeps = once(() => createUnsubscribeDeps(process.env));
