import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildStack, testApp } from './synth-stack.js';

// cdk-nag 3 is a policy-validation plugin: findings fail app.synth() (vitest sets NODE_ENV=test, so the CDK
// throws with the report), and the cloud assembly keeps validation-report.json listing unacknowledged findings.
function violationsIn(assemblyDirectory: string): string[] {
  const report = JSON.parse(readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs?: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap((r) =>
    r.violations.map((v) => `${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    const { app } = buildStack({ alarmEmail: 'ops@example.com', maxSendRate: '14' });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    expect(violationsIn(assembly.directory)).toEqual([]);
  });

  it('finds nothing unacknowledged with custom domains for the links and the archive', () => {
    const { app } = buildStack({
      linksDomain: 'links.example.org',
      linksCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/def-456',
      archiveDomain: 'archive.example.org',
      archiveCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    expect(violationsIn(assembly.directory)).toEqual([]);
  });

  it('is really checking: an unacknowledged finding fails synth', () => {
    const app = testApp();
    new secretsmanager.Secret(new Stack(app, 'Probe'), 'Unrotated');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SMG4/);
  });
});
