/**
 * The pinned DynamoDB grants (test/infra/least-privilege.test.ts) against what the adapters really send: each
 * function's adapter calls run on moto, every request is recorded (operation, table or index, partition keys), and
 * each must be allowed by that function's policy in the synthesized template, LeadingKeys conditions included.
 * A grant too narrow for the code (AccessDenied on AWS, invisible to emulators) fails here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedbackLedger } from '../../src/adapters/aws/dynamo-feedback-ledger.js';
import { DynamoIssueLog } from '../../src/adapters/aws/dynamo-issue-log.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { type FunctionGrants, functionGrants } from '../infra/function-grants.js';
import { synthTemplate } from '../infra/synth-stack.js';
import { startMoto, useFakeAwsCredentials } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { skipWithout } from '../support/test-tools.js';

/** One DynamoDB request as IAM authorizes it: one action on one table (or index), for these partition keys. */
interface Access {
  readonly action: string;
  readonly resource: string;
  readonly keys: readonly string[];
}

type Json = Record<string, any>;
const RESOURCE_OF: Record<string, string> = { ledger: 'TablesLedger', subscribers: 'TablesSubscribers' };
const partitionKey = (key: Json) => String(key.pk?.S ?? key.list?.S ?? '');

// TransactWriteItems is authorized item by item, as PutItem, UpdateItem, DeleteItem or ConditionCheckItem.
function accessesOf(operation: string, input: Json): Access[] {
  const on = (table: string, index?: string) => `${RESOURCE_OF[table] ?? table}${index ? `/index/${index}` : ''}`;
  if (operation === 'BatchGetItem')
    return Object.entries(input.RequestItems as Record<string, { Keys: Json[] }>).map(([table, request]) => ({
      action: 'dynamodb:BatchGetItem',
      resource: on(table),
      keys: request.Keys.map(partitionKey),
    }));
  if (operation === 'TransactWriteItems')
    return (input.TransactItems as Json[]).map((item) => {
      const [kind, request] = Object.entries(item)[0] as [string, Json];
      const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind];
      return { action: `dynamodb:${action}`, resource: on(request.TableName), keys: [partitionKey(request.Key ?? request.Item)] };
    });
  // A Query's partition key is in its key condition, not a Key: LeadingKeys cannot be checked here (none is set on Queries).
  const keys = input.Key ?? input.Item;
  return [{ action: `dynamodb:${operation}`, resource: on(input.TableName, input.IndexName), keys: keys ? [partitionKey(keys)] : [] }];
}

/** True when one of the function's grants allows the access: action, resource and (if any) leading-key prefix. */
function allowed(grants: Record<string, string[]>, access: Access): boolean {
  return Object.entries(grants).some(([key, actions]) => {
    // `TablesLedger (pk counts#* | issue#*)`: ForAllValues, so every key of the request must match one of them.
    const match = /^(\S+)(?: \(pk ([^)]+)\))?$/.exec(key);
    if (!match || match[1] !== access.resource || !actions.includes(access.action)) return false;
    if (match[2] === undefined) return true;
    const prefixes = match[2].split(' | ').map((p) => p.replace(/\*$/, ''));
    return access.keys.length > 0 && access.keys.every((k) => prefixes.some((prefix) => k.startsWith(prefix)));
  });
}

describe.skipIf(skipWithout('moto_server'))('DynamoDB calls of each function against its pinned grants', () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  let grants: FunctionGrants;
  let recorded: Access[] = [];
  let docs: DynamoDBDocumentClient;
  let plain: DynamoDBClient;

  beforeAll(async () => {
    useFakeAwsCredentials();
    grants = functionGrants(synthTemplate().toJSON());
    moto = await startMoto();
    const record = (client: DynamoDBClient) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          recorded.push(...accessesOf(String(context.commandName).replace(/Command$/, ''), args.input as Json));
          return next(args);
        },
        // By the build step the document client has marshalled its input: keys are attribute values here too.
        { step: 'build', name: 'recordTableAccess' },
      );
    const base = new DynamoDBClient({ endpoint: moto.endpoint });
    await createNewsbriefTables(base);
    record(base);
    docs = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    plain = new DynamoDBClient({ endpoint: moto.endpoint });
    record(plain);
  }, 300_000);
  afterAll(async () => moto?.stop());

  /** Runs `work` and returns what it sent that `fn`'s policy does not allow (and how much it sent). */
  async function denied(fn: string, work: () => Promise<unknown>): Promise<{ calls: number; denied: string[] }> {
    recorded = [];
    await work();
    const mine = grants[fn];
    expect(mine, `a function ${fn} in the template`).toBeDefined();
    return {
      calls: recorded.length,
      denied: recorded.filter((a) => !allowed(mine!, a)).map((a) => `${a.action} on ${a.resource} ${a.keys.join(',')}`),
    };
  }

  const issue = { list: 'weekly', id: `grants-${Date.now()}` };
  const lease = (holder: string) => ({ at: new Date().toISOString(), nowMs: Date.now(), holder, until: Date.now() + 60_000 });
  const ledger = () => new DynamoLedger(docs, 'ledger', plain);
  const feedback = () => new DynamoFeedbackLedger(docs, 'ledger');
  const subscribers = () => new DynamoSubscriberStore(docs, 'subscribers', () => `id-${Date.now()}`);

  it('intake: reads and claims issues, records proof deliveries', async () => {
    const result = await denied('PipelineIntake', async () => {
      const l = ledger();
      const proof = { list: 'weekly', id: `${issue.id}.proof.v1` };
      await l.getIssue(issue);
      await l.claimIssue(issue, { renderedKey: 'rendered/x/issue.json', source: 'briefs/x.json', at: new Date().toISOString() });
      await l.claimDelivery(proof, 's1', lease('intake'));
      await l.claimDelivery(proof, 's1', lease('intake-again'));
      await l.completeDelivery(proof, 's1', { status: 'sent', messageId: 'm1' }, new Date().toISOString());
      await l.claimDelivery(proof, 's2', lease('intake'));
      await l.releaseDelivery(proof, 's2');
      await l.releaseIssue(issue);
    });
    expect(result.calls).toBeGreaterThan(6);
    expect(result.denied).toEqual([]);
  });

  it('plan: pages subscribers, reads the issue and its health, marks pages', async () => {
    await ledger().claimIssue(issue, { renderedKey: 'rendered/x/issue.json', source: 'briefs/x.json', at: new Date().toISOString() });
    const result = await denied('PipelinePlan', async () => {
      await subscribers().pageSubscribed(issue.list, undefined, 50);
      await ledger().getIssue(issue);
      await ledger().markPagePlanned(issue, 0, 0, undefined);
      await feedback().issueHealth(issue);
    });
    expect(result.calls).toBeGreaterThanOrEqual(4);
    expect(result.denied).toEqual([]);
  });

  it('send: statuses, deliveries, pauses, feedback counts', async () => {
    const result = await denied('PipelineSend', async () => {
      const l = ledger();
      await subscribers().statuses(issue.list, ['a@example.com', 'b@example.com']);
      await l.getIssue(issue);
      await l.deliveryStates(issue, ['s1', 's2']);
      await l.claimDelivery(issue, 's1', lease('send'));
      await l.claimDelivery(issue, 's1', lease('send-again'));
      await l.completeDelivery(issue, 's1', { status: 'unknown', reason: 'timeout', retryAt: Date.now() }, new Date().toISOString());
      await l.claimDelivery(issue, 's2', lease('send'));
      await l.releaseDelivery(issue, 's2');
      await l.setIssuePause(issue, { kind: 'quota', reason: 'daily quota', at: new Date().toISOString() });
      await l.setIssuePause(issue, undefined);
      await feedback().addFeedbackCounts(issue, { delivered: 1 } as never);
      await feedback().issueHealth(issue);
    });
    expect(result.calls).toBeGreaterThan(10);
    expect(result.denied).toEqual([]);
  });

  it('start: claims an issue and releases the claim', async () => {
    const other = { list: 'weekly', id: `${issue.id}-start` };
    const result = await denied('WorkflowStart', async () => {
      await ledger().claimIssue(other, { renderedKey: 'rendered/x/issue.json', source: 'briefs/x.json', at: new Date().toISOString() });
      await ledger().releaseIssue(other);
    });
    expect(result.denied).toEqual([]);
  });

  it('feedback: suppresses subscribers, proves deliveries, counts events once, trips the breaker', async () => {
    await subscribers().upsert({ list: issue.list, email: 'c@example.com', status: 'subscribed' }, new Date().toISOString());
    await ledger().claimDelivery(issue, 's3', lease('send'));
    const result = await denied('LifecycleFeedback', async () => {
      await subscribers().get(issue.list, 'c@example.com');
      await subscribers().setStatus(issue.list, 'c@example.com', 'bounced', new Date().toISOString());
      await ledger().getIssue(issue);
      await ledger().deliveryStates(issue, ['s3']);
      await ledger().completeDelivery(issue, 's3', { status: 'sent', messageId: 'm3' }, new Date().toISOString());
      await feedback().countFeedbackOnce(issue, 'event-1', 'bounced' as never);
      await feedback().issueHealth(issue);
      await feedback().tripBreaker(issue, { at: new Date().toISOString(), reason: 'bounce rate' });
    });
    expect(result.calls).toBeGreaterThan(7);
    expect(result.denied).toEqual([]);
  });

  it('unsubscribe: finds by id through the index, changes one status', async () => {
    const result = await denied('LifecycleUnsubscribe', async () => {
      await subscribers().getById(issue.list, 'some-id');
      await subscribers().setStatus(issue.list, 'c@example.com', 'unsubscribed', new Date().toISOString());
    });
    expect(result.denied).toEqual([]);
  });

  // Intake may read a page of the subscribers (to refuse an audience that matches nobody), never change one.
  it('is really checking: intake may not change a subscriber', async () => {
    const result = await denied('PipelineIntake', () =>
      subscribers().setStatus(issue.list, 'c@example.com', 'unsubscribed', new Date().toISOString()),
    );
    expect(result.denied).toEqual([expect.stringMatching(/^dynamodb:UpdateItem on TablesSubscribers/)]);
  });

  // A list's issues are read by the CLI only (the list page, a reader's history), with the operator's credentials.
  it("lets no function query the ledger's issuesByList index", async () => {
    await ledger().claimIssue(issue, { renderedKey: 'rendered/x/issue.json', source: 'briefs/x.json', at: new Date().toISOString() });
    for (const fn of Object.keys(grants)) {
      const result = await denied(fn, async () => {
        expect((await new DynamoIssueLog(docs, 'ledger').recentIssues(issue.list, 5)).map((i) => i.id)).toContain(issue.id);
      });
      expect(result.denied, fn).toEqual(['dynamodb:Query on TablesLedger/index/issuesByList ']);
    }
  });
});
