import { Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** What the public links' custom domain fronts. */
export interface PublicLinksProps {
  /** e.g. `links.news.example.com`. */
  readonly domainName: string;
  /** An ACM certificate in us-east-1 covering domainName. */
  readonly certificateArn: string;
  /** The unsubscribe endpoint: `/unsubscribe` (GET page, RFC 8058 one-click POST). */
  readonly unsubscribe: lambda.IFunctionUrl;
  /** The subscribe endpoint: `/subscribe` (the form) and `/confirm` (confirmation links). */
  readonly subscribe: lambda.IFunctionUrl;
  /** A WAF web ACL (CLOUDFRONT scope, made in us-east-1) on the distribution, e.g. a rate-based rule per IP. */
  readonly webAclArn?: string | undefined;
}

/**
 * The public endpoints on your own domain: a CloudFront distribution in front of the unsubscribe and subscribe
 * function URLs (a function URL cannot have a custom domain itself). Nothing is cached, every method and the query
 * string and body pass through (the one-click unsubscribe is a POST), and the Host header is not forwarded (the
 * function URL answers only to its own). DNS: a CNAME or Route 53 alias from domainName to `distributionDomainName`.
 */
export class PublicLinks extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** Every list's default unsubscribeBaseUrl: `https://<domain>/unsubscribe`. */
  readonly unsubscribeUrl: string;
  /** Where confirmation links point: `https://<domain>/confirm`. */
  readonly confirmUrl: string;
  /** The subscribe form: `https://<domain>/subscribe?list=<id>`. */
  readonly subscribeUrl: string;

  constructor(scope: Construct, id: string, props: PublicLinksProps) {
    super(scope, id);
    const behaviour = (url: lambda.IFunctionUrl): cloudfront.BehaviorOptions => ({
      origin: new origins.FunctionUrlOrigin(url),
      // No redirect: a redirected POST would arrive as a GET and unsubscribe nobody.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `newsbrief public links (${props.domainName})`,
      domainNames: [props.domainName],
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: behaviour(props.subscribe),
      additionalBehaviors: { '/unsubscribe*': behaviour(props.unsubscribe) },
      ...(props.webAclArn !== undefined ? { webAclId: props.webAclArn } : {}),
    });
    const base = `https://${props.domainName}`;
    this.unsubscribeUrl = `${base}/unsubscribe`;
    this.confirmUrl = `${base}/confirm`;
    this.subscribeUrl = `${base}/subscribe`;

    const waf = props.webAclArn === undefined ? [cfr2WithoutWaf] : [];
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Unsubscribe and subscribe links must work for readers in every country: no geo restriction.' },
      ...waf,
      {
        id: 'AwsSolutions-CFR3',
        reason: 'Standard CloudFront logs need an ACL-enabled bucket; every request reaches a function whose own logs record it.',
      },
    );
  }
}

// Without a web ACL (context linksWebAclArn) the endpoints still bound abuse themselves.
const cfr2WithoutWaf = {
  id: 'AwsSolutions-CFR2',
  reason:
    'The endpoints verify a signed token (unsubscribe, confirm) or take a honeypot-guarded form with per-mailbox, per-list and overall confirmation budgets, behind reserved concurrency; context linksWebAclArn adds a WAF rate rule.',
};
