/** A deployed stack's outputs (DescribeStacks), by output key: how CLI commands find a deployment from its name. */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** Raised when the stack cannot be found; says where it looked. */
export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
}

/** The outputs of `stackName`; throws StackNotFoundError when CloudFormation has no such stack in the client's region. */
export async function readStackOutputs(cloudFormation: CloudFormationClient, stackName: string): Promise<ReadonlyMap<string, string>> {
  try {
    const out = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    if (!stack) throw new StackNotFoundError(`no stack ${stackName}`);
    return new Map(
      (stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue] as const] : [])),
    );
  } catch (error) {
    // CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist".
    if ((error as { name?: string }).name === 'ValidationError' && /does not exist/i.test((error as Error).message)) {
      const region = await cloudFormation.config.region();
      throw new StackNotFoundError(
        `CloudFormation in ${region} has no stack ${stackName}: check --region (or AWS_REGION) and the name (\`aws cloudformation list-stacks\`)`,
        { cause: error },
      );
    }
    throw error;
  }
}
