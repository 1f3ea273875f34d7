/** Lists are data: synth with any number of lists, no list data in any environment, this stack's own endpoints as links. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import { buildStack, type CfnResourceJson, referencedId } from './synth-stack.js';

const example = (JSON.parse(readFileSync('config/lists.json', 'utf8')) as { lists: Record<string, unknown>[] }).lists[0]!;

/** Writes a lists file of `count` lists (ids list-0…), each with `extra` fields; returns its path. */
function listsFile(count: number, extra: Record<string, unknown> = {}): string {
  const lists = Array.from({ length: count }, (_, i) => ({
    ...example,
    id: `list-${i}`,
    displayName: `Newsletter number ${i}`,
    from: `Newsletter ${i} <list-${i}@news.example.com>`,
    ...extra,
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'newsbrief-lists-')), 'lists.json');
  writeFileSync(file, JSON.stringify({ lists }));
  return file;
}

function functionsOf(template: Template): [string, CfnResourceJson][] {
  const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
  // NewsbriefFunctions only: CDK's own singletons (bucket notifications, the seeding provider) carry no environment of ours.
  return Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'newsbrief',
  );
}
const variablesOf = (fn: CfnResourceJson) => fn.Properties!.Environment.Variables as Record<string, unknown>;

describe('lists as data', () => {
  it('synthesizes 100 lists: seeded by put-if-absent, and no function environment carries list data', () => {
    const started = performance.now();
    const { stack } = buildStack({ listsFile: listsFile(100) });
    const template = Template.fromStack(stack);
    const ms = performance.now() - started;
    console.log(`synth with 100 lists (no bundling): ${Math.round(ms)} ms`);

    const functions = functionsOf(template);
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [id, fn] of functions) {
      const text = JSON.stringify(variablesOf(fn));
      expect(variablesOf(fn), id).not.toHaveProperty(ENV.listsJson);
      expect(variablesOf(fn)[ENV.listsTable], id).toBe('Newsbrief-lists');
      expect(text, id).not.toMatch(/list-\d|Newsletter number/);
    }
    // 100 lists in batches of 25 PartiQL INSERTs: an existing item refuses its INSERT, so nothing edited since is overwritten.
    const seeds = Object.values(template.toJSON().Resources as Record<string, CfnResourceJson>).filter((r) => r.Type === 'Custom::AWS');
    expect(seeds).toHaveLength(4);
    const statements = seeds.flatMap((r) => JSON.parse(JSON.stringify(r.Properties!.Create)).match(/INSERT INTO/g) ?? []);
    expect(statements).toHaveLength(100);
    for (const seed of seeds) {
      const create = JSON.stringify(seed.Properties!.Create);
      expect(create).toContain('BatchExecuteStatement');
      expect(create).not.toMatch(/PutItem|BatchWriteItem|UPDATE /);
      expect(seed.Properties!.Update).toEqual(seed.Properties!.Create);
    }
  });

  it('lets each function Scan the lists table and nothing more on it', () => {
    const template = Template.fromStack(buildStack().stack);
    const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
    const tableId = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::DynamoDB::Table' && r.Properties!.TableName === 'Newsbrief-lists',
    )![0];
    const onListsTable = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties!.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((s) => [s.Resource].flat().some((r) => referencedId(r) === tableId));
    expect(onListsTable.length).toBeGreaterThanOrEqual(7);
    expect(new Set(onListsTable.flatMap((s) => [s.Action].flat()))).toEqual(new Set(['dynamodb:Scan', 'dynamodb:PartiQLInsert']));
  });

  it("gives lists that set no URLs this stack's own endpoints: the unsubscribe function URL and the archive's CloudFront domain", () => {
    const template = Template.fromStack(buildStack().stack);
    const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
    const unsubscribeUrlId = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Url' && id.startsWith('LifecycleUnsubscribe'),
    )![0];
    const distributionId = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::CloudFront::Distribution' && id.startsWith('Archive'),
    )![0];
    for (const [id, fn] of functionsOf(template)) {
      const variables = variablesOf(fn);
      expect(variables[ENV.archiveUrl], id).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
      // A function cannot carry its own URL (a circular reference): the unsubscribe function goes without.
      if (id.startsWith('LifecycleUnsubscribe')) expect(variables, id).not.toHaveProperty(ENV.unsubscribeUrl);
      else expect(variables[ENV.unsubscribeUrl], id).toEqual({ 'Fn::GetAtt': [unsubscribeUrlId, 'FunctionUrl'] });
    }
  });

  it('gives them the custom domains when they are configured', () => {
    const template = Template.fromStack(
      buildStack({
        archiveDomain: 'archive.example.org',
        archiveCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
        linksDomain: 'links.example.org',
        linksCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/def-456',
      }).stack,
    );
    for (const [id, fn] of functionsOf(template)) {
      const variables = variablesOf(fn);
      expect(variables[ENV.archiveUrl], id).toBe('https://archive.example.org');
      expect(variables[ENV.confirmUrl], id).toBe('https://links.example.org/confirm');
      if (!id.startsWith('LifecycleUnsubscribe')) expect(variables[ENV.unsubscribeUrl], id).toBe('https://links.example.org/unsubscribe');
    }
    template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: { Aliases: ['archive.example.org'] } });
    // The links' distribution passes every method and the body through, caches nothing, and never redirects a POST.
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['links.example.org'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/unsubscribe*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: Match.arrayWith(['POST']),
          }),
        ],
      }),
    });
  });

  it('refuses a custom domain without its us-east-1 certificate', () => {
    expect(() => buildStack({ linksDomain: 'links.example.org' })).toThrow(/Context "linksCertificateArn"/);
    expect(() =>
      buildStack({ linksDomain: 'links.example.org', linksCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' }),
    ).toThrow(/us-east-1/);
  });

  it('warns at synth when a list still links to the example site, and not otherwise', () => {
    const warned = Annotations.fromStack(
      buildStack({ listsFile: listsFile(2, { archiveBaseUrl: 'https://news.example.com/archive' }) }).stack,
    );
    expect(
      warned.findWarning('*', Match.stringLikeRegexp('list "list-1" sets archiveBaseUrl to https://news.example.com/archive')),
    ).toHaveLength(1);
    const clean = Annotations.fromStack(buildStack().stack);
    expect(clean.findWarning('*', Match.stringLikeRegexp('example site'))).toEqual([]);
  });

  it('conditions SendRawEmail on the fromDomains context, by default the seed lists domains', () => {
    const fromAddresses = (context: Record<string, unknown>) =>
      Object.values(Template.fromStack(buildStack(context).stack).toJSON().Resources as Record<string, CfnResourceJson>)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap((p) => p.Properties!.PolicyDocument.Statement as { Action: unknown; Condition?: any }[])
        .filter((s) => [s.Action].flat().includes('ses:SendRawEmail'))
        .map((s) => s.Condition?.StringLike?.['ses:FromAddress']);
    expect(new Set(fromAddresses({}).map((v) => JSON.stringify(v)))).toEqual(new Set([JSON.stringify(['*@news.example.com'])]));
    const wider = fromAddresses({ fromDomains: 'news.example.com,letters.news.example.com' });
    expect(new Set(wider.map((v) => JSON.stringify(v)))).toEqual(
      new Set([JSON.stringify(['*@letters.news.example.com', '*@news.example.com'])]),
    );
    expect(() => buildStack({ fromDomains: 'other.example.org' })).toThrow(/Context "fromDomains" is "other.example.org"/);
    expect(() => buildStack({ fromDomains: 'letters.news.example.com' })).toThrow(
      /sends from news.example.com, outside context "fromDomains"/,
    );
  });
});
