/**
 * A reader unsubscribes (one-click POST over HTTP to the real unsubscribe handler) while their issue is being
 * sent: the send jobs that run afterwards re-read statuses and skip them. DynamoDB on moto_server (the ledger writes transactions, which dynalite lacks), SES on
 * aws-ses-v2-local, the keyring in Secrets Manager on moto_server; the real SDK everywhere.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../src/adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { SesMailer } from '../../src/adapters/aws/ses-mailer.js';
import { MemoryBlobStore } from '../../src/adapters/memory/memory-stores.js';
import { ENV } from '../../src/config/env-names.js';
import { parseListsConfig } from '../../src/config/lists.js';
import type { OutboundMessage } from '../../src/deliver/compose-message.js';
import { parseKeyring, signToken } from '../../src/deliver/tokens.js';
import { TokenBucket } from '../../src/pipeline/rate-limiter.js';
import { systemClock } from '../../src/adapters/system-clock.js';
import { newSendRun, sendJob } from '../../src/pipeline/send-job.js';
import type { Mailer } from '../../src/ports.js';
import type { SendJob, SendReceipt, Subscriber } from '../../src/model.js';
import { renderIssue } from '../../src/render/render-issue.js';
import { startMoto, startSesLocal, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { skipWithout } from '../support/test-tools.js';
import { type FunctionUrlServer, serveFunctionUrl } from '../support/function-url-server.js';
import { validExample } from '../support/fixtures.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

const KEYRING = { current: 'k1', k1: 'interrupted-send-signing-key-0123456789abc' };
const keyring = parseKeyring(KEYRING);
const listsDocument = { lists: JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')).lists };
const lists = parseListsConfig(listsDocument);

let moto: Emulator;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let front: FunctionUrlServer;
let store: DynamoSubscriberStore, ledger: DynamoLedger, sesClient: SESClient;

beforeAll(async () => {
  useFakeAwsCredentials();
  [moto, ses] = await Promise.all([startMoto(), startSesLocal()]);
  const dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await createNewsbriefTables(dynamo);
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoSubscriberStore(db, 'subscribers', randomUUID);
  ledger = new DynamoLedger(db, 'ledger');
  sesClient = new SESClient({ endpoint: ses.endpoint, maxAttempts: 1 });
  const secret = await new SecretsManagerClient({ endpoint: moto.endpoint }).send(
    new CreateSecretCommand({ Name: 'keys', SecretString: JSON.stringify(KEYRING) }),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    [ENV.subscribersTable]: 'subscribers',
    [ENV.listsJson]: JSON.stringify(listsDocument),
    [ENV.keysSecretArn]: secret.ARN!,
  });
  front = await serveFunctionUrl((await import('../../lambdas/unsubscribe.js')).handler);
});

afterAll(async () => {
  await Promise.all([front?.close(), moto?.stop(), ses?.stop()]);
});

/** A mailer that sends through SES and runs `after` once, after the first message went out. */
function mailerThatThen(after: () => Promise<void>): Mailer {
  const inner = new SesMailer(sesClient, undefined);
  let done = false;
  return {
    async send(message: OutboundMessage): Promise<SendReceipt> {
      const receipt = await inner.send(message);
      if (!done) {
        done = true;
        await after();
      }
      return receipt;
    },
  };
}

describe.skipIf(skipWithout('moto_server'))('a send interrupted by an unsubscribe', () => {
  it('stops the remaining sends to the reader who left during the send', async () => {
    const brief = validExample('minimal.json');
    const issueRef = { list: brief.list, id: `interrupted-${Date.now()}` };
    const rendered = await renderIssue({ ...brief, id: issueRef.id }, lists.lists.get(brief.list)!);
    const blobs = new MemoryBlobStore();
    const renderedKey = `rendered/${issueRef.list}/${issueRef.id}/issue.json`;
    await blobs.put(renderedKey, JSON.stringify(rendered), 'application/json');
    await ledger.claimIssue(issueRef, { renderedKey, source: 'briefs/x.json', at: '2026-03-02T09:00:00Z' });

    const readers: Subscriber[] = [];
    for (const name of ['first', 'second', 'leaver', 'last']) {
      readers.push(
        await store.upsert({ list: issueRef.list, email: `${name}@interrupt.example.org`, status: 'subscribed' }, '2026-03-01T00:00:00Z'),
      );
    }
    const leaver = readers[2]!;
    const oneClick = async () => {
      const token = signToken({ list: issueRef.list, subscriber: leaver.id, purpose: 'unsubscribe' }, keyring);
      const response = await fetch(`${front.url}/?t=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(200);
    };
    const deps = {
      blobs,
      ledger,
      subscribers: store,
      mailer: mailerThatThen(oneClick),
      lists,
      keyring,
      clock: systemClock,
      limiter: new TokenBucket({ ratePerSecond: 1000 }, systemClock, systemClock),
      queue: { enqueuePlan: async () => {}, enqueueSendJobs: async () => {} },
      issues: new Map(),
      parallelism: 1,
    };
    const job = (recipients: Subscriber[]): SendJob => ({
      format: 'newsbrief/send-job@1',
      issue: issueRef,
      renderedKey,
      recipients: recipients.map((r) => ({ id: r.id, email: r.email, firstName: r.firstName })),
    });

    const first = await sendJob(deps, job(readers.slice(0, 2)), newSendRun('test'));
    const second = await sendJob(deps, job(readers.slice(2)), newSendRun('test'));

    expect([first.sent, second.sent, second.unsubscribed]).toEqual([2, 1, 1]);
    const mailed = (await ses.emails()).flatMap((m) => m.destination.to).filter((to) => to.includes('@interrupt.example.org'));
    expect(mailed.sort()).toEqual(['first@interrupt.example.org', 'last@interrupt.example.org', 'second@interrupt.example.org']);
    expect((await store.get(issueRef.list, leaver.email))!.status).toBe('unsubscribed');
  });
});
