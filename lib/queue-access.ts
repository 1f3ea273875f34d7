import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Grants sqs:SendMessage (which also authorizes SendMessageBatch) on `queues`: the code has their URLs from the
 * environment, so it needs neither GetQueueUrl nor GetQueueAttributes, which grantSendMessages adds.
 */
export function grantEnqueue(role: iam.IRole, ...queues: sqs.IQueue[]): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: queues.map((queue) => queue.queueArn) }));
}
