import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { BriefsBucket } from './briefs-bucket.js';
import { DeliveryTables } from './delivery-tables.js';
import { ListsFileError, readListsFile, type ListsForStack } from './lists-file.js';
import { ListsTable } from './lists-table.js';
import { warnOfExampleUrls, wireListsIntoFunctions } from './list-wiring.js';
import { PublicLinks } from './public-links.js';
import { METRIC_NAMES, PipelineAlarms } from './pipeline-alarms.js';
import { SendPipeline, type PipelineEntries } from './send-pipeline.js';
import { MailUnsubscribe } from './mail-unsubscribe.js';
import { SigningKeys } from './signing-keys.js';
import type { StackConfig } from './stack-config.js';
import {
  createClicksOnlyConfigurationSet,
  createTrackedConfigurationSet,
  type LifecycleEntries,
  SubscriberLifecycle,
  TRACKING_DOMAIN_CONTEXT,
} from './subscriber-lifecycle.js';
import { WebArchive } from './web-archive.js';
import { NewsbriefFunction } from './newsbrief-function.js';
import { OpsDashboard } from './ops-dashboard.js';
import { EditorialWorkflow } from './editorial-workflow.js';
import { loadSenderIdentityConfig, SenderIdentity } from './sender-identity.js';

/** Handler modules used by the stack unless told otherwise (paths relative to the project root). */
export const DEFAULT_ENTRIES: PipelineEntries = {
  intake: 'lambdas/intake.ts',
  plan: 'lambdas/plan.ts',
  send: 'lambdas/send.ts',
};

/** Options of the newsbrief stack. */
export interface NewsbriefStackProps extends StackProps {
  /** Validated deploy-time configuration (see loadStackConfig). */
  readonly config: StackConfig;
  /** The seed lists (seeded into the lists table); read from config.listsFile when omitted. */
  readonly lists?: ListsForStack;
  /** Handler modules. @default DEFAULT_ENTRIES */
  readonly entries?: PipelineEntries;
  /** Handler modules of the unsubscribe and feedback functions. @default DEFAULT_LIFECYCLE_ENTRIES */
  readonly lifecycleEntries?: LifecycleEntries;
}

/** The whole production path: briefs bucket → intake → plan → send → SES, with tables, keys, alarms and outputs. */
export class NewsbriefStack extends Stack {
  /** Briefs bucket and its access logs. */
  readonly briefs: BriefsBucket;
  /** Subscribers and ledger tables. */
  readonly tables: DeliveryTables;
  /** Functions and queues. */
  readonly pipeline: SendPipeline;
  /**
   * SES configuration set every message is sent with. Extension point: the subscriber-lifecycle work adds
   * its event destination here (`configurationSet.addEventDestination(...)` to an SNS topic for bounces and complaints).
   */
  readonly configurationSet: ses.ConfigurationSet;
  /** Alarm topic and alarms. */
  readonly alarms: PipelineAlarms;
  /** Unsubscribe endpoint and SES feedback (bounces, complaints) path. */
  readonly lifecycle: SubscriberLifecycle;
  /** The public web archive: CloudFront over archive/ of the briefs bucket. */
  readonly archive: WebArchive;
  /** Proofs and scheduled sends: the start function, the schedule group and Scheduler's role. */
  readonly workflow: EditorialWorkflow;
  /** The CloudWatch operations dashboard (output DashboardUrl; alarms explained in docs/runbook.md). */
  readonly dashboard: OpsDashboard;
  /** The lists as data: the table every function reads (through a cache) and `newsbrief lists` edits. */
  readonly lists: ListsTable;

  constructor(scope: Construct, id: string, props: NewsbriefStackProps) {
    super(scope, id, props);
    const { config } = props;
    const lists = props.lists ?? readListsFile(config.listsFile);
    assertFromDomainsUnderIdentity(lists, config.senderDomain, config.listsFile);
    // Lists are data now, so the send roles' From condition cannot follow them: it is a context key, by default
    // the seed lists' domains, and a seed list outside it would fail at send time, so it fails synth instead.
    const fromDomains = config.fromDomains ?? lists.fromDomains;
    assertSeedListsSendable(lists, fromDomains, config.listsFile);
    warnOfExampleUrls(this, lists.exampleUrls);
    this.lists = new ListsTable(this, 'Lists', { seed: lists.seed });

    this.briefs = new BriefsBucket(this, 'Briefs');
    this.archive = new WebArchive(this, 'Archive', { bucket: this.briefs.bucket, ...config.archiveDomain });
    this.tables = new DeliveryTables(this, 'Tables');
    const keys = new SigningKeys(this, 'SigningKeys');
    // Identity, DKIM, MAIL FROM and DMARC: written to Route 53 or listed as outputs (context keys in lib/sender-identity.ts).
    const context = (key: string) => this.node.tryGetContext(key);
    new SenderIdentity(this, 'Sender', loadSenderIdentityConfig(context, config.senderDomain));
    new CfnOutput(this, 'KeysSecretArn', { value: keys.secret.secretArn, description: 'Token signing keyring (read by newsbrief doctor)' });
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
    });

    // Lists that track opens or clicks send with their own set (issue 12; see lib/subscriber-lifecycle.ts).
    const trackedConfigurationSet = createTrackedConfigurationSet(this, context(TRACKING_DOMAIN_CONTEXT) as string | undefined);
    // Lists that track clicks only send with a set that publishes no OPEN, so SES adds no pixel to their messages.
    const clicksOnlyConfigurationSet = createClicksOnlyConfigurationSet(this, context(TRACKING_DOMAIN_CONTEXT) as string | undefined);
    this.pipeline = new SendPipeline(this, 'Pipeline', {
      bucket: this.briefs.bucket,
      subscribers: this.tables.subscribers,
      ledger: this.tables.ledger,
      keys: keys.secret,
      configurationSet: this.configurationSet,
      trackedConfigurationSet,
      clicksOnlyConfigurationSet,
      senderDomain: config.senderDomain,
      fromDomains,
      sendConcurrency: config.sendConcurrency,
      sendBatchSize: config.sendBatchSize,
      sendMemoryMb: config.sendMemoryMb,
      ...(config.maxSendRate !== undefined ? { maxSendRate: config.maxSendRate } : {}),
      entries: props.entries ?? DEFAULT_ENTRIES,
    });
    this.briefs.notifyIntake(this.pipeline.intake.function);
    this.workflow = new EditorialWorkflow(this, 'Workflow', {
      bucket: this.briefs.bucket,
      ledger: this.tables.ledger,
      planQueue: this.pipeline.planQueue.queue,
      keys: keys.secret,
      configurationSet: this.configurationSet,
      senderDomain: config.senderDomain,
      fromDomains,
      intake: this.pipeline.intake,
      environment: { ...this.pipeline.environment },
    });
    acknowledgeBucketNotificationsHandler(this);

    this.lifecycle = new SubscriberLifecycle(this, 'Lifecycle', {
      bucket: this.briefs.bucket,
      subscribers: this.tables.subscribers,
      ledger: this.tables.ledger,
      keys: keys.secret,
      configurationSet: this.configurationSet,
      trackedConfigurationSet,
      clicksOnlyConfigurationSet,
      senderDomain: config.senderDomain,
      fromDomains,
      ...(props.lifecycleEntries ? { entries: props.lifecycleEntries } : {}),
    });

    this.alarms = new PipelineAlarms(this, 'Alarms', config.alarmEmail ? { alarmEmail: config.alarmEmail } : {});
    const { intake, plan, send, planQueue, sendQueue } = this.pipeline;
    const oneMinute = { period: Duration.minutes(1) };
    this.alarms.alarmWhenAbove(
      'IntakeDeadLetters',
      this.pipeline.intakeDeadLetterQueue.metricApproximateNumberOfMessagesVisible(oneMinute),
      'Intake failed on a brief event 3 times; the S3 event is in the intake dead-letter queue.',
    );
    this.alarms.alarmWhenAbove(
      'PlanDeadLetters',
      planQueue.deadLetterQueue.metricApproximateNumberOfMessagesVisible(oneMinute),
      'A plan page failed 5 times and is in the plan dead-letter queue: part of a list was not planned.',
    );
    this.alarms.alarmWhenAbove(
      'SendDeadLetters',
      sendQueue.deadLetterQueue.metricApproximateNumberOfMessagesVisible(oneMinute),
      'A send job failed 5 times and is in the send dead-letter queue: its recipients may not have been mailed.',
    );
    this.alarms.alarmWhenAbove('IntakeErrors', intake.function.metricErrors(oneMinute), 'The intake function failed.');
    this.alarms.alarmWhenAbove('PlanErrors', plan.function.metricErrors(oneMinute), 'The plan function failed.');
    this.alarms.alarmWhenAbove('SendErrors', send.function.metricErrors(oneMinute), 'The send function failed (whole invocations).');
    this.alarms.alarmWhenAbove(
      'BriefsRefused',
      PipelineAlarms.customMetricSum(METRIC_NAMES.briefsRefused),
      'A brief was refused by validation; its problems are in reports/ beside it in the briefs bucket.',
    );
    this.alarms.alarmWhenAbove(
      'SendsFailed',
      PipelineAlarms.customMetricSum(METRIC_NAMES.sendsFailed),
      'Recipients could not be mailed (rejected by SES, or sending paused/quota exhausted).',
    );
    this.alarms.alarmWhenAbove(
      'SendingPaused',
      PipelineAlarms.customMetricSum(METRIC_NAMES.sendingPaused),
      'SES refuses the account (paused, daily quota exhausted or credentials): sends stopped, claims released, nothing lost. Redrive the send DLQ once SES sends again.',
    );
    this.alarms.alarmWhenAbove(
      'UnknownDeliveries',
      PipelineAlarms.customMetricSum(METRIC_NAMES.unknownDeliveries),
      "Deliveries were claimed without an outcome (a crash mid-send): SES's Send event marks them sent, the rest are re-sent after their grace period (DeliveriesResent); check the send logs for their subscriber ids.",
    );
    this.alarms.alarmWhenAbove(
      'IssuesPaused',
      PipelineAlarms.customMetricSum(METRIC_NAMES.issuesPaused),
      "An issue paused: SES's daily quota is exhausted or the account is paused. It resumes by itself when SES allows sending again; check the account's quota and status.",
    );

    // Scheduled starts: Scheduler's own dead letters (invocations it could not deliver) and the start function's
    // (starts that failed Lambda's async retries). Either means an issue did not start at its time.
    const { scheduleDeadLetterQueue, startDeadLetterQueue } = this.workflow;
    this.alarms.alarmWhenAbove(
      'ScheduleDeadLetters',
      scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible(oneMinute),
      'EventBridge Scheduler could not invoke the start function for a scheduled issue; the start message is in the schedule dead-letter queue and the issue has not started.',
    );
    this.alarms.alarmWhenAbove(
      'StartDeadLetters',
      startDeadLetterQueue.metricApproximateNumberOfMessagesVisible(oneMinute),
      'The start function failed on a scheduled issue 3 times; the start message is in the start dead-letter queue and the issue has not started.',
    );

    new CfnOutput(this, 'ArchiveUrl', {
      value: this.archive.url,
      description: 'The web archive (issues at <url>/<list>/<id>.html): every list that sets no archiveBaseUrl links here',
    });
    this.alarms.alarmWhenAbove(
      'FeedbackErrors',
      this.lifecycle.feedback.function.metricErrors(oneMinute),
      'The feedback function failed on an SES event; SNS retries it.',
    );
    this.alarms.alarmWhenAbove(
      'FeedbackDeadLetters',
      this.lifecycle.feedbackDeadLetterQueue.metricApproximateNumberOfMessagesVisible(oneMinute),
      'SES feedback failed every retry and is in the feedback dead-letter queue: bounces or complaints may not have suppressed their addresses.',
    );
    this.alarms.alarmWhenAbove(
      'UnsubscribeErrors',
      this.lifecycle.unsubscribe.function.metricErrors(oneMinute),
      'The unsubscribe endpoint failed: readers may not be able to leave.',
    );
    this.alarms.alarmWhenAbove(
      'CircuitBreakerTripped',
      PipelineAlarms.customMetricSum(METRIC_NAMES.breakerTripped),
      "An issue's bounce or complaint rate passed its limit and its remaining sends are paused; see reports/<list>/<id>.json.",
    );

    new CfnOutput(this, 'UnsubscribeUrl', {
      value: this.lifecycle.unsubscribeUrl.url,
      description: 'The unsubscribe endpoint: every list that sets no unsubscribeBaseUrl links here',
    });
    new CfnOutput(this, 'SubscribeUrl', {
      value: this.lifecycle.subscribeUrl.url,
      description: 'The public subscribe form (<url>subscribe?list=<id>) and confirmation links (<url>confirm?t=…)',
    });
    this.alarms.alarmWhenAbove(
      'SubscribeErrors',
      this.lifecycle.subscribe.function.metricErrors(oneMinute),
      'The subscribe endpoint failed.',
    );
    new CfnOutput(this, 'FeedbackTopicArn', { value: this.lifecycle.feedbackTopic.topicArn });
    new CfnOutput(this, 'BriefsBucketName', { value: this.briefs.bucket.bucketName, description: 'Drop briefs under briefs/' });
    new CfnOutput(this, 'SubscribersTableName', { value: this.tables.subscribers.tableName });
    new CfnOutput(this, 'LedgerTableName', { value: this.tables.ledger.tableName });
    new CfnOutput(this, 'SendQueueUrl', { value: sendQueue.queue.queueUrl });
    new CfnOutput(this, 'ScheduleDeadLetterQueueUrl', {
      value: scheduleDeadLetterQueue.queueUrl,
      description: 'Scheduled starts EventBridge Scheduler could not deliver',
    });
    new CfnOutput(this, 'StartDeadLetterQueueUrl', {
      value: startDeadLetterQueue.queueUrl,
      description: 'Scheduled starts the start function failed on after its retries',
    });
    new CfnOutput(this, 'ConfigurationSetName', { value: this.configurationSet.configurationSetName });
    new CfnOutput(this, 'ListsTableName', {
      value: this.lists.tableName,
      description: 'The lists (newsbrief lists put|list|show|remove --stack <this stack>); changes apply within 30 s',
    });

    // With linksDomain, the unsubscribe and subscribe endpoints are reached on it (CloudFront in front of their URLs).
    const links = config.linksDomain
      ? new PublicLinks(this, 'Links', {
          ...config.linksDomain,
          unsubscribe: this.lifecycle.unsubscribeUrl,
          subscribe: this.lifecycle.subscribeUrl,
          webAclArn: config.linksWebAclArn,
        })
      : undefined;
    if (links) {
      new CfnOutput(this, 'LinksDistributionDomain', {
        value: links.distribution.distributionDomainName,
        description: `Point ${config.linksDomain!.domainName} here (CNAME, or a Route 53 alias)`,
      });
    }
    // The mailto of List-Unsubscribe, only where mail to it is received (otherwise no message advertises one).
    if (config.unsubscribeMailbox !== undefined) this.receiveMailUnsubscribes(config.unsubscribeMailbox, config.receiptRuleSetName, keys);

    // Last, so that every function added above reads the lists and gets this deployment's endpoints.
    wireListsIntoFunctions(this, this.lists, {
      unsubscribeUrl: links?.unsubscribeUrl ?? this.lifecycle.unsubscribeUrl.url,
      archiveUrl: this.archive.url,
      confirmUrl: links?.confirmUrl,
      unsubscribeFunction: this.lifecycle.unsubscribe,
      unsubscribeMailbox: config.unsubscribeMailbox,
    });

    // Last of all, so that it graphs every function and alarm defined above.
    this.dashboard = new OpsDashboard(this, 'Operations', {
      planQueue: planQueue.queue,
      sendQueue: sendQueue.queue,
      deadLetterQueues: {
        intake: this.pipeline.intakeDeadLetterQueue,
        plan: planQueue.deadLetterQueue,
        send: sendQueue.deadLetterQueue,
        feedback: this.lifecycle.feedbackDeadLetterQueue,
        schedule: scheduleDeadLetterQueue,
        start: startDeadLetterQueue,
      },
      functions: Object.fromEntries(
        this.node
          .findAll()
          .filter((c): c is NewsbriefFunction => c instanceof NewsbriefFunction)
          .map((fn) => [fn.node.path.split('/').slice(1).join(' '), fn.function]),
      ),
      ...(config.maxSendRate !== undefined ? { maxSendRate: config.maxSendRate } : {}),
      alarms: this.alarms.node.children.filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm),
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: this.dashboard.url,
      description:
        'The operations dashboard: sends/s against the SES rate, queues, issues in flight, bounce and complaint rates, dead letters, errors',
    });
  }

  /** An SES receipt rule for `mailbox` and the function that unsubscribes the reader each mail's token names. */
  private receiveMailUnsubscribes(mailbox: string, ruleSetName: string | undefined, keys: SigningKeys): void {
    const inbound = new MailUnsubscribe(this, 'MailUnsubscribe', {
      mailbox,
      ruleSetName,
      subscribers: this.tables.subscribers,
      ledger: this.tables.ledger,
      keys: keys.secret,
      environment: {},
    });
    this.alarms.alarmWhenAbove(
      'MailUnsubscribeDeadLetters',
      inbound.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      'Unsubscribe mails failed 3 times and wait in their dead-letter queue: those readers are still subscribed.',
    );
    new CfnOutput(this, 'UnsubscribeMailbox', { value: mailbox, description: 'Every message offers a mailto unsubscribe to this address' });
    new CfnOutput(this, 'UnsubscribeMailboxMx', {
      value: `${mailbox.split('@')[1]} MX 10 inbound-smtp.${this.region}.amazonaws.com`,
      description: 'The MX record that brings mail to the unsubscribe mailbox into SES (a region where SES receives mail)',
    });
    if (inbound.activationCommand !== undefined) {
      new CfnOutput(this, 'ActivateReceiptRuleSet', {
        value: inbound.activationCommand,
        description: 'Run once (SES has one active rule set per region); or deploy with -c receiptRuleSetName=<your active set>',
      });
    }
    new CfnOutput(this, 'MailUnsubscribeDeadLetterQueueUrl', { value: inbound.deadLetterQueue.queueUrl });
  }
}

// The send roles may send only from `fromDomains`; a seed list outside them could never be sent.
function assertSeedListsSendable(lists: ListsForStack, fromDomains: readonly string[], source: string): void {
  const outside = lists.fromDomains.filter((domain) => !fromDomains.includes(domain));
  if (outside.length > 0) {
    throw new ListsFileError(
      `Lists file "${source}" sends from ${outside.join(', ')}, outside context "fromDomains" (${fromDomains.join(', ')}); add the domain to fromDomains.`,
    );
  }
}

// The IAM policy names the SES identity; a from address on another domain would be refused at send time, so refuse it now.
function assertFromDomainsUnderIdentity(lists: ListsForStack, senderDomain: string, source: string): void {
  const outside = lists.fromDomains.filter((domain) => domain !== senderDomain && !domain.endsWith(`.${senderDomain}`));
  if (outside.length > 0) {
    throw new ListsFileError(
      `Lists file "${source}" sends from ${outside.join(', ')}, outside context "senderDomain" (${senderDomain}); set senderDomain to the verified domain of every list's from address.`,
    );
  }
}

// S3 bucket notifications are configured by a CDK-provided singleton Lambda that we do not control.
function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  if (!handler) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'CDK-provided singleton that saves the bucket notification configuration at deploy time; its role is defined by aws-cdk-lib.',
  });
}
