/**
 * Least privilege, pinned: every newsbrief function's exact grants (per resource, the actions allowed), so that a
 * function gaining an action, a table, a key family or a prefix fails here until the table below is changed on
 * purpose. What each function's code calls is in its wiring module (src/wiring/aws/*.ts) and the adapters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deliveryPk, issuePk, shardPk } from '../../src/adapters/aws/dynamo-ledger.js';
import { LEDGER_KEY_PREFIX } from '../../lib/table-access.js';
import { LEDGER_ISSUES_BY_LIST_INDEX } from '../../src/config/table-indexes.js';
import { functionGrants } from './function-grants.js';
import { synthTemplate } from './synth-stack.js';

/** Per function, per resource (`TablesLedger (pk counts#* | issue#*)`: items whose keys all start so), the actions, sorted. */
const PINNED: Record<string, Record<string, string>> = {
  PipelineIntake: {
    BriefsBucket: 's3:ListBucket',
    'BriefsBucket/archive/*': 's3:PutObject',
    'BriefsBucket/briefs/*': 's3:GetObject',
    'BriefsBucket/proofs/*': 's3:GetObject',
    'BriefsBucket/rendered/*': 's3:GetObject s3:PutObject',
    'BriefsBucket/reports/*': 's3:PutObject',
    'BriefsBucket/schedules/*': 's3:GetObject s3:PutObject',
    ListsTable: 'dynamodb:Scan',
    PipelineIntakeDeadLetter: 'sqs:SendMessage',
    PipelineIntakeLogs: 'logs:CreateLogStream logs:PutLogEvents',
    PipelinePlanQueue: 'sqs:SendMessage',
    SigningKeysKeyring: 'secretsmanager:DescribeSecret secretsmanager:GetSecretValue',
    'TablesLedger (pk counts#* | delivery#*)': 'dynamodb:UpdateItem',
    'TablesLedger (pk counts#* | issue#*)': 'dynamodb:BatchGetItem',
    'TablesLedger (pk delivery#* | issue#*)': 'dynamodb:DeleteItem',
    'TablesLedger (pk delivery#*)': 'dynamodb:GetItem',
    'TablesLedger (pk issue#*)': 'dynamodb:PutItem',
    TablesSubscribers: 'dynamodb:Query',
    WorkflowSchedulerRole: 'iam:PassRole',
    'scheduler:schedule/Newsbrief-Workflow-ScheduleGroup-FC876622/*':
      'scheduler:CreateSchedule scheduler:DeleteSchedule scheduler:GetSchedule scheduler:UpdateSchedule',
    'ses:configuration-set/ConfigurationSet if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
    'ses:identity/news.example.com if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
  },
  PipelinePlan: {
    // rendered/: who the issue was for, which its first report (written by the last page) says (issue 12).
    BriefsBucket: 's3:ListBucket',
    'BriefsBucket/rendered/*': 's3:GetObject',
    'BriefsBucket/reports/*': 's3:PutObject',
    ListsTable: 'dynamodb:Scan',
    PipelinePlanLogs: 'logs:CreateLogStream logs:PutLogEvents',
    PipelinePlanQueue:
      'sqs:ChangeMessageVisibility sqs:DeleteMessage sqs:GetQueueAttributes sqs:GetQueueUrl sqs:ReceiveMessage sqs:SendMessage',
    PipelineSendQueue: 'sqs:SendMessage',
    'TablesLedger (pk counts#* | issue#*)': 'dynamodb:BatchGetItem',
    'TablesLedger (pk issue#*)': 'dynamodb:UpdateItem',
    TablesSubscribers: 'dynamodb:Query',
  },
  PipelineSend: {
    '*': 'ses:GetSendQuota',
    BriefsBucket: 's3:ListBucket',
    'BriefsBucket/rendered/*': 's3:GetObject',
    ListsTable: 'dynamodb:Scan',
    PipelineSendLogs: 'logs:CreateLogStream logs:PutLogEvents',
    PipelineSendQueue:
      'sqs:ChangeMessageVisibility sqs:DeleteMessage sqs:GetQueueAttributes sqs:GetQueueUrl sqs:ReceiveMessage sqs:SendMessage',
    SigningKeysKeyring: 'secretsmanager:DescribeSecret secretsmanager:GetSecretValue',
    'TablesLedger (pk counts#* | delivery#* | issue#*)': 'dynamodb:BatchGetItem dynamodb:UpdateItem',
    'TablesLedger (pk delivery#*)': 'dynamodb:DeleteItem dynamodb:GetItem',
    TablesSubscribers: 'dynamodb:BatchGetItem',
    'ses:configuration-set/ConfigurationSet if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
    // Lists that track opens send with the tracked configuration set, clicks-only lists with one without a pixel (issue 12).
    'ses:configuration-set/ClicksOnlyConfigurationSet if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
    'ses:configuration-set/TrackedConfigurationSet if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
    'ses:identity/news.example.com if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
  },
  WorkflowStart: {
    BriefsBucket: 's3:ListBucket',
    'BriefsBucket/archive/*': 's3:PutObject',
    'BriefsBucket/rendered/*': 's3:GetObject s3:PutObject',
    'BriefsBucket/schedules/*': 's3:GetObject s3:PutObject',
    ListsTable: 'dynamodb:Scan',
    PipelinePlanQueue: 'sqs:SendMessage',
    'TablesLedger (pk issue#*)': 'dynamodb:DeleteItem dynamodb:PutItem',
    WorkflowStartDeadLetter: 'sqs:SendMessage',
    WorkflowStartLogs: 'logs:CreateLogStream logs:PutLogEvents',
  },
  LifecycleUnsubscribe: {
    LifecycleUnsubscribeLogs: 'logs:CreateLogStream logs:PutLogEvents',
    ListsTable: 'dynamodb:Scan',
    SigningKeysKeyring: 'secretsmanager:DescribeSecret secretsmanager:GetSecretValue',
    // An unsubscribe counted on its issue: the reader's claim (feedback#), then a counter shard.
    'TablesLedger (pk counts#*)': 'dynamodb:UpdateItem',
    'TablesLedger (pk feedback#*)': 'dynamodb:PutItem',
    TablesSubscribers: 'dynamodb:UpdateItem',
    'TablesSubscribers/index/byId': 'dynamodb:Query',
  },
  LifecycleFeedback: {
    // rendered/: the issue's link map, to place a click on its link (engagement tracking).
    BriefsBucket: 's3:ListBucket',
    'BriefsBucket/rendered/*': 's3:GetObject',
    'BriefsBucket/reports/*': 's3:PutObject',
    LifecycleFeedbackDeadLetter: 'sqs:SendMessage',
    LifecycleFeedbackLogs: 'logs:CreateLogStream logs:PutLogEvents',
    ListsTable: 'dynamodb:Scan',
    // feedback#: UpdateItem records a reader's clicks (link and time) for the "every link at once" scanner rule.
    'TablesLedger (pk confirm#* | counts#* | delivery#* | feedback#* | issue#*)': 'dynamodb:UpdateItem',
    'TablesLedger (pk confirm#* | counts#* | delivery#* | issue#*)': 'dynamodb:BatchGetItem',
    'TablesLedger (pk delivery#*)': 'dynamodb:GetItem',
    'TablesLedger (pk feedback#*)': 'dynamodb:PutItem',
    TablesSubscribers: 'dynamodb:GetItem dynamodb:UpdateItem',
  },
  LifecycleSubscribe: {
    LifecycleSubscribeLogs: 'logs:CreateLogStream logs:PutLogEvents',
    ListsTable: 'dynamodb:Scan',
    SigningKeysKeyring: 'secretsmanager:DescribeSecret secretsmanager:GetSecretValue',
    'TablesLedger (pk confirm#*)': 'dynamodb:BatchGetItem dynamodb:UpdateItem',
    TablesSubscribers: 'dynamodb:GetItem dynamodb:UpdateItem',
    'TablesSubscribers/index/byId': 'dynamodb:Query',
    'ses:configuration-set/ConfigurationSet if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
    'ses:identity/news.example.com if {"StringLike":{"ses:FromAddress":["*@news.example.com"]}}': 'ses:SendRawEmail',
  },
  // Only with context unsubscribeMailbox: the same grants as the unsubscribe link.
  MailUnsubscribe: {
    ListsTable: 'dynamodb:Scan',
    MailUnsubscribeDeadLetter: 'sqs:SendMessage',
    MailUnsubscribeFunctionLogs: 'logs:CreateLogStream logs:PutLogEvents',
    SigningKeysKeyring: 'secretsmanager:DescribeSecret secretsmanager:GetSecretValue',
    'TablesLedger (pk counts#*)': 'dynamodb:UpdateItem',
    'TablesLedger (pk feedback#*)': 'dynamodb:PutItem',
    TablesSubscribers: 'dynamodb:UpdateItem',
    'TablesSubscribers/index/byId': 'dynamodb:Query',
  },
};

// Every optional function included (the mail unsubscribe), so that each is pinned too.
const template = synthTemplate({ unsubscribeMailbox: 'unsubscribe@news.example.com' });
const grants = functionGrants(template.toJSON());

describe('least privilege per function', () => {
  it('pins every function, and only those', () => {
    expect(Object.keys(grants).sort()).toEqual(Object.keys(PINNED).sort());
  });

  for (const [fn, pinned] of Object.entries(PINNED)) {
    it(`grants ${fn} exactly its pinned actions and resources`, () => {
      const actual = Object.fromEntries(Object.entries(grants[fn] ?? {}).map(([resource, actions]) => [resource, actions.join(' ')]));
      expect(actual).toEqual(pinned);
    });
  }

  it('never grants a Scan, a batch write, a PartiQL statement or table management on the subscribers or the ledger', () => {
    // (The lists table is read whole, by a Scan: it is configuration, not personal data.)
    const onDataTables = Object.entries(grants).flatMap(([fn, byResource]) =>
      Object.entries(byResource)
        .filter(([resource]) => resource.startsWith('TablesLedger') || resource.startsWith('TablesSubscribers'))
        .flatMap(([resource, actions]) => actions.map((action) => `${fn}: ${action} on ${resource}`)),
    );
    expect(onDataTables.length).toBeGreaterThan(10);
    expect(onDataTables.filter((grant) => /Scan|BatchWrite|PartiQL|Table|\*/.test(grant.split(' on ')[0]!))).toEqual([]);
  });

  it('limits every ledger grant by its leading keys to known key families', () => {
    const ledger = Object.entries(grants).flatMap(([fn, byResource]) =>
      Object.keys(byResource)
        .filter((resource) => resource.startsWith('TablesLedger'))
        .map((resource) => `${fn}: ${resource}`),
    );
    expect(ledger.length).toBeGreaterThan(10);
    const known = new Set(Object.values(LEDGER_KEY_PREFIX).map((prefix) => `${prefix}*`));
    const unlimited = ledger.filter((grant) => {
      const prefixes = / \(pk ([^)]+)\)$/.exec(grant)?.[1]?.split(' | ');
      return !prefixes || prefixes.some((prefix) => !known.has(prefix));
    });
    expect(unlimited).toEqual([]);
  });

  it('gives intake only Query on the subscribers table (an audience is counted), and no function the whole bucket', () => {
    const subscriberGrants = Object.entries(grants.PipelineIntake!).filter(([resource]) => resource.startsWith('TablesSubscribers'));
    expect(subscriberGrants).toEqual([['TablesSubscribers', ['dynamodb:Query']]]);
    for (const [fn, byResource] of Object.entries(grants))
      expect(
        Object.keys(byResource).filter((resource) => resource === 'BriefsBucket/*'),
        fn,
      ).toEqual([]);
  });
});

describe("the ledger's issuesByList index", () => {
  it('is keyed by list and claimedAt, which only issue items carry, and projects only the id', () => {
    const ledgers = Object.values(template.findResources('AWS::DynamoDB::Table')).filter((t) =>
      (t.Properties.KeySchema as { AttributeName: string }[]).some((k) => k.AttributeName === 'pk'),
    );
    expect(ledgers).toHaveLength(1);
    expect(ledgers[0]!.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: LEDGER_ISSUES_BY_LIST_INDEX,
        KeySchema: [
          { AttributeName: 'list', KeyType: 'HASH' },
          { AttributeName: 'claimedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['id'] },
      },
    ]);
  });

  it("is queried by no function: only the CLI reads a list page, with the operator's own credentials", () => {
    const onIndex = Object.entries(grants).flatMap(([fn, byResource]) =>
      Object.keys(byResource)
        .filter((resource) => resource.startsWith('TablesLedger/index'))
        .map((resource) => `${fn}: ${resource}`),
    );
    expect(onIndex).toEqual([]);
  });
});

describe("the ledger's key families against the adapters", () => {
  const issue = { list: 'weekly', id: '2025-06-02' };

  it('builds issue, counter and delivery keys under their families', () => {
    expect(issuePk(issue).startsWith(LEDGER_KEY_PREFIX.issue)).toBe(true);
    expect(shardPk(issue, 'subscriber-1').startsWith(LEDGER_KEY_PREFIX.counts)).toBe(true);
    expect(deliveryPk(issue, 'subscriber-1').startsWith(LEDGER_KEY_PREFIX.delivery)).toBe(true);
  });

  it('writes no ledger key outside a known family in any DynamoDB adapter', () => {
    const dir = 'src/adapters/aws';
    const keyPrefixes = readdirSync(dir)
      .filter((file) => file.startsWith('dynamo-'))
      .flatMap((file) => [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/`([a-z]+#)\$\{/g)].map((m) => m[1]!));
    expect(keyPrefixes.length).toBeGreaterThanOrEqual(4);
    const known = new Set<string>(Object.values(LEDGER_KEY_PREFIX));
    expect(keyPrefixes.filter((prefix) => !known.has(prefix))).toEqual([]);
  });
});
