import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BRIEF_SUFFIX, PREFIX } from '../src/config/bucket-layout.js';

/** Options of the briefs bucket. */
export interface BriefsBucketProps {
  /** Days to keep server access logs. @default 365 */
  readonly accessLogRetentionDays?: number;
}

/** The briefs bucket (versioned, encrypted, TLS-only, private) with its server access logs bucket. */
export class BriefsBucket extends Construct {
  /** Holds briefs, rendered issues, reports and the archive. */
  readonly bucket: s3.IBucket;
  /** Receives the briefs bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: BriefsBucketProps = {}) {
    super(scope, id);

    // CDK's Bucket does not satisfy its own IBucket under exactOptionalPropertyTypes (`isWebsite?` against
    // `isWebsite: boolean | undefined`); the members read the same, so the cast is sound. Same in delivery-tables and signing-keys.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // Server access logging can only deliver to SSE-S3 buckets, not SSE-KMS ones.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Ownership left to CDK: with @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy (cdk.json) it grants the
      // logging service by bucket policy; without it, by the LogDeliveryWrite ACL that needs ObjectWriter.
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 365) }],
    }) as s3.IBucket;
    // No access logs of its own: logging the log bucket would only log log deliveries (cdk-nag's S1 exempts
    // a bucket that is another bucket's log destination, so no acknowledgement is needed).

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioning keeps every edit of a brief and lets an overwritten issue be recovered.
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'briefs-bucket/',
    }) as s3.IBucket;
  }

  /**
   * Sends ObjectCreated events for `briefs/**.json` to the intake function.
   * The system writes only under rendered/, reports/ and archive/, so nothing it writes re-triggers intake.
   */
  notifyIntake(intake: lambda.IFunction): void {
    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(intake), {
      prefix: PREFIX.briefs,
      suffix: BRIEF_SUFFIX,
    });
  }
}
