import { Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PREFIX } from '../src/config/bucket-layout.js';

/** Options of the web archive. */
export interface WebArchiveProps {
  /** The briefs bucket (private; the archive lives under archive/). */
  readonly bucket: s3.IBucket;
  /** A custom domain (e.g. archive.news.example.com) and its ACM certificate in us-east-1; both or neither. */
  readonly domainName?: string | undefined;
  readonly certificateArn?: string | undefined;
}

/**
 * The public web archive: a CloudFront distribution reading only `archive/` of the private bucket through
 * Origin Access Control (SigV4-signed origin requests). The bucket policy names this distribution and
 * this prefix alone, so nothing else in the bucket (briefs, rendered issues, reports) is reachable.
 */
export class WebArchive extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<domain>`: what lists' archiveBaseUrl should be (`<url>/<list>/<id>.html`). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebArchiveProps) {
    super(scope, id);
    const { bucket } = props;
    if (Boolean(props.domainName) !== Boolean(props.certificateArn))
      throw new Error('WebArchive: give both domainName and certificateArn, or neither');

    const oac = new cloudfront.CfnOriginAccessControl(this, 'OriginAccessControl', {
      originAccessControlConfig: {
        name: `${this.node.addr}-archive`.slice(0, 64),
        description: 'newsbrief web archive: CloudFront signs its reads of archive/',
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
      },
    });
    // The minimum TLS version can only be pinned with a custom certificate; the default *.cloudfront.net one has a fixed policy.
    const custom =
      props.domainName && props.certificateArn
        ? {
            domainNames: [props.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {};

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'newsbrief web archive (archive/ of the briefs bucket)',
      defaultBehavior: {
        origin: new ArchiveOrigin(bucket, oac.attrId),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      ...custom,
    });
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsArchiveOnly',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${PREFIX.archive}*`)],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.distributionArn } },
      }),
    );

    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'A public newsletter archive is meant for readers in every country: no geo restriction.' },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static, public, read-only pages (GET/HEAD only, cached) with no forms or input: a WAF would protect nothing; add one for a rate-based rule if abuse appears.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          "Standard CloudFront logs need an ACL-enabled bucket; origin fetches are already in the briefs bucket's server access logs, and the pages carry no personal data.",
      },
      ...(props.domainName
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security policy cannot be set; with domainName/certificateArn it is TLSv1.2_2021 (docs/deploy.md).',
            },
          ]),
    );
  }
}

/**
 * The S3 origin with our OAC. S3BucketOrigin.withOriginAccessControl would grant CloudFront every object
 * of the bucket (`bucket/*`); this one adds no policy, and WebArchive grants `archive/*` alone.
 */
class ArchiveOrigin extends origins.S3BucketOrigin {
  constructor(
    bucket: s3.IBucket,
    private readonly oacId: string,
  ) {
    // The origin path is the prefix without its slash: archive/<list>/<id>.html is served as /<list>/<id>.html.
    super(bucket, { originPath: `/${PREFIX.archive.replace(/\/$/, '')}` });
  }

  override bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const config = super.bind(scope, options);
    return { ...config, originProperty: { ...config.originProperty!, originAccessControlId: this.oacId } };
  }

  // With OAC the legacy OAI field is present and empty.
  protected override renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }
}
