/**
 * The subscribe function's composition root: DynamoDB (subscribers, the confirmation throttle), SES (the
 * confirmation mail) and Secrets Manager (the keyring). It renders the confirmation mail with MJML, loaded
 * on the first confirmation sent, not at cold start.
 */
import { randomUUID } from 'node:crypto';
import { DynamoConfirmationThrottle } from '../../adapters/aws/dynamo-confirmation-throttle.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { loadKeyringSecret } from '../../adapters/aws/secrets-keyring.js';
import { SesMailer } from '../../adapters/aws/ses-mailer.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { Clock } from '../../ports.js';
import { renderConfirmation } from '../../subscribers/confirmation-brief.js';
import { DEFAULT_CONFIRMATION_LIMITS, withHourlyBudgets } from '../../subscribers/confirmation-limits.js';
import type { SubscribeEndpointDeps } from '../../subscribers/subscribe-endpoint.js';
import { once } from '../once.js';
import { dynamoClient, secretsClient, sesClient } from './clients.js';
import { envReader } from './env.js';
import { currentLists } from './lists.js';

/** Builds the subscribe function's deps (all but the confirm URL, which each request derives from its host). */
export async function createSubscribeDeps(
  env: NodeJS.ProcessEnv,
  clock: Clock = systemClock,
): Promise<Omit<SubscribeEndpointDeps, 'defaultConfirmBaseUrl' | 'lists'>> {
  const read = envReader(env);
  return {
    subscribers: new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), randomUUID),
    throttle: new DynamoConfirmationThrottle(dynamoClient(), read.required(ENV.ledgerTable)),
    // With the configuration set, so that a confirmation that bounces suppresses the address like any issue.
    mailer: new SesMailer(sesClient(), read.optional(ENV.configurationSet)),
    keyring: await loadKeyringSecret(secretsClient(), read.required(ENV.keysSecretArn)),
    clock,
    renderConfirmation,
    limits: withHourlyBudgets(DEFAULT_CONFIRMATION_LIMITS, {
      perList: read.positive(ENV.confirmationsPerListHour),
      overall: read.positive(ENV.confirmationsPerHour),
    }),
  };
}

const subscribeBase = once(() => createSubscribeDeps(process.env));

/** The subscribe function's deps for one request: the clients and keyring of the cold start, the lists as they are now. */
export async function subscribeDeps(): Promise<Omit<SubscribeEndpointDeps, 'defaultConfirmBaseUrl'>> {
  return { ...(await subscribeBase()), lists: await currentLists() };
}
