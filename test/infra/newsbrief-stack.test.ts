import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import { type CfnResourceJson, referencedId, synthTemplate } from './synth-stack.js';

const template = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const functions = ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith('Pipeline'));
const functionId = (name: 'Intake' | 'Plan' | 'Send') => {
  const found = functions.find(([id]) => id.startsWith(`Pipeline${name}Function`));
  if (!found) throw new Error(`no ${name} function in the template`);
  return found[0];
};
const policyStatementsOf = (fnId: string): any[] => {
  const roleId = referencedId(resources[fnId]!.Properties!.Role);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties!.Roles.some((r: unknown) => referencedId(r) === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
};
const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat() as string[]);
const denyInsecureTransport = Match.arrayWith([
  Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
]);

describe('briefs bucket', () => {
  const buckets = ofType('AWS::S3::Bucket');
  const [briefsId, briefs] = buckets.find(([id]) => id.startsWith('BriefsBucket'))!;
  const [logsId, logs] = buckets.find(([id]) => id.startsWith('BriefsAccessLogs'))!;

  it('is versioned, encrypted, private and logs access to the logs bucket', () => {
    expect(briefs.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId } },
    });
  });

  it('keeps its logs bucket private and encrypted too', () => {
    expect(logs.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('refuses requests without TLS on both buckets', () => {
    for (const bucketId of [briefsId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: { Statement: denyInsecureTransport },
      });
    }
  });

  it('is retained when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ VersioningConfiguration: Match.anyValue() }),
      DeletionPolicy: 'Retain',
    });
  });

  it('notifies intake for briefs/**.json created or removed and proofs/**.json created, and nothing else', () => {
    const notifications = ofType('Custom::S3BucketNotifications');
    expect(notifications).toHaveLength(1);
    const { BucketName, NotificationConfiguration } = notifications[0]![1].Properties!;
    expect(BucketName).toEqual({ Ref: briefsId });
    const configs = NotificationConfiguration.LambdaFunctionConfigurations.map((config: any) => {
      expect(config.LambdaFunctionArn).toEqual({ 'Fn::GetAtt': [functionId('Intake'), 'Arn'] });
      const rules = Object.fromEntries(config.Filter.Key.FilterRules.map((r: { Name: string; Value: string }) => [r.Name, r.Value]));
      return `${config.Events.join(',')} ${rules.prefix}*${rules.suffix}`;
    });
    expect(configs.sort()).toEqual([
      's3:ObjectCreated:* briefs/*.json',
      's3:ObjectCreated:* proofs/*.json',
      's3:ObjectRemoved:* briefs/*.json',
    ]);
  });
});

describe('tables', () => {
  const common = {
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true },
  };

  it('keys subscribers by list and email', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ...common,
        KeySchema: [
          { AttributeName: 'list', KeyType: 'HASH' },
          { AttributeName: 'email', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'list', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ]),
      }),
    });
  });

  it('keys the ledger by pk alone (its one index, issuesByList, is pinned in least-privilege.test.ts)', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ...common,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'pk', AttributeType: 'S' }]),
      }),
    });
  });
});

describe('queues', () => {
  const queues = ofType('AWS::SQS::Queue');
  const mappings = ofType('AWS::Lambda::EventSourceMapping');

  it('has plan and send queues with dead-letter queues after ≥ 5 receives', () => {
    const redriven = queues.filter(([, q]) => q.Properties?.RedrivePolicy);
    expect(redriven.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^PipelinePlanQueue/),
      expect.stringMatching(/^PipelineSendQueue/),
    ]);
    for (const [, queue] of redriven) {
      expect(queue.Properties!.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
      const dlqId = referencedId(queue.Properties!.RedrivePolicy.deadLetterTargetArn)!;
      expect(resources[dlqId]?.Type).toBe('AWS::SQS::Queue');
    }
  });

  it('gives every queue a visibility timeout ≥ 6 × its consumer function timeout', () => {
    expect(mappings).toHaveLength(2);
    for (const [, mapping] of mappings) {
      const queue = resources[referencedId(mapping.Properties!.EventSourceArn)!]!;
      const fn = resources[referencedId(mapping.Properties!.FunctionName)!]!;
      expect(queue.Properties!.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties!.Timeout);
    }
  });

  it('encrypts every queue and refuses requests without TLS, dead-letter queues included', () => {
    // intake, plan and send dead letters, plan and send queues, feedback dead letters, Scheduler's and the start function's dead letters
    expect(queues).toHaveLength(8);
    for (const [, queue] of queues) expect(queue.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    for (const [id, queue] of queues) {
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: { Statement: denyInsecureTransport },
      });
    }
  });

  it('reports partial batch failures and caps the send poller at the reserved concurrency', () => {
    const send = mappings.find(([, m]) => referencedId(m.Properties!.FunctionName) === functionId('Send'))![1];
    expect(send.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(send.Properties!.BatchSize).toBeLessThanOrEqual(10);
    const plan = mappings.find(([, m]) => referencedId(m.Properties!.FunctionName) === functionId('Plan'))![1];
    expect(plan.Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('gives each send invocation as many jobs as its share of a known SES rate finishes in time', () => {
    const fast = synthTemplate({ maxSendRate: 200, sendConcurrency: 10 }).findResources('AWS::Lambda::EventSourceMapping');
    expect(
      Object.values(fast)
        .map((m) => (m as { Properties: { BatchSize: number } }).Properties.BatchSize)
        .sort((a, b) => a - b),
    ).toEqual([1, 16]);
  });
});

describe('functions', () => {
  it('runs intake, plan and send on Node 24, ARM64, ESM bundles with explicit log groups', () => {
    expect(functions).toHaveLength(3);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(resources[referencedId(fn.Properties!.LoggingConfig.LogGroup)!]?.Type).toBe('AWS::Logs::LogGroup');
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('sizes each function for its work', () => {
    expect(resources[functionId('Intake')]!.Properties).toMatchObject({ Timeout: 300, MemorySize: 1024 });
    expect(resources[functionId('Plan')]!.Properties).toMatchObject({ Timeout: 300 });
    expect(resources[functionId('Send')]!.Properties).toMatchObject({ Timeout: 60, MemorySize: 512, ReservedConcurrentExecutions: 10 });
  });

  it('takes the send concurrency and rate override from context', () => {
    const custom = synthTemplate({ sendConcurrency: '4', maxSendRate: '14' }).toJSON().Resources as Record<string, CfnResourceJson>;
    const send = Object.entries(custom).find(([id]) => id.startsWith('PipelineSendFunction'))![1];
    expect(send.Properties).toMatchObject({
      ReservedConcurrentExecutions: 4,
      Environment: { Variables: { [ENV.sendConcurrency]: '4', [ENV.maxSendRate]: '14' } },
    });
    const mapping = Object.values(custom).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties!.ScalingConfig);
    expect(mapping!.Properties!.ScalingConfig).toEqual({ MaximumConcurrency: 4 });
  });

  it('passes every newsbrief variable by its ENV name, the lists table instead of list data', () => {
    const known = new Set<string>(Object.values(ENV));
    for (const [, fn] of functions) {
      const variables = fn.Properties!.Environment.Variables as Record<string, unknown>;
      for (const name of [
        ENV.briefsBucket,
        ENV.subscribersTable,
        ENV.ledgerTable,
        ENV.planQueueUrl,
        ENV.sendQueueUrl,
        ENV.configurationSet,
        ENV.sendConcurrency,
        ENV.listsTable,
        ENV.unsubscribeUrl,
        ENV.archiveUrl,
        ENV.keysSecretArn,
      ]) {
        expect(variables).toHaveProperty(name);
      }
      expect(variables).not.toHaveProperty(ENV.listsJson);
      expect(variables).not.toHaveProperty(ENV.maxSendRate);
      for (const name of Object.keys(variables).filter((n) => n.startsWith('NEWSBRIEF_'))) expect(known).toContain(name);
    }
  });
});

describe('least-privilege IAM', () => {
  const sesStatements = (fnId: string) => policyStatementsOf(fnId).filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:')));

  it('lets send call SendRawEmail only on the identity and configuration set, from the lists domain', () => {
    const send = sesStatements(functionId('Send')).find((s) => actionsOf([s]).includes('ses:SendRawEmail'));
    expect(send).toBeDefined();
    expect([send.Action].flat()).toEqual(['ses:SendRawEmail']);
    expect(send.Condition).toEqual({ StringLike: { 'ses:FromAddress': ['*@news.example.com'] } });
    const resourcesText = JSON.stringify(send.Resource);
    expect(resourcesText).toContain(':identity/news.example.com');
    expect(resourcesText).toContain(':configuration-set/');
  });

  it('lets send enqueue continuations on its own queue with sqs:SendMessage, and on no other queue', () => {
    const sendQueueId = ofType('AWS::SQS::Queue').find(([id]) => /^PipelineSendQueue[0-9A-F]{8}$/.test(id))![0];
    const statements = policyStatementsOf(functionId('Send'));
    const sends = statements.filter((s) => actionsOf([s]).includes('sqs:SendMessage'));
    expect(sends).toEqual([expect.objectContaining({ Sid: 'EnqueueSendContinuations', Action: 'sqs:SendMessage', Effect: 'Allow' })]);
    expect(referencedId(sends[0].Resource)).toBe(sendQueueId);
    // Consuming comes from the event source mapping; nothing else on SQS (no purge, no queue management).
    const sqsActions = new Set(actionsOf(statements).filter((a) => a.startsWith('sqs:')));
    expect(sqsActions).toEqual(
      new Set([
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ]),
    );
    for (const s of statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('sqs:'))))
      expect(referencedId(s.Resource)).toBe(sendQueueId);
  });

  it('grants GetSendQuota alone on *', () => {
    const wildcard = policyStatementsOf(functionId('Send')).filter((s) => s.Resource === '*');
    expect(wildcard.map((s) => s.Action)).toEqual(['ses:GetSendQuota']);
  });

  it('gives SES to send, and to intake for proofs, with the same identity and from-domain limits; plan none', () => {
    const proofs = sesStatements(functionId('Intake'));
    expect(proofs).toHaveLength(1);
    expect([proofs[0].Action].flat()).toEqual(['ses:SendRawEmail']);
    expect(proofs[0].Condition).toEqual({ StringLike: { 'ses:FromAddress': ['*@news.example.com'] } });
    expect(sesStatements(functionId('Plan'))).toEqual([]);
  });

  it('scopes S3 access to key prefixes: intake reads briefs/, proofs/, schedules/, rendered/ and writes rendered/, reports/, archive/, schedules/; send reads rendered/; plan reads rendered/ and writes reports/', () => {
    const objectResources = (fnId: string, prefix: string) =>
      policyStatementsOf(fnId)
        .filter((s) => actionsOf([s]).some((a) => a.startsWith(prefix)))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r))
        .filter((r) => r.includes('/'));
    const reads = objectResources(functionId('Intake'), 's3:GetObject');
    expect(reads).toHaveLength(4);
    for (const prefix of ['/briefs/*', '/proofs/*', '/schedules/*', '/rendered/*'])
      expect(reads.some((r) => r.includes(prefix))).toBe(true);
    const puts = objectResources(functionId('Intake'), 's3:PutObject');
    expect(puts).toHaveLength(4);
    for (const prefix of ['/rendered/*', '/reports/*', '/archive/*', '/schedules/*'])
      expect(puts.some((r) => r.includes(prefix))).toBe(true);
    expect(objectResources(functionId('Send'), 's3:GetObject')).toEqual([expect.stringContaining('/rendered/*')]);
    expect(actionsOf(policyStatementsOf(functionId('Send'))).filter((a) => a.startsWith('s3:Put'))).toEqual([]);
    // Plan only writes the report once its last page is planned, reading the rendered issue for its audience.
    expect(objectResources(functionId('Plan'), 's3:PutObject')).toEqual([expect.stringContaining('/reports/*')]);
    expect(objectResources(functionId('Plan'), 's3:GetObject')).toEqual([expect.stringContaining('/rendered/*')]);
    expect(actionsOf(policyStatementsOf(functionId('Plan'))).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
  });

  it('lets send and intake read the signing keyring, and plan not', () => {
    const [secretId] = ofType('AWS::SecretsManager::Secret')[0]!;
    const readsSecret = (fnId: string) =>
      policyStatementsOf(fnId).some(
        (s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && referencedId(s.Resource) === secretId,
      );
    expect(readsSecret(functionId('Send'))).toBe(true);
    expect(readsSecret(functionId('Intake'))).toBe(true);
    expect(readsSecret(functionId('Plan'))).toBe(false);
  });

  it('uses no AWS managed policy on the pipeline roles', () => {
    for (const [, fn] of functions) {
      expect(resources[referencedId(fn.Properties!.Role)!]!.Properties!.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('signing keyring and SES', () => {
  it('generates a 64-character k1 key under a current pointer', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{"current":"k1"}',
        GenerateStringKey: 'k1',
        PasswordLength: 64,
        ExcludePunctuation: true,
      },
    });
  });

  it('has a configuration set with reputation metrics', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { ReputationOptions: { ReputationMetricsEnabled: true } });
  });
});

/** Every alarm the stack defines (construct ids under Alarms/): docs/runbook.md has a section for each. */
const ALARM_NAMES = [
  'IntakeDeadLetters',
  'PlanDeadLetters',
  'SendDeadLetters',
  'IntakeErrors',
  'PlanErrors',
  'SendErrors',
  'BriefsRefused',
  'SendsFailed',
  'SendingPaused',
  'UnknownDeliveries',
  'IssuesPaused',
  'ScheduleDeadLetters',
  'StartDeadLetters',
  'FeedbackErrors',
  'FeedbackDeadLetters',
  'UnsubscribeErrors',
  'CircuitBreakerTripped',
  'SubscribeErrors',
];

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const [topicId] = ofType('AWS::SNS::Topic').find(([, t]) => t.Properties?.DisplayName === 'newsbrief alarms')!;

  it('alarms on dead letters, function errors, refused briefs and failed sends, all to the topic', () => {
    const dlqAlarms = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    // intake, plan, send, feedback, Scheduler's undelivered starts, the start function's failed starts
    expect(dlqAlarms).toHaveLength(6);
    for (const a of dlqAlarms) expect(a).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    const watchedQueues = dlqAlarms.map((a) => referencedId(a.Dimensions[0].Value)?.replace(/[0-9A-F]{8}$/, '')).sort();
    expect(watchedQueues).toEqual([
      'LifecycleFeedbackDeadLetter',
      'PipelineIntakeDeadLetter',
      'PipelinePlanQueueDeadLetter',
      'PipelineSendQueueDeadLetter',
      'WorkflowScheduleDeadLetter',
      'WorkflowStartDeadLetter',
    ]);
    const errorAlarms = alarms.filter((a) => a.MetricName === 'Errors');
    const erroring = errorAlarms.map((a) => a.Dimensions[0].Value.Ref as string);
    expect(erroring).toEqual(expect.arrayContaining([functionId('Intake'), functionId('Send')]));
    const expressions = alarms.flatMap((a) => (a.Metrics ?? []).map((m: { Expression?: string }) => m.Expression));
    expect(expressions).toEqual(
      expect.arrayContaining(['SELECT SUM(BriefsRefused) FROM "newsbrief"', 'SELECT SUM(SendsFailed) FROM "newsbrief"']),
    );
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('alarms when an issue pauses (SES quota or account paused): any IssuesPaused in 5 minutes', () => {
    const paused = alarms.filter((a) =>
      (a.Metrics ?? []).some((m: { Expression?: string }) => m.Expression === 'SELECT SUM(IssuesPaused) FROM "newsbrief"'),
    );
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(paused[0]!.Metrics[0].Period).toBe(300);
  });

  it('keeps every alarm, each with a section in docs/runbook.md (checked in full by runbook.test.ts)', () => {
    const ids = ofType('AWS::CloudWatch::Alarm')
      .map(([id]) => id.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, ''))
      .sort();
    expect(ids).toEqual(ALARM_NAMES.slice().sort());
    const runbook = readFileSync('docs/runbook.md', 'utf8');
    for (const name of ids) expect(runbook, `runbook section for ${name}`).toContain(`\n## \`${name}\`\n`);
  });

  it('refuses publishing to the alarm topic without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: denyInsecureTransport } });
  });

  it('subscribes the alarm e-mail only when one is configured', () => {
    expect(ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties?.Protocol === 'email')).toEqual([]);
    synthTemplate({ alarmEmail: 'ops@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('outputs', () => {
  it('exports what ops and the CLI need', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'BriefsBucketName',
        'SubscribersTableName',
        'LedgerTableName',
        'SendQueueUrl',
        'ConfigurationSetName',
        'ScheduleDeadLetterQueueUrl',
        'StartDeadLetterQueueUrl',
      ]),
    );
  });
});
