/** Shared setup of the infra tests: the stack as `cdk synth` builds it, minus bundling. */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NewsbriefStack, type NewsbriefStackProps } from '../../lib/newsbrief-stack.js';
import { loadStackConfig } from '../../lib/stack-config.js';

/** The context of cdk.json, so tests see the same feature flags and defaults as `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** An App configured like the real one; bundling is skipped (asset code is not needed for template checks). */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] } });
}

/** Builds the stack with cdk.json context plus `context` overrides; returns the app and stack. */
export function buildStack(context: Record<string, unknown> = {}, props: Partial<NewsbriefStackProps> = {}) {
  const app = testApp(context);
  const config = loadStackConfig((key) => app.node.tryGetContext(key));
  const stack = new NewsbriefStack(app, 'Newsbrief', { config, ...props });
  return { app, stack };
}

/** The synthesized template of the stack built with `context`. */
export function synthTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(buildStack(context).stack);
}

/** A CloudFormation resource as it appears in the template JSON. */
export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, any>;
}

/** Finds the logical id in `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }`. */
export function referencedId(value: unknown): string | undefined {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v?.Ref ?? v?.['Fn::GetAtt']?.[0];
}
