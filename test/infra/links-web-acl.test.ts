/** The optional WAF rate rule on the public endpoints: a web ACL given by ARN, on the links distribution only. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackConfigError } from '../../lib/stack-config.js';
import { buildStack, synthTemplate } from './synth-stack.js';

const LINKS = { linksDomain: 'links.example.org', linksCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/def-456' };
const ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/newsbrief-links/1a2b3c4d-5e6f-7a8b-9c0d-112233445566';

describe('a WAF web ACL on the public links', () => {
  it('is attached to the links distribution, and to no other', () => {
    const template = synthTemplate({ ...LINKS, linksWebAclArn: ACL });
    const distributions = Object.values(template.findResources('AWS::CloudFront::Distribution')) as {
      Properties: { DistributionConfig: { Aliases?: string[]; WebACLId?: string } };
    }[];
    const withAcl = distributions.filter((d) => d.Properties.DistributionConfig.WebACLId === ACL);
    expect(withAcl.map((d) => d.Properties.DistributionConfig.Aliases)).toEqual([['links.example.org']]);
    expect(distributions.length).toBeGreaterThan(1);
  });

  it('passes cdk-nag without the CFR2 acknowledgement it replaces', () => {
    const { app } = buildStack({ ...LINKS, linksWebAclArn: ACL });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const report = JSON.parse(readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string }[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  });

  it('is refused without the links domain it guards, or as anything but a CLOUDFRONT web ACL', () => {
    const config = (context: Record<string, string>) => () => loadStackConfig((key) => context[key]);
    expect(config({ linksWebAclArn: ACL })).toThrow(StackConfigError);
    expect(config({ ...LINKS, linksWebAclArn: ACL.replace('us-east-1', 'eu-west-1').replace('global', 'regional') })).toThrow(
      /linksWebAclArn.*CLOUDFRONT/,
    );
  });
});
