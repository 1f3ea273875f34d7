import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { sourceMapsFromContext } from './stack-config.js';

/** Lets CommonJS dependencies call `require` inside the ESM bundle. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * How every function is bundled: minified ESM for Node 24, everything bundled (the Node 24 runtime ships AWS
 * SDK v3, but bundling our pinned version keeps behaviour identical to tests). bench/bundles.ts builds the
 * bench's bundles from this same object, so that what it measures is what deploys.
 */
export function functionBundling(options: { readonly sourceMaps: boolean }) {
  return {
    format: nodejs.OutputFormat.ESM,
    banner: ESM_REQUIRE_BANNER,
    target: 'node24',
    minify: true,
    sourceMap: options.sourceMaps,
    externalModules: [] as string[],
  } satisfies nodejs.BundlingOptions;
}

/** NODE_OPTIONS of every function: source maps cost on every stack trace, so only when asked for. */
export function functionNodeOptions(options: { readonly sourceMaps: boolean }): Record<string, string> {
  return options.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {};
}

/** Options of a newsbrief function. */
export interface NewsbriefFunctionProps {
  /** Path of the handler module (exports `handler`). */
  readonly entry: string;
  /** Invocation timeout. */
  readonly timeout: Duration;
  /** Memory in MB. @default 512 */
  readonly memorySize?: number;
  /** Environment variables (names from src/config/env-names.ts). */
  readonly environment: Record<string, string>;
  /** Reserved concurrency. @default - none (account pool) */
  readonly reservedConcurrentExecutions?: number;
  /** Log retention. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Receives events of asynchronous invocations that failed every retry. @default - none */
  readonly deadLetterQueue?: sqs.IQueue;
  /** What the function does, shown in the console. */
  readonly description: string;
}

/** A Node 24 ARM64 Lambda bundled by esbuild as minified ESM, with its own log group and a role that can write only to it. */
export class NewsbriefFunction extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role (grants are added by the owner of each resource). */
  readonly role: iam.Role;
  /** Its log group, created explicitly so that retention applies from the first invocation. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NewsbriefFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy may create and write any log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    // Off unless `-c sourceMaps=true`: --enable-source-maps makes every Error's stack trace cost a source-map
    // lookup (the SDK creates errors on every conditional-check failure), and the maps double the bundle.
    const sourceMaps = sourceMapsFromContext((key) => this.node.tryGetContext(key));
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      // With sourceMaps on, stack traces in the logs point at the TypeScript sources.
      environment: { ...functionNodeOptions({ sourceMaps }), ...props.environment },
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 } : {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: functionBundling({ sourceMaps }),
    });
  }
}
