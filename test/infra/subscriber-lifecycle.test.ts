import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import { type CfnResourceJson, referencedId, synthTemplate } from './synth-stack.js';

const template = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functionIdOf = (name: 'Unsubscribe' | 'Feedback' | 'Subscribe') =>
  ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(`Lifecycle${name}Function`))![0];
// Every function may Scan the lists table (and nothing else there): pinned once, in lists-as-data.test.ts.
const listsTableId = ofType('AWS::DynamoDB::Table').find(([, t]) => t.Properties?.TableName === 'Newsbrief-lists')![0];
const statementsOf = (fnId: string): any[] => {
  const roleId = referencedId(resources[fnId]!.Properties!.Role);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as unknown[]).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement)
    .filter((s: { Resource: unknown }) => referencedId(s.Resource) !== listsTableId);
};
const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat() as string[]);
const subscribersId = ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('TablesSubscribers'))![0];
const ledgerId = ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('TablesLedger'))![0];

describe('unsubscribe endpoint', () => {
  const unsubscribeId = functionIdOf('Unsubscribe');

  it('is a function URL without authentication (RFC 8058 one-click POSTs carry no credentials)', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [unsubscribeId, 'Arn'] } });
    expect(Object.keys(template.toJSON().Outputs)).toContain('UnsubscribeUrl');
  });

  it('finds subscribers through the byId index of the subscribers table', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        { IndexName: 'byId', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ],
    });
  });

  it('may only query that index, update subscribers, count the unsubscribe on its issue and read the keyring', () => {
    const statements = statementsOf(unsubscribeId);
    expect(new Set(actionsOf(statements))).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'dynamodb:PutItem',
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
      ]),
    );
    const query = statements.find((s) => s.Action === 'dynamodb:Query');
    expect(JSON.stringify(query.Resource)).toContain('/index/byId');
    const update = statements.find((s) => s.Sid === 'SetSubscriberStatus');
    expect(referencedId(update.Resource)).toBe(subscribersId);
    expect(resources[unsubscribeId]!.Properties!.Environment.Variables).toHaveProperty(ENV.keysSecretArn);
    expect(resources[unsubscribeId]!.Properties!.Environment.Variables).toHaveProperty(ENV.ledgerTable);
  });
});

describe('feedback path', () => {
  const feedbackId = functionIdOf('Feedback');
  const [topicId, topic] = ofType('AWS::SNS::Topic').find(([, t]) => t.Properties?.DisplayName === 'newsbrief SES feedback')!;

  it('publishes sends (delivery proof), bounces, complaints, deliveries and rejects of the configuration set to an encrypted topic', () => {
    // One destination per configuration set: the plain one, and the tracked and clicks-only ones of lists that track (below).
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 3);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'bounce', 'complaint', 'delivery', 'reject'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
    expect(topic.Properties!.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 'sns:Publish', Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('subscribes the feedback function to the topic and tells it the topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [feedbackId, 'Arn'] },
    });
    expect(resources[feedbackId]!.Properties!.Environment.Variables[ENV.feedbackTopicArn]).toEqual({ Ref: topicId });
  });

  it('may update subscribers and the ledger and write reports, nothing more', () => {
    const statements = statementsOf(feedbackId).filter((s) => !String(s.Action).startsWith('logs:'));
    const dynamo = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamo.filter((s) => referencedId(s.Resource) === subscribersId).map((s) => [s.Action].flat().sort())).toEqual([
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    ]);
    // The ledger per key family (the exact actions are pinned in least-privilege.test.ts), each by its leading key.
    const ledger = dynamo.filter((s) => referencedId(s.Resource) === ledgerId);
    expect([...new Set(ledger.flatMap((s) => s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']))]).toEqual(
      expect.arrayContaining(['counts#*', 'delivery#*', 'feedback#*', 'issue#*']),
    );
    const s3 = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(JSON.stringify(s3.map((s) => s.Resource))).toContain('/reports/*');
    // Its only queue action: dead letters of failed asynchronous invocations (SNS invokes asynchronously).
    expect(
      statements
        .filter((s) => String(s.Action).startsWith('sqs:'))
        .map((s) => [s.Action, referencedId(s.Resource)?.startsWith('LifecycleFeedbackDeadLetter')]),
    ).toEqual([['sqs:SendMessage', true]]);
    expect(actionsOf(statements).filter((a) => /Delete|Scan|BatchWrite|ses:/.test(a))).toEqual([]);
  });
});

describe('subscribe endpoint', () => {
  const subscribeId = functionIdOf('Subscribe');

  it('is a public function URL with its own output', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [subscribeId, 'Arn'] } });
    expect(Object.keys(template.toJSON().Outputs)).toContain('SubscribeUrl');
  });

  it('may write only confirmation slots of the ledger, and send only as the lists', () => {
    const statements = statementsOf(subscribeId);
    const ledgerWrites = statements.find((s) => s.Sid === 'ConfirmationSlotsOnly');
    expect(ledgerWrites).toMatchObject({
      Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['confirm#*'] } },
    });
    expect(referencedId(ledgerWrites.Resource)).toBe(ledgerId);
    const send = statements.find((s) => s.Sid === 'SendConfirmationsAsListsOnly');
    expect(send).toMatchObject({ Action: 'ses:SendRawEmail', Condition: { StringLike: { 'ses:FromAddress': ['*@news.example.com'] } } });
    expect(actionsOf(statements).filter((a) => /Scan|BatchWrite|Delete(?!Item)|sqs:ReceiveMessage/.test(a))).toEqual([]);
  });
});

describe('ledger housekeeping', () => {
  it('expires short-lived ledger items (feedback claims, confirmation slots) by TTL', () => {
    expect(resources[ledgerId]!.Properties!.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });
});

describe('engagement tracking (issue 12)', () => {
  const [topicId] = ofType('AWS::SNS::Topic').find(([, t]) => t.Properties?.DisplayName === 'newsbrief SES feedback')!;
  const sets = ofType('AWS::SES::ConfigurationSet');
  const trackedId = sets.find(([id]) => id.includes('TrackedConfigurationSet'))![0];
  const clicksOnlyId = sets.find(([id]) => id.includes('ClicksOnlyConfigurationSet'))![0];
  const destinations = ofType('AWS::SES::ConfigurationSetEventDestination');

  it('publishes opens and clicks only from the tracked configuration set, so that an untracked list gets no pixel', () => {
    const tracked = destinations.filter(([, d]) => (d.Properties!.EventDestination as any).MatchingEventTypes.includes('open'));
    expect(tracked).toHaveLength(1);
    expect(tracked[0]![1].Properties).toMatchObject({
      ConfigurationSetName: { Ref: trackedId },
      EventDestination: {
        MatchingEventTypes: ['send', 'bounce', 'complaint', 'delivery', 'reject', 'open', 'click'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
    const plain = destinations.filter(([, d]) => !(d.Properties!.EventDestination as any).MatchingEventTypes.includes('click'));
    expect(plain).toHaveLength(1);
    expect(resources[trackedId]!.Properties!.TrackingOptions).toBeUndefined();
  });

  it('gives clicks-only lists a set that publishes clicks but no opens, so SES inserts no open pixel', () => {
    const ofSet = destinations.filter(([, d]) => (d.Properties!.ConfigurationSetName as { Ref?: string }).Ref === clicksOnlyId);
    expect(ofSet).toHaveLength(1);
    expect(ofSet[0]![1].Properties).toMatchObject({
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'bounce', 'complaint', 'delivery', 'reject', 'click'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
    expect(sets.map(([id]) => id).filter((id) => id !== clicksOnlyId && id !== trackedId)).toHaveLength(1);
  });

  it('names the clicks-only set to the send function, which alone may send with it', () => {
    const send = ofType('AWS::Lambda::Function').find(([, f]) => String(f.Properties?.Description ?? '').startsWith('newsbrief send:'))!;
    expect(send[1].Properties!.Environment.Variables.NEWSBRIEF_CLICKS_ONLY_CONFIGURATION_SET).toEqual({ Ref: clicksOnlyId });
  });

  it('puts the custom redirect domain of context "trackingDomain" on the tracked sets only', () => {
    const withDomain = synthTemplate({ trackingDomain: 'links.news.example.com' }).toJSON().Resources as Record<string, CfnResourceJson>;
    const found = Object.entries(withDomain).filter(([, r]) => r.Type === 'AWS::SES::ConfigurationSet');
    expect(found.map(([id, r]) => [/Tracked|ClicksOnly/.test(id), r.Properties!.TrackingOptions ?? null]).sort()).toEqual([
      [false, null],
      [true, { CustomRedirectDomain: 'links.news.example.com' }],
      [true, { CustomRedirectDomain: 'links.news.example.com' }],
    ]);
  });
});
