import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { LEDGER_ISSUES_BY_LIST_INDEX, LEDGER_TTL_ATTRIBUTE, SUBSCRIBERS_BY_ID_INDEX } from '../src/config/table-indexes.js';

/** The subscribers and ledger tables (on-demand, point-in-time recovery, retained on stack deletion). */
export class DeliveryTables extends Construct {
  /** Subscribers: partition key `list`, sort key normalized `email`; GSI `byId` on the opaque `id`. */
  readonly subscribers: dynamodb.ITable;
  /**
   * Ledger: partition key `pk` only (`issue#<list>#<id>`, `delivery#<list>#<id>#<subscriberId>`); sparse GSI
   * `issuesByList` (`list`, `claimedAt`) over the issue items alone.
   */
  readonly ledger: dynamodb.ITable;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // dynamodb.Table (not TableV2) so the same template also deploys to AWS-compatible emulators.
    const common = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Subscribers and delivery history are the product's memory: never lose them with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;

    const subscribers = new dynamodb.Table(this, 'Subscribers', {
      ...common,
      partitionKey: { name: 'list', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'email', type: dynamodb.AttributeType.STRING },
    });
    // Links carry the opaque subscriber id, never the address: the unsubscribe endpoint finds the subscriber by it.
    subscribers.addGlobalSecondaryIndex({
      indexName: SUBSCRIBERS_BY_ID_INDEX,
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // Table does not satisfy its own ITable under exactOptionalPropertyTypes (`tableStreamArn?` against
    // `tableStreamArn: string | undefined`); the members read the same, so the cast is sound.
    this.subscribers = subscribers as dynamodb.ITable;

    // One partition key per delivery spreads a million conditional writes across partitions.
    const ledger = new dynamodb.Table(this, 'Ledger', {
      ...common,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      // Only short-lived items set it (feedback event claims, confirmation slots); issues and deliveries never expire.
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
    });
    // A list's last issues (the list report, a reader's history) without a Scan. Only issue items carry `list`, so
    // the index holds one small entry per issue and no delivery write of the send path ever reaches it; the projected
    // `id` never changes, so the issue item's own updates (plan progress, pause, breaker) do not write it either.
    ledger.addGlobalSecondaryIndex({
      indexName: LEDGER_ISSUES_BY_LIST_INDEX,
      partitionKey: { name: 'list', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'claimedAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['id'],
    });
    this.ledger = ledger as dynamodb.ITable;
  }
}
