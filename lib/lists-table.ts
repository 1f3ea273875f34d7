import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LIST_ITEM } from '../src/adapters/aws/dynamo-list-store.js';
import { listsTableNameOf } from '../src/config/list-directory.js';

/** PartiQL's BatchExecuteStatement takes at most 25 statements. */
const STATEMENTS_PER_BATCH = 25;

/** Options of the lists table. */
export interface ListsTableProps {
  /** The lists to seed at the first deploy (and lists added to the file later): id and the list as JSON. */
  readonly seed: readonly { readonly id: string; readonly json: string }[];
}

/**
 * The lists as data: a small DynamoDB table (one item per list, `id` the key, the list as JSON in `document`)
 * that every function reads through a 30 s cache and `newsbrief lists put --stack` edits, so a list changes
 * without a deploy and any number of them fit (nothing travels in a function's environment).
 *
 * Its own table rather than items in the ledger: the functions may only Scan this one tiny table (a Scan cannot
 * be limited to a key prefix, and the ledger holds every delivery), its items are configuration that is kept
 * and backed up like the subscribers, and the name is derived from the stack's (`<stack>-lists`), so that
 * `newsbrief lists --stack NAME` finds it with no CloudFormation call.
 */
export class ListsTable extends Construct {
  readonly table: dynamodb.ITable;
  /** The table's name: `<stack name>-lists`. */
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: ListsTableProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.tableName = listsTableNameOf(stack.stackName);
    // dynamodb.Table (not TableV2), like the other tables, so the template also deploys to emulators.
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: LIST_ITEM.key, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Lists edited since the deploy exist nowhere else.
      removalPolicy: RemovalPolicy.RETAIN,
    }) as dynamodb.ITable;

    this.seedLists(props.seed);
  }

  /** Lets a function read the lists: a Scan of this table (what DynamoListStore.readAll does), nothing else. */
  grantReadLists(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Scan'], resourceArns: [this.table.tableArn] });
  }

  /**
   * Put-if-absent of every list of the seed file, at create and at every update: PartiQL INSERT refuses an
   * existing key, and inside BatchExecuteStatement that refusal is a per-statement answer, not a failure,
   * so lists changed since with `newsbrief lists put` are never overwritten, and lists added to the file
   * arrive with the next deploy. Nothing is deleted (removing a list is `newsbrief lists remove`).
   */
  private seedLists(seed: ListsTableProps['seed']): void {
    const tableArn = this.table.tableArn;
    for (let start = 0, batch = 0; start < seed.length; start += STATEMENTS_PER_BATCH, batch++) {
      const statements = seedStatements(this.tableName, seed.slice(start, start + STATEMENTS_PER_BATCH));
      const call: cr.AwsSdkCall = {
        service: 'DynamoDB',
        action: 'BatchExecuteStatement',
        parameters: { Statements: statements },
        physicalResourceId: cr.PhysicalResourceId.of(`${this.tableName}-seed-${batch}`),
        // The answer lists each refused INSERT; none of it is needed, and all of it could pass the 4 KB response limit.
        outputPaths: ['ConsumedCapacity'],
      };
      const seeder = new cr.AwsCustomResource(this, `Seed${batch}`, {
        onCreate: call,
        onUpdate: call,
        installLatestAwsSdk: false,
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['dynamodb:PartiQLInsert'], resources: [tableArn] }),
        ]),
      });
      seeder.node.addDependency(this.table);
    }
    acknowledgeCustomResourceProvider(Stack.of(this));
  }
}

/** The PartiQL INSERTs that seed lists (put-if-absent: an INSERT of an existing key is refused). */
export function seedStatements(tableName: string, seed: ListsTableProps['seed']) {
  return seed.map((list) => ({
    Statement: `INSERT INTO "${tableName}" VALUE {'${LIST_ITEM.key}': ?, '${LIST_ITEM.document}': ?, '${LIST_ITEM.updatedAt}': ?}`,
    Parameters: [{ S: list.id }, { S: list.json }, { S: 'seeded at deploy' }],
  }));
}

// AwsCustomResource runs on one CDK-provided singleton function per stack; its role and runtime are aws-cdk-lib's.
function acknowledgeCustomResourceProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) return;
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-provided singleton that seeds the lists table at deploy time; its role is defined by aws-cdk-lib.',
    },
    { id: 'AwsSolutions-L1', reason: 'CDK-provided singleton; aws-cdk-lib chooses its runtime.' },
  );
}
