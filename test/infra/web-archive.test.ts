import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { WebArchive } from '../../lib/web-archive.js';
import { referencedId, synthTemplate, testApp } from './synth-stack.js';

describe('web archive', () => {
  const template = synthTemplate();
  const [distributionId, distribution] = Object.entries(template.findResources('AWS::CloudFront::Distribution'))[0]!;
  const config = distribution.Properties.DistributionConfig;

  it('serves archive/ of the private briefs bucket through CloudFront with origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const [origin] = config.Origins;
    expect(origin.OriginPath).toBe('/archive');
    expect(referencedId(origin.OriginAccessControlId)).toMatch(/^ArchiveOriginAccessControl/);
    expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(referencedId(origin.DomainName)).toMatch(/^BriefsBucket/);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('redirects to HTTPS, reads only, has a default root object', () => {
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('lets CloudFront read archive/* only, for this distribution only; the bucket stays private', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: {
              'Fn::Join': ['', [Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^BriefsBucket'), 'Arn'] }), '/archive/*']],
            },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Principal?: unknown; Effect: string }[]);
    const allows = statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal ?? '').includes('cloudfront'));
    expect(allows).toHaveLength(1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it("outputs the archive URL that lists' archiveBaseUrl should name", () => {
    const output = template.findOutputs('ArchiveUrl').ArchiveUrl!;
    expect(JSON.stringify(output.Value)).toContain(distributionId);
  });

  it('pins TLSv1.2_2021 on a custom domain', () => {
    const stack = new Stack(testApp(), 'Probe');
    new WebArchive(stack, 'Archive', {
      bucket: new s3.Bucket(stack, 'Bucket') as s3.IBucket, // CDK's Bucket misses its own IBucket under exactOptionalPropertyTypes
      domainName: 'archive.news.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['archive.news.example.com'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      }),
    });
  });
});
