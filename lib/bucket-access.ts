import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { BucketPrefix } from '../src/config/bucket-layout.js';

/** Which key prefixes of the briefs bucket a function reads and writes. */
export interface BucketAccess {
  /** Prefixes whose objects it reads (GetObject, ranged or whole). */
  readonly read?: readonly BucketPrefix[];
  /** Prefixes it writes objects under (PutObject). */
  readonly write?: readonly BucketPrefix[];
}

/**
 * Grants exactly what S3BlobStore calls: s3:GetObject under the read prefixes, s3:PutObject under the write
 * prefixes, nothing else (no delete, no tagging, no multipart). A reader also gets s3:ListBucket on the bucket:
 * without it S3 answers a missing key with 403 instead of NoSuchKey, and the code treats a missing schedule
 * record or archive index as "none yet". The grant helpers' action families (GetObject*, PutObject*, Abort*,
 * DeleteObject*) would allow far more than the code does. No Sids: intake is granted from two constructs, and
 * identical statements are merged by the CDK.
 */
export function grantBucketObjects(role: iam.IRole, bucket: s3.IBucket, access: BucketAccess): void {
  const objects = (prefixes: readonly BucketPrefix[]) => prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
  // cdk-nag names object resources by logical id, e.g. `<BriefsBucketACE8D61A.Arn>/briefs/*`.
  const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  for (const prefix of new Set([...(access.read ?? []), ...(access.write ?? [])])) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      reason:
        'Objects under one key prefix of the briefs bucket (keys are per list and issue, made at run time); one action each, no wildcard action.',
    });
  }
  if (access.read?.length) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(access.read) }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  }
  if (access.write?.length) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objects(access.write) }));
  }
}
