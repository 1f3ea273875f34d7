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
 * Packages that a function loads only on a rare path (a dynamic `import()`), bundled into a file of their own
 * beside the handler instead of into it: Lambda then parses them on first use, not on every cold start. MJML is
 * ~3.5 MiB and ~0.5 s of CPU to load, and intake and subscribe render only some of the time (a refused brief,
 * a repeated or rate-limited subscribe never render).
 */
export const LAZY_MODULES = ['mjml'] as const;

/**
 * How every function is bundled: minified ESM for Node 24 from packages' ES module builds where they have one,
 * everything bundled (the Node 24 runtime ships AWS SDK v3, but bundling our pinned version keeps behaviour
 * identical to tests) except LAZY_MODULES: afterBundling bundles each on its own into node_modules/<name>/
 * beside a handler that imports it, where the handler's `import('<name>')` finds it. bench/bundles.ts builds
 * the bench's bundles from this same object, so that what it measures is what deploys.
 */
export function functionBundling(options: { readonly sourceMaps: boolean }) {
  return {
    format: nodejs.OutputFormat.ESM,
    banner: ESM_REQUIRE_BANNER,
    target: 'node24',
    minify: true,
    sourceMap: options.sourceMaps,
    // NodejsFunction passes no main fields unless told, and esbuild then prefers packages' CommonJS builds
    // ("main"): ~320 KiB more per function than their ES module builds, which tree-shake.
    mainFields: ['module', 'main'],
    externalModules: [...LAZY_MODULES] as string[],
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) =>
        LAZY_MODULES.map((name) => lazyModuleCommand(name, { inputDir, outputDir, sourceMaps: options.sourceMaps })),
    },
  } satisfies nodejs.BundlingOptions;
}

/**
 * The shell command that bundles package `name` into `<outputDir>/node_modules/<name>/index.js` (CommonJS, as
 * the package is; minified, for Node 24) when the handler bundle imports it, with the project's own esbuild.
 * A bare `import('<name>')` left in index.mjs then resolves to it as Node resolves any package.
 */
export function lazyModuleCommand(
  name: string,
  options: { readonly inputDir: string; readonly outputDir: string; readonly sourceMaps: boolean },
): string {
  const target = `${options.outputDir}/node_modules/${name}`;
  const esbuild = [
    `"$ESBUILD"`,
    '--bundle',
    '--platform=node',
    '--format=cjs',
    '--target=node24',
    '--minify',
    '--log-level=warning',
    ...(options.sourceMaps ? ['--sourcemap'] : []),
    `--sourcefile=${name}-lazy-entry.js`,
    `--outfile=${shellQuote(`${target}/index.js`)}`,
  ].join(' ');
  // The handler names the package as a string literal wherever it imports it (esbuild keeps external specifiers).
  return [
    `if grep -qF ${shellQuote(`"${name}"`)} ${shellQuote(`${options.outputDir}/index.mjs`)}; then (set -e;`,
    `cd ${shellQuote(options.inputDir)};`,
    'ESBUILD=node_modules/.bin/esbuild; [ -x "$ESBUILD" ] || ESBUILD=esbuild;',
    `mkdir -p ${shellQuote(target)};`,
    `printf '%s' ${shellQuote(JSON.stringify({ name, private: true, main: 'index.js' }))} > ${shellQuote(`${target}/package.json`)};`,
    `printf '%s' ${shellQuote(`module.exports = require(${JSON.stringify(name)});`)} | ${esbuild}); fi`,
  ].join(' ');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
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
