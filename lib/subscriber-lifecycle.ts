import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../src/config/env-names.js';
import { CONFIRM_KEY_PREFIX } from '../src/config/table-indexes.js';
import { PREFIX } from '../src/config/bucket-layout.js';
import { grantBucketObjects } from './bucket-access.js';
import { NewsbriefFunction } from './newsbrief-function.js';
import { publicConcurrencyFromContext } from './public-concurrency.js';
import { grantFindSubscriberById, grantLedgerItems, grantUnsubscribing } from './table-access.js';
import { METRICS_NAMESPACE } from './pipeline-alarms.js';

/** Handler modules of the lifecycle functions (paths relative to the project root). */
export interface LifecycleEntries {
  /** Function URL handler: the unsubscribe link (GET page, RFC 8058 POST). */
  readonly unsubscribe: string;
  /** SNS handler: SES sends, bounces, complaints, deliveries, rejects. */
  readonly feedback: string;
  /** Function URL handler: the subscribe form, double opt-in, the confirmation link. */
  readonly subscribe: string;
}

/** Handler modules used unless told otherwise. */
export const DEFAULT_LIFECYCLE_ENTRIES: LifecycleEntries = {
  unsubscribe: 'lambdas/unsubscribe.ts',
  feedback: 'lambdas/feedback.ts',
  subscribe: 'lambdas/subscribe.ts',
};

/** What the lifecycle functions are wired to. */
export interface SubscriberLifecycleProps {
  readonly bucket: s3.IBucket;
  readonly subscribers: dynamodb.ITable;
  readonly ledger: dynamodb.ITable;
  readonly keys: secretsmanager.ISecret;
  /** SES configuration set every message is sent with: its events feed the feedback function. */
  readonly configurationSet: ses.IConfigurationSet;
  /**
   * A custom domain for SES's open pixel and click redirects (a CNAME to SES's tracking domain, see the SES
   * guide "Configuring custom domains for open and click tracking"); default: context "trackingDomain", else SES's own.
   */
  readonly trackingDomain?: string | undefined;
  /** The tracked configuration set made by createTrackedConfigurationSet (the send pipeline sends with it too); made here when absent. */
  readonly trackedConfigurationSet?: ses.IConfigurationSet | undefined;
  /** The clicks-only configuration set made by createClicksOnlyConfigurationSet (the send pipeline sends with it too); made here when absent. */
  readonly clicksOnlyConfigurationSet?: ses.IConfigurationSet | undefined;
  /** The verified SES domain identity (confirmation mails are sent as the lists). */
  readonly senderDomain: string;
  /** Domains of the lists' from addresses. */
  readonly fromDomains: readonly string[];
  readonly entries?: LifecycleEntries;
}

/** The events every configuration set publishes to the feedback topic (the tracked one adds opens and clicks). */
const FEEDBACK_EVENTS = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.REJECT,
];

/**
 * The unsubscribe endpoint (a public function URL) and the feedback path (configuration set → SNS → Lambda),
 * each function allowed exactly the table actions its use-case performs.
 */
export class SubscriberLifecycle extends Construct {
  readonly unsubscribe: NewsbriefFunction;
  /** The public unsubscribe URL; lists' `unsubscribeBaseUrl` must point here (directly or through a domain). */
  readonly unsubscribeUrl: lambda.FunctionUrl;
  readonly feedback: NewsbriefFunction;
  /** SES publishes send, bounce, complaint, delivery and reject events here. */
  readonly feedbackTopic: sns.Topic;
  /** Feedback messages the function failed on after SNS's retries. */
  readonly feedbackDeadLetterQueue: sqs.Queue;
  /**
   * The configuration set of lists that track opens or clicks. SES tracks per configuration set (it adds its
   * pixel and rewrites links when one of the set's event destinations takes OPEN or CLICK events), and
   * SendRawEmail has no per-message switch, so untracked lists keep the plain set and tracked ones use this one.
   */
  readonly trackedConfigurationSet: ses.IConfigurationSet;
  /**
   * The configuration set of lists that track clicks but not opens: its destination takes CLICK and not OPEN, so
   * SES rewrites links but inserts no open pixel (a pixel whose events would only be dropped is still a tracker).
   */
  readonly clicksOnlyConfigurationSet: ses.IConfigurationSet;
  readonly subscribe: NewsbriefFunction;
  /** The public subscribe form (GET /subscribe, POST /subscribe) and confirmation links (GET /confirm). */
  readonly subscribeUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: SubscriberLifecycleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const entries = props.entries ?? DEFAULT_LIFECYCLE_ENTRIES;
    // Function URLs answer anyone: a cap keeps a flood from taking the account's concurrency (and the send fleet's
    // headroom) or running up the bill; requests beyond it get 429. Context key publicConcurrency.
    const publicConcurrency = publicConcurrencyFromContext((key) => this.node.tryGetContext(key));
    const common = {
      POWERTOOLS_SERVICE_NAME: 'newsbrief',
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };

    this.unsubscribe = new NewsbriefFunction(this, 'Unsubscribe', {
      entry: entries.unsubscribe,
      description: 'newsbrief unsubscribe: the link in every issue (GET shows a page, RFC 8058 one-click POST unsubscribes)',
      timeout: Duration.seconds(10),
      memorySize: 256,
      reservedConcurrentExecutions: publicConcurrency,
      environment: {
        ...common,
        [ENV.subscribersTable]: props.subscribers.tableName,
        [ENV.keysSecretArn]: props.keys.secretArn,
        [ENV.ledgerTable]: props.ledger.tableName,
      },
    });
    // RFC 8058: the one-click POST comes from the mail provider with no credentials, so the URL cannot require any.
    // The signed token is the authorization; a request without a valid one changes nothing.
    this.unsubscribeUrl = this.unsubscribe.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    props.keys.grantRead(this.unsubscribe.role);
    // Look up by the token's id, change that one status, count it on its issue: nothing else.
    grantUnsubscribing(this.unsubscribe.role, props);

    // Bounce notifications name the reader's address: encrypted with our own key, which SES may use to publish.
    const topicKey = new kms.Key(this, 'FeedbackTopicKey', {
      description: 'newsbrief SES feedback topic',
      enableKeyRotation: true,
    });
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesPublishesFeedback',
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', {
      displayName: 'newsbrief SES feedback',
      masterKey: topicKey,
      enforceSSL: true,
    });
    new ses.ConfigurationSetEventDestination(this, 'FeedbackEvents', {
      configurationSet: props.configurationSet,
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      // SEND is the delivery proof: SES accepted the message, so a delivery whose outcome the send function never
      // recorded (a crash after SendRawEmail) is marked sent instead of being re-sent after its grace period.
      events: FEEDBACK_EVENTS,
    });

    // Tracking lists send with their own set: the same events plus opens and clicks, to the same topic. A list
    // that tracks opens only has its links marked ses:no-track at render time (src/render/issue-links.ts).
    this.trackedConfigurationSet =
      props.trackedConfigurationSet ??
      createTrackedConfigurationSet(this, props.trackingDomain ?? (this.node.tryGetContext(TRACKING_DOMAIN_CONTEXT) as string | undefined));
    new ses.ConfigurationSetEventDestination(this, 'TrackedFeedbackEvents', {
      configurationSet: this.trackedConfigurationSet,
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [...FEEDBACK_EVENTS, ses.EmailSendingEvent.OPEN, ses.EmailSendingEvent.CLICK],
    });
    new CfnOutput(this, 'TrackedConfigurationSetName', {
      value: this.trackedConfigurationSet.configurationSetName,
      description: 'SES configuration set of lists that track opens (and clicks)',
    });
    this.clicksOnlyConfigurationSet =
      props.clicksOnlyConfigurationSet ??
      createClicksOnlyConfigurationSet(
        this,
        props.trackingDomain ?? (this.node.tryGetContext(TRACKING_DOMAIN_CONTEXT) as string | undefined),
      );
    new ses.ConfigurationSetEventDestination(this, 'ClicksOnlyFeedbackEvents', {
      configurationSet: this.clicksOnlyConfigurationSet,
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      // No OPEN: SES adds its pixel only to messages of a set that publishes opens.
      events: [...FEEDBACK_EVENTS, ses.EmailSendingEvent.CLICK],
    });
    new CfnOutput(this, 'ClicksOnlyConfigurationSetName', {
      value: this.clicksOnlyConfigurationSet.configurationSetName,
      description: 'SES configuration set of lists that track clicks but not opens (no open pixel)',
    });

    this.feedbackDeadLetterQueue = new sqs.Queue(this, 'FeedbackDeadLetter', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.feedback = new NewsbriefFunction(this, 'Feedback', {
      entry: entries.feedback,
      description:
        'newsbrief feedback: SES send events prove deliveries; bounces and complaints suppress addresses; counts per issue; circuit breaker',
      timeout: Duration.seconds(30),
      memorySize: 256,
      deadLetterQueue: this.feedbackDeadLetterQueue,
      environment: {
        ...common,
        [ENV.subscribersTable]: props.subscribers.tableName,
        [ENV.ledgerTable]: props.ledger.tableName,
        [ENV.briefsBucket]: props.bucket.bucketName,
        [ENV.feedbackTopicArn]: this.feedbackTopic.topicArn,
      },
    });
    this.feedbackTopic.addSubscription(new subscriptions.LambdaSubscription(this.feedback.function));
    this.feedback.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SuppressSubscribers',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [props.subscribers.tableArn],
      }),
    );
    // Claims each SES event once (feedback#), counts it on a shard, proves or completes its delivery, reads the
    // issue's counts for the breaker and the report (BatchGetItem), trips the breaker on the issue item.
    grantLedgerItems(this.feedback.role, props.ledger, {
      issue: ['BatchGetItem', 'UpdateItem'],
      counts: ['BatchGetItem', 'UpdateItem'],
      delivery: ['BatchGetItem', 'GetItem', 'UpdateItem'],
      // UpdateItem: a reader's recorded clicks (feedback#…#engagement#click-at#<reader>), for the "every link at once" rule.
      feedback: ['PutItem', 'UpdateItem'],
      // The confirmation breaker: bounces and complaints of confirmation mails counted per list and day (confirm#).
      confirm: ['BatchGetItem', 'UpdateItem'],
    });
    // Rewrites the issue's report when a bounce, complaint or reject is counted; reads an issue's link map
    // (rendered/) to place a click on its link.
    grantBucketObjects(this.feedback.role, props.bucket, { read: [PREFIX.rendered], write: [PREFIX.reports] });

    this.subscribe = new NewsbriefFunction(this, 'Subscribe', {
      entry: entries.subscribe,
      description: 'newsbrief subscribe: the public form (double opt-in) and the confirmation link',
      timeout: Duration.seconds(15),
      // The confirmation mail is rendered by MJML; memory buys CPU.
      memorySize: 1024,
      reservedConcurrentExecutions: publicConcurrency,
      environment: {
        ...common,
        [ENV.subscribersTable]: props.subscribers.tableName,
        [ENV.ledgerTable]: props.ledger.tableName,
        [ENV.keysSecretArn]: props.keys.secretArn,
        [ENV.configurationSet]: props.configurationSet.configurationSetName,
      },
    });
    // A public form cannot require credentials; abuse is bounded by the honeypot and the confirmation budgets and breaker
    // (src/subscribers/confirmation-limits.ts, src/breaker/confirmation-breaker.ts).
    this.subscribeUrl = this.subscribe.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    props.keys.grantRead(this.subscribe.role);
    grantFindSubscriberById(this.subscribe.role, props.subscribers);
    this.subscribe.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AddSubscribers',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [props.subscribers.tableArn],
      }),
    );
    // Only the confirmation slots (`confirm#…` items) of the ledger, never issues or deliveries.
    this.subscribe.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ConfirmationSlotsOnly',
        // Fixed-window counters: a conditional ADD takes a budget; one BatchGetItem reads the breaker and budgets.
        actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        resources: [props.ledger.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${CONFIRM_KEY_PREFIX}*`] } },
      }),
    );
    this.subscribe.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SendConfirmationsAsListsOnly',
        actions: ['ses:SendRawEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.senderDomain }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.configurationSet.configurationSetName }),
        ],
        conditions: { StringLike: { 'ses:FromAddress': props.fromDomains.map((domain) => `*@${domain}`) } },
      }),
    );
  }
}

/** The context key naming a custom redirect domain for SES's open and click tracking. */
export const TRACKING_DOMAIN_CONTEXT = 'trackingDomain';

/**
 * The configuration set of lists that track opens (its event destination, with OPEN and CLICK, is added by
 * SubscriberLifecycle): made before the send pipeline, which sends tracked messages with it.
 */
export function createTrackedConfigurationSet(scope: Construct, trackingDomain: string | undefined): ses.ConfigurationSet {
  return new ses.ConfigurationSet(scope, 'TrackedConfigurationSet', {
    reputationMetrics: true,
    sendingEnabled: true,
    ...(trackingDomain ? { customTrackingRedirectDomain: trackingDomain } : {}),
  });
}

/**
 * The configuration set of lists that track clicks but not opens (its event destination, with CLICK and without
 * OPEN, is added by SubscriberLifecycle): made before the send pipeline, which sends their messages with it.
 */
export function createClicksOnlyConfigurationSet(scope: Construct, trackingDomain: string | undefined): ses.ConfigurationSet {
  return new ses.ConfigurationSet(scope, 'ClicksOnlyConfigurationSet', {
    reputationMetrics: true,
    sendingEnabled: true,
    ...(trackingDomain ? { customTrackingRedirectDomain: trackingDomain } : {}),
  });
}
