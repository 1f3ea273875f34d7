import { describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import { type CfnResourceJson, referencedId, synthTemplate } from './synth-stack.js';

const template = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const fn = (prefix: string) => ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))!;
const statementsOfRole = (roleId: string): any[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as unknown[]).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);

describe('scheduled sends', () => {
  const [groupId, group] = ofType('AWS::Scheduler::ScheduleGroup')[0]!;
  const [startId, start] = fn('WorkflowStartFunction');
  const [intakeId, intake] = fn('PipelineIntakeFunction');
  const [roleId, role] = ofType('AWS::IAM::Role').find(([id]) => id.startsWith('WorkflowSchedulerRole'))!;
  const env = intake.Properties!.Environment.Variables as Record<string, unknown>;

  it('has one schedule group and no schedule of its own: intake makes one per scheduled issue at run time', () => {
    expect(ofType('AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
    expect(ofType('AWS::Scheduler::Schedule')).toHaveLength(0);
    expect(env[ENV.scheduleGroup]).toEqual(group.Properties!.Name);
  });

  it("points intake's schedules at the start function, through the scheduler role, with a dead-letter queue", () => {
    expect(env[ENV.startFunctionArn]).toEqual({ 'Fn::GetAtt': [startId, 'Arn'] });
    expect(env[ENV.schedulerRoleArn]).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(referencedId(env[ENV.scheduleDeadLetterArn])).toMatch(/^WorkflowScheduleDeadLetter/);
    expect(start.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  it('lets only EventBridge Scheduler of this account assume the role, to invoke the start function only', () => {
    expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    const statements = statementsOfRole(roleId);
    const invoke = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    expect([invoke[0].Resource].flat().map((r: unknown) => referencedId(r))).toEqual([startId]);
  });

  it("sends starts that failed Lambda's async retries to their own encrypted, TLS-only dead-letter queue (14 days)", () => {
    const dlqId = referencedId(start.Properties!.DeadLetterConfig?.TargetArn);
    expect(dlqId).toMatch(/^WorkflowStartDeadLetter/);
    expect(resources[dlqId!]).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    });
    expect(dlqId).not.toBe(referencedId(env[ENV.scheduleDeadLetterArn]));
    const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) =>
      (p.Properties!.Queues as unknown[]).some((q) => referencedId(q) === dlqId),
    );
    expect(policies.flatMap(([, p]) => p.Properties!.PolicyDocument.Statement)).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
    const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(([, c]) => referencedId(c.Properties!.FunctionName) === startId);
    expect(invokeConfig?.[1].Properties).toMatchObject({ MaximumRetryAttempts: 2 });
    // The start role may put messages on that queue, and only send to it and the plan queue.
    const sqsStatements = statementsOfRole(referencedId(start.Properties!.Role)!).filter((s) =>
      [s.Action].flat().some((a: string) => a.startsWith('sqs:')),
    );
    expect(sqsStatements.map((s) => referencedId(s.Resource)?.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'PipelinePlanQueue',
      'WorkflowStartDeadLetter',
    ]);
    expect(sqsStatements.find((s) => referencedId(s.Resource) === dlqId)).toMatchObject({ Action: 'sqs:SendMessage' });
  });

  it('lets intake manage schedules in its group only and pass the scheduler role only', () => {
    const statements = statementsOfRole(referencedId(intake.Properties!.Role)!);
    const manage = statements.find((s) => s.Sid === 'ManageIssueSchedules');
    expect([manage.Action].flat().sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:GetSchedule',
      'scheduler:UpdateSchedule',
    ]);
    expect(JSON.stringify(manage.Resource)).toContain(`:schedule/${group.Properties!.Name}/*`);
    const pass = statements.find((s) => s.Sid === 'PassSchedulerRole');
    expect(pass).toMatchObject({ Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    expect(groupId).toBeDefined();
    expect(intakeId).toBeDefined();
  });
});
