import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { dmarcRecordValue, loadSenderIdentityConfig } from '../../lib/sender-identity.js';
import { skipWithout, toolPath } from '../support/test-tools.js';
import { buildStack } from './synth-stack.js';

const ZONE = { senderDomain: 'news.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };

function recordSets(template: Template): Array<{ Type: string; Name: unknown; ResourceRecords: unknown[] }> {
  return Object.values(template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties as never);
}

function outputs(template: Template): Record<string, { Value: unknown }> {
  return template.toJSON().Outputs as Record<string, { Value: unknown }>;
}

describe('sender identity with a Route 53 hosted zone', () => {
  it('creates the domain identity with 2048-bit Easy DKIM and a custom MAIL FROM domain', () => {
    const template = Template.fromStack(buildStack(ZONE).stack);
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'news.example.com',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: 'bounce.news.example.com', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
  });

  it('writes the three DKIM CNAMEs, the MAIL FROM MX and SPF, and DMARC p=none into the zone', () => {
    const template = Template.fromStack(buildStack(ZONE).stack);
    const records = recordSets(template);
    expect(records.filter((r) => r.Type === 'CNAME')).toHaveLength(3);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Type: 'MX',
      Name: 'bounce.news.example.com.',
      ResourceRecords: [{ 'Fn::Join': ['', ['10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']] }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'TXT',
      Name: 'bounce.news.example.com.',
      ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'TXT',
      Name: '_dmarc.news.example.com.',
      ResourceRecords: ['"v=DMARC1; p=none"'],
    });
    expect(Object.keys(outputs(template)).filter((k) => k.startsWith('SenderDns'))).toEqual([]);
  });

  it('puts the records of a subdomain sender into the parent zone, with the DMARC policy and report address asked for', () => {
    const template = Template.fromStack(
      buildStack({
        ...ZONE,
        hostedZoneName: 'example.com',
        dmarcPolicy: 'quarantine',
        dmarcReportEmail: 'dmarc@example.com',
        mailFromDomain: 'mail.news.example.com',
      }).stack,
    );
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'news.example.com' });
    expect(recordSets(template).filter((r) => r.Type === 'CNAME')).toHaveLength(3);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'TXT',
      Name: '_dmarc.news.example.com.',
      ResourceRecords: ['"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'MX', Name: 'mail.news.example.com.' });
  });

  it('writes no DMARC record when one is managed elsewhere (dmarcPolicy=external)', () => {
    const template = Template.fromStack(buildStack({ ...ZONE, dmarcPolicy: 'external' }).stack);
    expect(recordSets(template).map((r) => r.Name)).not.toContain('_dmarc.news.example.com.');
    expect(recordSets(template)).toHaveLength(5);
  });

  it('passes cdk-nag AwsSolutions', () => {
    const { app } = buildStack({ ...ZONE, alarmEmail: 'ops@example.com', maxSendRate: '14' });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string }[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  });

  it.skipIf(skipWithout('cfn-lint'))("passes cfn-lint (W3005, CDK's redundant DependsOn, ignored)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'newsbrief-sender-lint-')), 'Newsbrief.template.json');
    writeFileSync(file, JSON.stringify(Template.fromStack(buildStack({ ...ZONE, hostedZoneName: 'example.com' }).stack).toJSON()));
    const run = await promisify(execFile)(toolPath('cfn-lint'), [file, '--ignore-checks', 'W3005'], { encoding: 'utf8' }).then(
      () => ({ status: 0, output: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ status: error.code, output: `${error.stdout}${error.stderr}` }),
    );
    expect(run.status, run.output).toBe(0);
  });
});

describe('sender identity without a hosted zone', () => {
  it('creates the identity, writes no DNS record, and outputs every record to add', () => {
    const template = Template.fromStack(buildStack({ senderDomain: 'news.example.com' }).stack);
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    const out = outputs(template);
    const identityId = Object.keys(template.findResources('AWS::SES::EmailIdentity'))[0]!;
    expect(out.SenderDnsDkim1?.Value).toEqual({
      'Fn::Join': [
        ' ',
        [{ 'Fn::GetAtt': [identityId, 'DkimDNSTokenName1'] }, 'CNAME', { 'Fn::GetAtt': [identityId, 'DkimDNSTokenValue1'] }],
      ],
    });
    expect(out.SenderDnsDkim3).toBeDefined();
    expect(out.SenderDnsMailFromMx?.Value).toEqual({
      'Fn::Join': ['', ['bounce.news.example.com MX 10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']],
    });
    expect(out.SenderDnsMailFromSpf?.Value).toBe('bounce.news.example.com TXT "v=spf1 include:amazonses.com ~all"');
    expect(out.SenderDnsDmarc?.Value).toBe('_dmarc.news.example.com TXT "v=DMARC1; p=none"');
    expect(out.SenderDomain?.Value).toBe('news.example.com');
    expect(out.KeysSecretArn).toBeDefined();
  });

  it('says at synth which records to add', () => {
    const { stack } = buildStack({ senderDomain: 'news.example.com' });
    Annotations.fromStack(stack).hasInfo(
      '/Newsbrief/Sender',
      Match.stringLikeRegexp('_dmarc.news.example.com TXT "v=DMARC1; p=none".*newsbrief doctor --stack Newsbrief'),
    );
  });

  it('creates nothing for an identity made outside the stack (senderIdentity=external)', () => {
    const template = Template.fromStack(buildStack({ senderIdentity: 'external' }).stack);
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(Object.keys(outputs(template)).filter((k) => k.startsWith('SenderDns'))).toEqual([]);
    expect(outputs(template).SenderDomain?.Value).toBe('news.example.com');
  });
});

describe('sender identity context', () => {
  const load = (context: Record<string, unknown>) => loadSenderIdentityConfig((key) => context[key], 'news.example.com');

  it('defaults to a stack-made identity, bounce.<domain> and DMARC p=none, with no zone', () => {
    expect(load({})).toEqual({
      domain: 'news.example.com',
      managed: true,
      mailFromDomain: 'bounce.news.example.com',
      dmarc: { policy: 'none' },
    });
  });

  it('accepts a zone id as the console shows it', () => {
    expect(load({ hostedZoneId: '/hostedzone/Z0123' }).hostedZone).toEqual({ id: 'Z0123', name: 'news.example.com' });
  });

  it.each([
    [{ hostedZoneId: 'zone-1' }, /"hostedZoneId"/],
    [{ hostedZoneId: 'Z1', hostedZoneName: 'other.org' }, /"hostedZoneName".*parent domain/],
    [{ hostedZoneName: 'example.com' }, /"hostedZoneName" needs "hostedZoneId"/],
    [{ mailFromDomain: 'bounce.other.org' }, /"mailFromDomain".*subdomain of news.example.com/],
    [{ mailFromDomain: 'news.example.com' }, /"mailFromDomain"/],
    [{ dmarcPolicy: 'strict' }, /"dmarcPolicy".*none, quarantine, reject or external/],
    [{ dmarcReportEmail: 'not an address' }, /"dmarcReportEmail"/],
    [{ senderIdentity: 'manual' }, /"senderIdentity".*stack or external/],
  ])('refuses %j with a line naming the key', (context, message) => {
    expect(() => load(context)).toThrow(message);
  });

  it('fails synth with that line', () => {
    expect(() => buildStack({ dmarcPolicy: 'strict' })).toThrow(/Context "dmarcPolicy"/);
  });

  it('builds the DMARC value with the report address', () => {
    expect(dmarcRecordValue({ policy: 'reject', reportEmail: 'r@example.com' })).toBe('v=DMARC1; p=reject; rua=mailto:r@example.com');
  });
});
