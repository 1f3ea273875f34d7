#!/usr/bin/env -S npx tsx
/**
 * The newsbrief CDK app: one stack, checked by cdk-nag's AwsSolutions rules at every synth.
 * Configure with context (cdk.json or `-c key=value`): see docs/deploy.md.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ListsFileError } from '../lib/lists-file.js';
import { NewsbriefStack } from '../lib/newsbrief-stack.js';
import { loadStackConfig, StackConfigError } from '../lib/stack-config.js';

const app = new App();
try {
  const config = loadStackConfig((key) => app.node.tryGetContext(key));
  new NewsbriefStack(app, 'Newsbrief', {
    config,
    description: 'newsbrief: drop a brief in a bucket, every subscriber gets one email through SES',
    // Environment-agnostic: deploys to whatever account and region the CLI credentials name.
  });
} catch (error) {
  // A configuration mistake is one clear line, not a stack trace.
  if (error instanceof StackConfigError || error instanceof ListsFileError) {
    console.error(`newsbrief: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
