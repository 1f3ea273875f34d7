import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BRIEF_SUFFIX, PREFIX } from '../src/config/bucket-layout.js';
import { ENV } from '../src/config/env-names.js';
import { grantBucketObjects } from './bucket-access.js';
import { grantEnqueue } from './queue-access.js';
import { NewsbriefFunction } from './newsbrief-function.js';
import { grantLedgerItems } from './table-access.js';

/** What the workflow is wired to. */
export interface EditorialWorkflowProps {
  readonly bucket: s3.IBucket;
  readonly ledger: dynamodb.ITable;
  readonly planQueue: sqs.IQueue;
  readonly keys: secretsmanager.ISecret;
  readonly configurationSet: ses.IConfigurationSet;
  readonly senderDomain: string;
  readonly fromDomains: readonly string[];
  /** The intake function: it schedules, cancels and sends proofs. */
  readonly intake: NewsbriefFunction;
  /** The pipeline functions' environment (the start function reads the same configuration). */
  readonly environment: Record<string, string>;
  /** The start handler module. @default 'lambdas/start.ts' */
  readonly startEntry?: string;
}

/**
 * Proofs and scheduled sends: `proofs/**.json` and deletions under `briefs/` reach intake; intake creates
 * one-time EventBridge Scheduler schedules (in one group, passing one role) that invoke the start function
 * at an issue's time. A start that fails never vanishes: Scheduler's undeliverable invocations land in
 * the schedule dead-letter queue, and starts the function failed on after Lambda's async retries land in
 * the start dead-letter queue (both alarmed by the stack).
 */
export class EditorialWorkflow extends Construct {
  readonly scheduleGroup: scheduler.ScheduleGroup;
  /** Invoked by a schedule: claims, archives and starts planning the issue. */
  readonly start: NewsbriefFunction;
  /** The role Scheduler assumes to invoke `start`. */
  readonly schedulerRole: iam.Role;
  /** Scheduled starts Scheduler could not deliver after its retries. */
  readonly scheduleDeadLetterQueue: sqs.Queue;
  /**
   * Scheduled starts the start function failed on: Scheduler invokes it asynchronously, so a start that
   * throws is retried twice by Lambda and then lands here (the original start message, with the error).
   */
  readonly startDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EditorialWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { bucket, intake } = props;

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {});
    this.scheduleDeadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetter', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Without this queue a start that failed every async retry would only leave an error in the logs.
    this.startDeadLetterQueue = new sqs.Queue(this, 'StartDeadLetter', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.start = new NewsbriefFunction(this, 'Start', {
      deadLetterQueue: this.startDeadLetterQueue,
      entry: props.startEntry ?? 'lambdas/start.ts',
      description: "newsbrief start: a scheduled issue's time has come; claims it, publishes its archive page, starts the plan",
      timeout: Duration.minutes(1),
      memorySize: 512,
      environment: props.environment,
    });

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler invokes the newsbrief start function',
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.start.function.functionArn] }),
    );
    this.scheduleDeadLetterQueue.grantSendMessages(this.schedulerRole);

    // The start function: read the rendered issue and schedule record, write the archive, claim, enqueue.
    const startRole = this.start.role;
    // The archive index lives under rendered/ (read and rewritten); the schedule record is marked started.
    grantBucketObjects(startRole, bucket, {
      read: [PREFIX.rendered, PREFIX.schedules],
      write: [PREFIX.rendered, PREFIX.schedules, PREFIX.archive],
    });
    // Claims the issue (once, ever) and drops the claim again if its first plan page cannot be enqueued.
    grantLedgerItems(startRole, props.ledger, { issue: ['PutItem', 'DeleteItem'] });
    grantEnqueue(startRole, props.planQueue);

    // Intake: schedules in this group only, passing this role only; schedule records; proofs.
    const intakeRole = intake.role;
    intakeRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageIssueSchedules',
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        resources: [
          stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.scheduleGroup.scheduleGroupName}/*` }),
        ],
      }),
    );
    intakeRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'PassSchedulerRole', actions: ['iam:PassRole'], resources: [this.schedulerRole.roleArn] }),
    );
    // Schedule records and pointers; proofs; an issue that starts now is published by intake, which reads the
    // list's archive index (rendered/<list>/archive-index.json; writing rendered/ is granted by the pipeline).
    grantBucketObjects(intakeRole, bucket, { read: [PREFIX.schedules, PREFIX.proofs, PREFIX.rendered], write: [PREFIX.schedules] });
    const identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.senderDomain });
    const configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: props.configurationSet.configurationSetName,
    });
    // Proofs are a handful of messages, sent by intake itself; same identity and from-domain limits as send.
    intakeRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SendProofsAsListsOnly',
        actions: ['ses:SendRawEmail'],
        resources: [identityArn, configurationSetArn],
        conditions: { StringLike: { 'ses:FromAddress': props.fromDomains.map((domain) => `*@${domain}`) } },
      }),
    );
    intake.function.addEnvironment(ENV.scheduleGroup, this.scheduleGroup.scheduleGroupName);
    intake.function.addEnvironment(ENV.startFunctionArn, this.start.function.functionArn);
    intake.function.addEnvironment(ENV.schedulerRoleArn, this.schedulerRole.roleArn);
    intake.function.addEnvironment(ENV.scheduleDeadLetterArn, this.scheduleDeadLetterQueue.queueArn);

    const destination = new s3n.LambdaDestination(intake.function);
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, { prefix: PREFIX.proofs, suffix: BRIEF_SUFFIX });
    // Deleting a brief (a delete marker, the bucket is versioned) cancels its schedule.
    bucket.addEventNotification(s3.EventType.OBJECT_REMOVED, destination, { prefix: PREFIX.briefs, suffix: BRIEF_SUFFIX });

    Validations.of(intakeRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.scheduleGroup.scheduleGroupName}/*]`,
      reason: "Schedule names are per issue and made at run time; the grant is limited to newsbrief's own schedule group.",
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: EventBridge Scheduler's DeadLetterConfig for starts it could not deliver (set per schedule by intake).",
    });
  }
}
