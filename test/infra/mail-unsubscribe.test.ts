/** The `mailto:` unsubscribe on AWS: served by a receipt rule where a mailbox is configured, advertised nowhere else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackConfigError } from '../../lib/stack-config.js';
import { ENV } from '../../src/config/env-names.js';
import { buildStack, type CfnResourceJson, synthTemplate } from './synth-stack.js';

const MAILBOX = 'unsubscribe@news.example.com';

function functionEnvironments(resources: Record<string, Record<string, unknown>>): Record<string, unknown>[] {
  return (Object.values(resources) as unknown as CfnResourceJson[])
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => (r.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>);
}

describe('mail unsubscribes', () => {
  it('without a mailbox: no receipt rule, and no function is told of a mailbox (so no message carries a mailto)', () => {
    const template = synthTemplate();
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    for (const environment of functionEnvironments(template.findResources('AWS::Lambda::Function'))) {
      expect(environment[ENV.unsubscribeMailbox]).toBeUndefined();
    }
  });

  it('with a mailbox: a receipt rule invokes the function, and every function composes with that mailbox', () => {
    const template = synthTemplate({ unsubscribeMailbox: MAILBOX });
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        ScanEnabled: true,
        Recipients: [MAILBOX],
        Actions: [{ LambdaAction: Match.objectLike({ InvocationType: 'Event' }) }],
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'ses.amazonaws.com',
      SourceAccount: Match.anyValue(),
    });
    const environments = functionEnvironments(template.findResources('AWS::Lambda::Function'));
    const sendLike = environments.filter((e) => e[ENV.configurationSet] !== undefined);
    expect(sendLike.length).toBeGreaterThan(0);
    for (const environment of sendLike) expect(environment[ENV.unsubscribeMailbox]).toBe(MAILBOX);
    template.hasOutput('ActivateReceiptRuleSet', {
      Value: Match.stringLikeRegexp('^aws ses set-active-receipt-rule-set --rule-set-name '),
    });
    template.hasOutput('UnsubscribeMailboxMx', { Value: Match.anyValue() });
  });

  it('adds its rule to an existing active rule set when told, creating none', () => {
    const template = synthTemplate({ unsubscribeMailbox: MAILBOX, receiptRuleSetName: 'inbound-main' });
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    template.hasResourceProperties('AWS::SES::ReceiptRule', { RuleSetName: 'inbound-main' });
    expect(Object.keys(template.findOutputs('ActivateReceiptRuleSet'))).toEqual([]);
  });

  it('refuses a malformed mailbox and a rule set without a mailbox, naming the key', () => {
    expect(() => loadStackConfig((key) => ({ unsubscribeMailbox: 'not an address' })[key])).toThrow(/unsubscribeMailbox/);
    expect(() => loadStackConfig((key) => ({ receiptRuleSetName: 'inbound-main' })[key])).toThrow(StackConfigError);
  });

  it('passes cdk-nag with the receipt rule and its function', () => {
    const { app } = buildStack({ unsubscribeMailbox: MAILBOX });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string }[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  });
});
