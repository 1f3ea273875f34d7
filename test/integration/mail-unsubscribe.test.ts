/**
 * The `mailto:` unsubscribe, served end to end: the List-Unsubscribe header of a message composed with the
 * deployed wiring names the mailbox; a mail client writes the mail that header asks for; SES's receipt rule
 * hands the function that mail's headers (the documented Lambda-action event); the reader is unsubscribed in
 * DynamoDB (moto_server, over HTTP). Without a mailbox configured, no message advertises a mailto at all.
 */
import { composeReaderMessage } from '../../src/deliver/reader-message.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SESEvent } from 'aws-lambda';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { ENV } from '../../src/config/env-names.js';
import { parseKeyring } from '../../src/deliver/tokens.js';
import { createListSnapshots } from '../../src/wiring/aws/lists.js';
import { type Emulator, startMoto, useFakeAwsCredentials } from '../support/emulators.js';
import { renderedFixture } from '../support/fixtures.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { skipWithout } from '../support/test-tools.js';

const MAILBOX = 'unsubscribe@news.example.com';
const KEYRING = { current: 'k1', k1: 'mail-unsubscribe-signing-key-0123456789abcdef' };
const LISTS_JSON = JSON.stringify({ lists: JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')).lists });

let moto: Emulator;
let store: DynamoSubscriberStore;
let handler: typeof import('../../lambdas/mail-unsubscribe.js').handler;

beforeAll(async () => {
  useFakeAwsCredentials();
  moto = await startMoto();
  const dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await createNewsbriefTables(dynamo);
  store = new DynamoSubscriberStore(DynamoDBDocumentClient.from(dynamo), 'subscribers', randomUUID);
  const secret = await new SecretsManagerClient({ endpoint: moto.endpoint }).send(
    new CreateSecretCommand({ Name: 'mail-unsubscribe-keys', SecretString: JSON.stringify(KEYRING) }),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    [ENV.subscribersTable]: 'subscribers',
    [ENV.listsJson]: LISTS_JSON,
    [ENV.keysSecretArn]: secret.ARN!,
    [ENV.unsubscribeMailbox]: MAILBOX,
  });
  handler = (await import('../../lambdas/mail-unsubscribe.js')).handler;
});

afterAll(async () => {
  await moto?.stop();
});

/** The message a reader of `list` gets, composed as the send function does with the environment `env`. */
async function messageFor(env: NodeJS.ProcessEnv, email: string) {
  const issue = renderedFixture('oracle-tiktok');
  const list = (await createListSnapshots(env).snapshot()).lists.get(issue.list)!;
  const subscriber = await store.upsert({ list: list.id, email, status: 'subscribed' }, '2026-03-01T00:00:00Z');
  const recipient = { id: subscriber.id, email, firstName: 'Ada' };
  const message = await composeReaderMessage({ issue, list, recipient, keyring: parseKeyring(KEYRING), date: new Date() });
  // The header as a mail client reads it: unfolded, then its `<…>` URIs (RFC 2369).
  const headers = (await simpleParser(message.raw)).headerLines;
  const header = headers.find((line) => line.key === 'list-unsubscribe')?.line.replace(/\r\n\s+/g, ' ') ?? '';
  const uris = [...header.matchAll(/<([^>]+)>/g)].map((match) => match[1]!);
  return { list, uris };
}

/** What SES hands the function for the mail a client writes from a `mailto:` URI. */
function receiptEventFor(mailto: string): SESEvent {
  const uri = new URL(mailto);
  const subject = uri.searchParams.get('subject') ?? '';
  const event = JSON.parse(readFileSync(new URL('../fixtures/ses/receipt-lambda.json', import.meta.url), 'utf8')) as SESEvent;
  const mail = event.Records[0]!.ses.mail;
  mail.commonHeaders.subject = subject;
  for (const header of mail.headers) if (header.name === 'Subject') header.value = subject;
  mail.destination = [decodeURIComponent(uri.pathname)];
  return event;
}

describe.skipIf(skipWithout('moto_server'))('unsubscribe by mail (SES receipt rule → function)', () => {
  it('unsubscribes the reader whose message the mail answers, from the mailto its header advertises', async () => {
    const { list, uris } = await messageFor(process.env, 'ada@example.org');
    const mailto = uris.find((uri) => uri.startsWith('mailto:'));
    expect(mailto, `List-Unsubscribe: ${uris.join(', ')}`).toBeDefined();
    expect(decodeURIComponent(new URL(mailto!).pathname)).toBe(MAILBOX);

    await handler(receiptEventFor(mailto!));
    expect((await store.get(list.id, 'ada@example.org'))?.status).toBe('unsubscribed');
  });

  it('changes nothing for a mail whose subject carries no valid token', async () => {
    const { list } = await messageFor(process.env, 'bo@example.org');
    await handler(receiptEventFor(`mailto:${MAILBOX}?subject=${encodeURIComponent('please remove me')}`));
    await handler(receiptEventFor(`mailto:${MAILBOX}?subject=${encodeURIComponent('unsubscribe v1.k1.forged.signature')}`));
    expect((await store.get(list.id, 'bo@example.org'))?.status).toBe('subscribed');
  });

  it('advertises no mailto where no mailbox receives mail', async () => {
    const { [ENV.unsubscribeMailbox]: _mailbox, ...withoutMailbox } = process.env;
    const { uris } = await messageFor(withoutMailbox, 'cy@example.org');
    expect(uris).toHaveLength(1);
    expect(uris[0]).toMatch(/^https:\/\//);
  });
});
