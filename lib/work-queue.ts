import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Receives before a message moves to the dead-letter queue: enough to ride out throttling and redeploys. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * Visibility timeout per second of consumer timeout. AWS advises ≥ 6×: the event source may hold a
 * message while it retries a throttled invoke, and a message must not reappear while still being worked on.
 */
export const VISIBILITY_PER_CONSUMER_TIMEOUT = 6;

/** Options of a work queue. */
export interface WorkQueueProps {
  /** Timeout of the function that consumes the queue; the visibility timeout is 6× this. */
  readonly consumerTimeout: Duration;
}

/** An SQS queue with its dead-letter queue, both encrypted and TLS-only, sized for one consumer function. */
export class WorkQueue extends Construct {
  /** The queue the consumer reads. */
  readonly queue: sqs.Queue;
  /** Where a message lands after MAX_RECEIVE_COUNT failed receives. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetter', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A standard DLQ keeps the original enqueue time, so it needs at least the source queue's retention.
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_PER_CONSUMER_TIMEOUT),
      // The maximum: a paused account (SES quota reached) can resume days later without losing jobs.
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}
