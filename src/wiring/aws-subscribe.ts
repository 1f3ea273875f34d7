/**
 * The AWS composition root of the subscribe function, apart from the other lifecycle functions because it
 * renders the confirmation mail (MJML): the unsubscribe and feedback bundles stay small.
 */
import { randomUUID } from 'node:crypto';
import { DynamoConfirmationThrottle } from '../adapters/aws/dynamo-confirmation-throttle.js';
import { DynamoSubscriberStore } from '../adapters/aws/dynamo-subscriber-store.js';
import { loadKeyringSecret } from '../adapters/aws/secrets-keyring.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import { ENV } from '../config/env-names.js';
import { systemClock } from '../pipeline/rate-limiter.js';
import type { Clock } from '../ports.js';
import { renderConfirmation } from '../subscribers/confirmation-brief.js';
import type { SubscribeEndpointDeps } from '../subscribers/subscribe-endpoint.js';
import { type AwsClients, createAwsClients } from './aws.js';
import { listsFrom, required } from './aws-lifecycle.js';

/** Builds the subscribe function's deps (all but the confirm URL, which each request derives from its host). */
export async function createSubscribeDeps(
  env: NodeJS.ProcessEnv,
  clock: Clock = systemClock,
  clients: AwsClients = createAwsClients(env),
): Promise<Omit<SubscribeEndpointDeps, 'defaultConfirmBaseUrl'>> {
  const table = required(env, ENV.subscribersTable);
  return {
    subscribers: new DynamoSubscriberStore(clients.dynamo, table, randomUUID),
    throttle: new DynamoConfirmationThrottle(clients.dynamo, required(env, ENV.ledgerTable)),
    // With the configuration set, so that a confirmation that bounces suppresses the address like any issue.
    mailer: new SesMailer(clients.ses, env[ENV.configurationSet]?.trim() || undefined),
    lists: listsFrom(env),
    keyring: await loadKeyringSecret(clients.secrets, required(env, ENV.keysSecretArn)),
    clock,
    renderConfirmation,
  };
}

