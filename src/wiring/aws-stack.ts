/**
 * How the CLI finds a deployment from its stack name (`--stack NAME`): the resources it names in its outputs,
 * and the lists of its lists table. One place, so that `publish`, `report`, `issue`, `subscribers`, `breaker`
 * and `doctor` read a stack the same way. AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_CLOUDFORMATION) is honoured.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { readStackOutputs } from '../adapters/aws/cloudformation-stack-outputs.js';
import { listsTableNameOf } from '../config/list-directory.js';
import { EXAMPLE_ENDPOINTS, type ListsConfig, listsConfigOf } from '../config/lists.js';
import { awsListStore } from './aws/lists.js';

/** The resources of a deployed stack that the CLI works on, from its outputs. */
export interface StackResources {
  readonly stackName: string;
  /** Every output, by key (the doctor reads its own ones). */
  readonly outputs: ReadonlyMap<string, string>;
  /** The lists table: its ListsTableName output, or `<stack>-lists` for a stack deployed before that output. */
  readonly listsTable: string;
  /** The named output; throws, naming the stack and the output, when the stack has none. */
  require(output: 'BriefsBucketName' | 'LedgerTableName' | 'SubscribersTableName'): string;
}

/** Reads the outputs of `stackName` (in `region`, else the SDK's usual chain). */
export async function readStackResources(env: NodeJS.ProcessEnv, stackName: string, region?: string): Promise<StackResources> {
  const endpoint = env.AWS_ENDPOINT_URL_CLOUDFORMATION || env.AWS_ENDPOINT_URL;
  const cloudFormation = new CloudFormationClient({ ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) });
  let outputs: ReadonlyMap<string, string>;
  try {
    outputs = await readStackOutputs(cloudFormation, stackName);
  } finally {
    cloudFormation.destroy();
  }
  return {
    stackName,
    outputs,
    listsTable: outputs.get('ListsTableName') ?? listsTableNameOf(stackName),
    require(output) {
      const value = outputs.get(output);
      if (!value) throw new Error(`the stack ${stackName} has no ${output} output: is it a newsbrief stack?`);
      return value;
    },
  };
}

/**
 * The lists stored in a lists table, for checking list ids and reading list settings (limits, senders). Their
 * links are not used by the CLI, so lists that set none get the example endpoints.
 */
export async function readAwsLists(env: NodeJS.ProcessEnv, table: string): Promise<ListsConfig> {
  try {
    return listsConfigOf(await awsListStore(env, table).readAll(), EXAMPLE_ENDPOINTS);
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException')
      throw new Error(`there is no lists table ${table} (stack output ListsTableName)`, { cause: error });
    throw error;
  }
}
