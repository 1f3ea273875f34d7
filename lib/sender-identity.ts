/**
 * The SES sending identity as code: the domain identity with Easy DKIM, a custom MAIL FROM domain and a DMARC
 * record. With a Route 53 hosted zone (context `hostedZoneId`) the stack writes every record into it; without
 * one it outputs them, exact, for whoever runs the domain's DNS. `newsbrief doctor` checks the result.
 */
import { Annotations, CfnOutput, Fn, Stack, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { type ContextGetter, invalid, optionalString, StackConfigError } from './stack-config.js';

/** The CDK context keys of the sender identity, with what each accepts (docs/deploy.md, "Sender identity"). */
export const SENDER_IDENTITY_CONTEXT_KEYS = {
  /** `stack` (default): this stack creates the SES identity of senderDomain; `external`: it exists already (made by hand or elsewhere) and the stack creates nothing for it. */
  senderIdentity: 'senderIdentity',
  /** Optional Route 53 public hosted zone id (e.g. Z0123456789ABC) of senderDomain or a parent of it: the stack writes the DKIM, MAIL FROM and DMARC records there. */
  hostedZoneId: 'hostedZoneId',
  /** The name of that zone; defaults to senderDomain. */
  hostedZoneName: 'hostedZoneName',
  /** Custom MAIL FROM domain (a subdomain of senderDomain, used for nothing else); defaults to bounce.<senderDomain>. */
  mailFromDomain: 'mailFromDomain',
  /** DMARC policy of the record at _dmarc.<senderDomain>: none (default), quarantine, reject, or external (a record is managed elsewhere: none is written). */
  dmarcPolicy: 'dmarcPolicy',
  /** Optional address that receives DMARC aggregate reports (rua=mailto:…). */
  dmarcReportEmail: 'dmarcReportEmail',
} as const;

/** The DMARC policies a record can ask receivers to apply. */
export const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;
/** What receivers do with mail that fails DMARC. */
export type DmarcPolicy = (typeof DMARC_POLICIES)[number];

/** The validated sender-identity configuration. */
export interface SenderIdentityConfig {
  /** The SES domain identity (StackConfig.senderDomain). */
  readonly domain: string;
  /** False when the identity is made outside this stack (context senderIdentity=external). */
  readonly managed: boolean;
  /** The public hosted zone the records go into; undefined: the records are stack outputs. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
  /** The custom MAIL FROM domain. */
  readonly mailFromDomain: string;
  /** The DMARC record to write or output; undefined: managed elsewhere. */
  readonly dmarc?: { readonly policy: DmarcPolicy; readonly reportEmail?: string };
}

/** One DNS record as a zone file would carry it, with what it is for (its stack output is `SenderDns<purpose>`). */
export interface DnsRecord {
  readonly purpose: 'MailFromMx' | 'MailFromSpf' | 'Dmarc';
  readonly name: string;
  readonly type: 'CNAME' | 'MX' | 'TXT';
  readonly value: string;
}

// Same shapes as lib/stack-config.ts: RFC 1123 names with at least one dot, and a deliberately loose address.
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;
// Route 53 zone ids are upper-case letters and digits; the console and the API also show them as /hostedzone/<id>.
const ZONE_ID = /^[A-Z0-9]{1,32}$/;

/** Validates the sender-identity context for `domain` (already validated senderDomain); throws StackConfigError naming the key. */
export function loadSenderIdentityConfig(context: ContextGetter, domain: string): SenderIdentityConfig {
  const keys = SENDER_IDENTITY_CONTEXT_KEYS;
  const mode = optionalString(context, keys.senderIdentity) ?? 'stack';
  if (mode !== 'stack' && mode !== 'external') throw invalid(keys.senderIdentity, mode, 'stack or external');

  const zoneIdRaw = optionalString(context, keys.hostedZoneId);
  const zoneId = zoneIdRaw?.replace(/^\/?hostedzone\//, '');
  if (zoneId !== undefined && !ZONE_ID.test(zoneId))
    throw invalid(keys.hostedZoneId, zoneIdRaw, 'a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ');
  const zoneName = optionalString(context, keys.hostedZoneName)?.toLowerCase().replace(/\.$/, '');
  if (zoneName !== undefined && zoneId === undefined) {
    throw new StackConfigError(
      `Context "${keys.hostedZoneName}" needs "${keys.hostedZoneId}" too (the zone's id, from \`aws route53 list-hosted-zones-by-name\`).`,
    );
  }
  if (zoneName !== undefined && !(DOMAIN.test(zoneName) && isWithin(domain, zoneName))) {
    throw invalid(keys.hostedZoneName, zoneName, `the zone of ${domain} or of a parent domain of it`);
  }

  const mailFromDomain = (optionalString(context, keys.mailFromDomain) ?? `bounce.${domain}`).toLowerCase();
  if (!DOMAIN.test(mailFromDomain) || mailFromDomain === domain || !isWithin(mailFromDomain, domain)) {
    throw invalid(keys.mailFromDomain, mailFromDomain, `a subdomain of ${domain} used for nothing else, e.g. bounce.${domain}`);
  }

  const policy = optionalString(context, keys.dmarcPolicy) ?? 'none';
  if (policy !== 'external' && !(DMARC_POLICIES as readonly string[]).includes(policy)) {
    throw invalid(keys.dmarcPolicy, policy, `${DMARC_POLICIES.join(', ')} or external`);
  }
  const reportEmail = optionalString(context, keys.dmarcReportEmail);
  if (reportEmail !== undefined && !EMAIL.test(reportEmail))
    throw invalid(keys.dmarcReportEmail, reportEmail, 'an e-mail address, e.g. dmarc@example.com');

  return {
    domain,
    managed: mode === 'stack',
    ...(zoneId !== undefined ? { hostedZone: { id: zoneId, name: zoneName ?? domain } } : {}),
    mailFromDomain,
    ...(policy !== 'external' ? { dmarc: { policy: policy as DmarcPolicy, ...(reportEmail !== undefined ? { reportEmail } : {}) } } : {}),
  };
}

/** The DMARC TXT value for a policy: relaxed alignment, so that mail from subdomains and the MAIL FROM domain aligns. */
export function dmarcRecordValue(dmarc: { readonly policy: DmarcPolicy; readonly reportEmail?: string }): string {
  return ['v=DMARC1', `p=${dmarc.policy}`, ...(dmarc.reportEmail ? [`rua=mailto:${dmarc.reportEmail}`] : [])].join('; ');
}

/** The records of the MAIL FROM domain and of DMARC, known at synth (DKIM's come from SES at deploy). `region` may be a token. */
export function senderDnsRecords(config: SenderIdentityConfig, region: string): DnsRecord[] {
  return [
    // SES's own MX and SPF values for a custom MAIL FROM domain (SES developer guide, "Using a custom MAIL FROM domain").
    { purpose: 'MailFromMx', name: config.mailFromDomain, type: 'MX', value: `10 feedback-smtp.${region}.amazonses.com` },
    { purpose: 'MailFromSpf', name: config.mailFromDomain, type: 'TXT', value: 'v=spf1 include:amazonses.com ~all' },
    ...(config.dmarc
      ? [{ purpose: 'Dmarc' as const, name: `_dmarc.${config.domain}`, type: 'TXT' as const, value: dmarcRecordValue(config.dmarc) }]
      : []),
  ];
}

/** The SES identity of the sender domain, its DKIM and MAIL FROM, and DMARC: written to Route 53, or listed as stack outputs. */
export class SenderIdentity extends Construct {
  /** The identity; undefined when it is made outside the stack (senderIdentity=external). */
  readonly emailIdentity?: ses.EmailIdentity;

  constructor(scope: Construct, id: string, config: SenderIdentityConfig) {
    super(scope, id);
    const stack = Stack.of(this);
    new CfnOutput(stack, 'SenderDomain', {
      value: config.domain,
      description: 'The SES identity every list sends from (newsbrief doctor checks it)',
    });
    if (!config.managed) return;

    const zone = config.hostedZone
      ? route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: config.hostedZone.id,
          zoneName: config.hostedZone.name,
        })
      : undefined;
    this.emailIdentity = new ses.EmailIdentity(this, 'Identity', {
      // Identity.publicHostedZone names the zone's apex; the sender domain may sit below it, so name it ourselves.
      identity: zone
        ? zone.zoneName === config.domain
          ? ses.Identity.publicHostedZone(zone)
          : new DomainInZone(config.domain, zone)
        : ses.Identity.domain(config.domain),
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: config.mailFromDomain,
      // Without the MX record SES would fall back to amazonses.com: mail still goes out, SPF just stops aligning.
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
    new CfnOutput(stack, 'MailFromDomain', { value: config.mailFromDomain, description: 'Custom MAIL FROM domain of the SES identity' });

    if (zone) {
      // The MAIL FROM MX and SPF records come with ses.EmailIdentity when it has a zone; DMARC is ours.
      if (config.dmarc)
        new route53.TxtRecord(this, 'Dmarc', { zone, recordName: `_dmarc.${config.domain}`, values: [dmarcRecordValue(config.dmarc)] });
      return;
    }
    const identity = this.emailIdentity;
    const dkim = [
      [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
      [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
      [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
    ] as const;
    dkim.forEach(([name, value], i) => {
      new CfnOutput(stack, `SenderDnsDkim${i + 1}`, {
        value: Fn.join(' ', [name, 'CNAME', value]),
        description: `DNS record to add for Easy DKIM (${i + 1} of 3): name, type, value`,
      });
    });
    for (const record of senderDnsRecords(config, stack.region)) {
      new CfnOutput(stack, `SenderDns${record.purpose}`, {
        value: zoneLine(record),
        description: 'DNS record to add for the sender domain: name, type, value',
      });
    }
    // Synth cannot know the DKIM tokens (SES makes them at deploy), so the note points at the outputs for those.
    const region = Token.isUnresolved(stack.region) ? '<region>' : stack.region;
    const listed = senderDnsRecords(config, region).map(zoneLine);
    Annotations.of(this).addInfo(
      `No context "hostedZoneId": add the DNS records of ${config.domain} by hand (exact values in the stack outputs SenderDns*): ` +
        `3 DKIM CNAMEs from SES, ${listed.join('; ')}. Then run \`newsbrief doctor --stack ${stack.stackName}\`.`,
    );
  }
}

// A domain in a public hosted zone of a parent domain: Easy DKIM and MAIL FROM write their records into that zone.
class DomainInZone extends ses.Identity {
  constructor(
    readonly value: string,
    readonly hostedZone: route53.IPublicHostedZone,
  ) {
    super();
  }
}

/** `name type value`, a TXT value quoted as zone files and DNS consoles show it. */
export function zoneLine(record: DnsRecord): string {
  return `${record.name} ${record.type} ${record.type === 'TXT' ? `"${record.value}"` : record.value}`;
}

function isWithin(name: string, parent: string): boolean {
  return name === parent || name.endsWith(`.${parent}`);
}
