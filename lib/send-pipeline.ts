import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../src/config/env-names.js';
import { PREFIX } from '../src/config/bucket-layout.js';
import { METRICS_NAMESPACE } from './pipeline-alarms.js';
import { grantBucketObjects } from './bucket-access.js';
import { grantEnqueue } from './queue-access.js';
import { NewsbriefFunction } from './newsbrief-function.js';
import { grantLedgerItems, grantSubscriberItems } from './table-access.js';
import { WorkQueue } from './work-queue.js';

/** Timeouts of the three functions; each queue's visibility timeout is 6× its consumer's. */
export const FUNCTION_TIMEOUTS = {
  intake: Duration.minutes(5),
  plan: Duration.minutes(5),
  send: Duration.seconds(60),
} as const;

/** Powertools settings (not newsbrief variables, so not in ENV): one service and namespace for all functions. */
const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'newsbrief',
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
} as const;

/** Where the handler modules live, relative to the project root. */
export interface PipelineEntries {
  /** S3 ObjectCreated handler. */
  readonly intake: string;
  /** Plan-queue handler. */
  readonly plan: string;
  /** Send-queue handler. */
  readonly send: string;
}

/** What the send pipeline is wired to. */
export interface SendPipelineProps {
  /** Briefs bucket (briefs/ read by intake, rendered/ read by send). */
  readonly bucket: s3.IBucket;
  /** Subscribers table. */
  readonly subscribers: dynamodb.ITable;
  /** Ledger table. */
  readonly ledger: dynamodb.ITable;
  /** Token signing keyring. */
  readonly keys: secretsmanager.ISecret;
  /** SES configuration set every message is sent with. */
  readonly configurationSet: ses.IConfigurationSet;
  /** SES configuration set of messages of lists that track opens or clicks (absent: every message uses configurationSet). */
  readonly trackedConfigurationSet?: ses.IConfigurationSet | undefined;
  /** SES configuration set of messages of lists that track clicks but not opens (absent: they use trackedConfigurationSet). */
  readonly clicksOnlyConfigurationSet?: ses.IConfigurationSet | undefined;
  /** The verified SES domain identity. */
  readonly senderDomain: string;
  /** Domains of the lists' from addresses (each equal to or under senderDomain). */
  readonly fromDomains: readonly string[];
  /** Reserved concurrency of send and maximum concurrency of its event source. */
  readonly sendConcurrency: number;
  /** Send jobs per invocation (1–10): see sendBatchSizeFor in stack-config.ts. */
  readonly sendBatchSize?: number;
  /** Memory of the send function (MB; its CPU share): see sendFleetFor in stack-config.ts. @default 512 */
  readonly sendMemoryMb?: number;
  /** Account-wide SES rate override; unset = the functions read GetSendQuota. */
  readonly maxSendRate?: number;
  /** Handler modules. */
  readonly entries: PipelineEntries;
}

/** The intake → plan → send functions, their queues, and the least-privilege grants between them. */
export class SendPipeline extends Construct {
  /** Plan pages: each message plans one page of subscribers and enqueues its own continuation. */
  readonly planQueue: WorkQueue;
  /** Send jobs of at most 50 recipients. */
  readonly sendQueue: WorkQueue;
  /** S3 events intake failed on after Lambda's two async retries: replay them once the cause is fixed. */
  readonly intakeDeadLetterQueue: sqs.Queue;
  /** Handles briefs dropped under briefs/. */
  readonly intake: NewsbriefFunction;
  /** Consumes the plan queue. */
  readonly plan: NewsbriefFunction;
  /** Consumes the send queue and calls SES. */
  readonly send: NewsbriefFunction;
  /** The functions' shared environment (names from ENV), for functions added beside the pipeline. */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SendPipelineProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.planQueue = new WorkQueue(this, 'PlanQueue', { consumerTimeout: FUNCTION_TIMEOUTS.plan });
    this.sendQueue = new WorkQueue(this, 'SendQueue', { consumerTimeout: FUNCTION_TIMEOUTS.send });

    // Every function gets the same variables, so one runtime config loader serves all three.
    const environment: Record<string, string> = {
      ...POWERTOOLS_ENVIRONMENT,
      [ENV.briefsBucket]: props.bucket.bucketName,
      [ENV.subscribersTable]: props.subscribers.tableName,
      [ENV.ledgerTable]: props.ledger.tableName,
      [ENV.planQueueUrl]: this.planQueue.queue.queueUrl,
      [ENV.sendQueueUrl]: this.sendQueue.queue.queueUrl,
      [ENV.configurationSet]: props.configurationSet.configurationSetName,
      ...(props.trackedConfigurationSet ? { [ENV.trackedConfigurationSet]: props.trackedConfigurationSet.configurationSetName } : {}),
      ...(props.clicksOnlyConfigurationSet
        ? { [ENV.clicksOnlyConfigurationSet]: props.clicksOnlyConfigurationSet.configurationSetName }
        : {}),
      [ENV.sendConcurrency]: String(props.sendConcurrency),
      [ENV.keysSecretArn]: props.keys.secretArn,
      ...(props.maxSendRate !== undefined ? { [ENV.maxSendRate]: String(props.maxSendRate) } : {}),
    };

    // S3 invokes intake asynchronously: without this queue an event that failed every retry would vanish.
    this.environment = environment;

    this.intakeDeadLetterQueue = new sqs.Queue(this, 'IntakeDeadLetter', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.intake = new NewsbriefFunction(this, 'Intake', {
      deadLetterQueue: this.intakeDeadLetterQueue,
      entry: props.entries.intake,
      description: 'newsbrief intake: validates and renders a dropped brief, claims the issue, starts the plan',
      timeout: FUNCTION_TIMEOUTS.intake,
      // MJML rendering is CPU-bound; memory buys CPU.
      memorySize: 1024,
      environment,
    });
    this.plan = new NewsbriefFunction(this, 'Plan', {
      entry: props.entries.plan,
      description: 'newsbrief plan: pages through subscribers, enqueues send jobs and its own continuation',
      timeout: FUNCTION_TIMEOUTS.plan,
      environment,
    });
    this.send = new NewsbriefFunction(this, 'Send', {
      entry: props.entries.send,
      description: 'newsbrief send: personalizes and sends one job of up to 50 recipients through SES',
      timeout: FUNCTION_TIMEOUTS.send,
      // Sized with the workers for the rate (sendFleetFor): memory buys the CPU each message costs.
      memorySize: props.sendMemoryMb ?? 512,
      // The account's SES rate is shared between exactly this many workers.
      reservedConcurrentExecutions: props.sendConcurrency,
      environment,
    });

    // One plan page per invocation: a page either finishes (continuation enqueued) or is retried whole.
    this.plan.function.addEventSource(
      new eventsources.SqsEventSource(this.planQueue.queue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    // As many jobs per invocation as the worker's share of the rate finishes in time (partial batch failures
    // keep a throttled job's retry separate from its neighbours); maxConcurrency equal to the reserved
    // concurrency stops the poller from invoking into throttles (which would burn receive counts).
    this.send.function.addEventSource(
      new eventsources.SqsEventSource(this.sendQueue.queue, {
        batchSize: props.sendBatchSize ?? 1,
        // Lambda requires a batching window above 10 messages; a full queue fills a batch without waiting,
        // so it only delays the last jobs of an issue, by at most a second.
        ...((props.sendBatchSize ?? 1) > 10 ? { maxBatchingWindow: Duration.seconds(1) } : {}),
        reportBatchItemFailures: true,
        maxConcurrency: props.sendConcurrency,
      }),
    );

    this.grantIntake(props);
    this.grantPlan(props);
    this.grantSend(props, stack);
  }

  private grantIntake(props: SendPipelineProps): void {
    const role = this.intake.role;
    // Reads the dropped brief; writes its rendered copy, its problem report and its archive page.
    grantBucketObjects(role, props.bucket, { read: [PREFIX.briefs], write: [PREFIX.rendered, PREFIX.reports, PREFIX.archive] });
    // Pages through a list's partition only to refuse a brief whose audience matches nobody (a Query, stopping
    // at the first match). It reads an issue's state (a schedule, a duplicate), claims or releases the issue,
    // and records the deliveries of proofs (with their counter shards).
    grantSubscriberItems(role, props.subscribers, 'CountAudience', ['Query']);
    grantLedgerItems(role, props.ledger, {
      issue: ['BatchGetItem', 'PutItem', 'DeleteItem'],
      counts: ['BatchGetItem', 'UpdateItem'],
      delivery: ['GetItem', 'UpdateItem', 'DeleteItem'],
    });
    // Starting an issue enqueues its first plan page; send jobs are plan's and send's business.
    grantEnqueue(role, this.planQueue.queue);
    props.keys.grantRead(role);
  }

  private grantPlan(props: SendPipelineProps): void {
    const role = this.plan.role;
    // Pages through one list's partition (a Query on the table, never the byId index, never a Scan).
    grantSubscriberItems(role, props.subscribers, 'PageSubscribers', ['Query']);
    // Reads the issue and its counts (for the report), marks each page planned on the issue item.
    grantLedgerItems(role, props.ledger, { issue: ['BatchGetItem', 'UpdateItem'], counts: ['BatchGetItem'] });
    // Its own continuation goes back on the plan queue (consuming is granted by the event source).
    grantEnqueue(role, this.planQueue.queue, this.sendQueue.queue);
    // The last page writes the issue's first report (reports/<list>/<id>.json), which says who the issue was for
    // as its rendered issue does (rendered/<list>/<id>/issue.json).
    grantBucketObjects(role, props.bucket, { read: [PREFIX.rendered], write: [PREFIX.reports] });
  }

  private grantSend(props: SendPipelineProps, stack: Stack): void {
    const role = this.send.role;
    grantBucketObjects(role, props.bucket, { read: [PREFIX.rendered] });
    // The issue (pause, breaker), its counter shards (feedback counts), and its deliveries: read, claimed,
    // completed, a claim released; never another key family, never a Scan or a batch write.
    grantLedgerItems(role, props.ledger, {
      issue: ['BatchGetItem', 'UpdateItem'],
      counts: ['BatchGetItem', 'UpdateItem'],
      delivery: ['BatchGetItem', 'GetItem', 'UpdateItem', 'DeleteItem'],
    });
    // Statuses read at send time (one BatchGetItem per job) so that an unsubscribe between plan and send is honoured.
    grantSubscriberItems(role, props.subscribers, 'ReadSubscriberStatuses', ['BatchGetItem']);
    props.keys.grantRead(role);
    // Continuations: recipients a job could not finish (throttled, daily quota exhausted, out of time) go back on
    // its own queue as a fresh, delayed message. SendMessage alone: the queue URL comes from the environment
    // (no GetQueueUrl), and consuming is granted by the event source.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EnqueueSendContinuations',
        actions: ['sqs:SendMessage'],
        resources: [this.sendQueue.queue.queueArn],
      }),
    );

    const identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.senderDomain });
    const configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: props.configurationSet.configurationSetName,
    });
    // SendRawEmail with a ConfigurationSetName is authorized against both the identity and the configuration set.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SendAsListsOnly',
        actions: ['ses:SendRawEmail'],
        resources: [
          identityArn,
          configurationSetArn,
          ...[props.trackedConfigurationSet, props.clicksOnlyConfigurationSet]
            .filter((set): set is ses.IConfigurationSet => set !== undefined)
            .map((set) => stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: set.configurationSetName })),
        ],
        conditions: { StringLike: { 'ses:FromAddress': props.fromDomains.map((domain) => `*@${domain}`) } },
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadSendQuota', actions: ['ses:GetSendQuota'], resources: ['*'] }));

    Validations.of(this.send.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:GetSendQuota has no resource-level permissions; it only reads the account quota, needed to pace sends.',
    });
  }
}
