/** Checks of the sender domain's SES identity: verified, DKIM signing, custom MAIL FROM. Pure: facts in, findings out. */
import { type Finding, finding } from './finding.js';
import type { IdentityFacts } from './sender-account.js';

/** Where the identity lives, for the fix commands. */
export interface IdentityScope {
  readonly domain: string;
  readonly region: string;
}

/** The Easy DKIM CNAME records of `domain`'s tokens, as a zone file would carry them. */
export function dkimRecords(domain: string, tokens: readonly string[]): string[] {
  return tokens.map((token) => `${token}._domainkey.${domain} CNAME ${token}.dkim.amazonses.com`);
}

// The three CNAMEs when SES gave their tokens, else the command that prints them.
function addDkimRecords({ domain, region }: IdentityScope, facts: IdentityFacts | undefined): string {
  const tokens = facts?.dkim?.tokens ?? [];
  const records =
    tokens.length > 0
      ? `add these DNS records: ${dkimRecords(domain, tokens).join('; ')}`
      : `add the three DKIM CNAME records that \`aws sesv2 get-email-identity --email-identity ${domain} --region ${region} --query DkimAttributes.Tokens\` lists (<token>._domainkey.${domain} CNAME <token>.dkim.amazonses.com)`;
  return `${records} (a stack deployed with -c hostedZoneId=<zone> writes them itself; they are also its outputs SenderDnsDkim1-3). SES looks for them for 72 hours.`;
}

/** The identity exists in SES and is verified for sending. */
export function checkIdentityVerified(scope: IdentityScope, facts: IdentityFacts | undefined): Finding {
  const { domain, region } = scope;
  if (!facts) {
    return finding(
      'identity',
      'fail',
      `SES in ${region} has no identity ${domain}: nothing can be sent from it.`,
      `deploy the stack (\`npx cdk deploy -c senderDomain=${domain}\` creates it), or \`aws sesv2 create-email-identity --email-identity ${domain} --region ${region}\`; check that --region is the stack's region.`,
    );
  }
  switch (facts.verification) {
    case 'Success':
      return finding('identity', 'ok', `${domain} is verified in SES (${region}).`);
    case 'Pending':
    case 'NotStarted':
      return finding(
        'identity',
        'fail',
        `${domain} is not verified yet: SES has not found its DKIM records.`,
        addDkimRecords(scope, facts),
      );
    case 'TemporaryFailure':
      return finding(
        'identity',
        'fail',
        `${domain} is not verified: SES could not read its DNS records (temporary failure) and keeps trying.`,
        `check that the DKIM CNAMEs resolve (\`dig CNAME <token>._domainkey.${domain}\`); ${addDkimRecords(scope, facts)}`,
      );
    case 'Failed':
      return finding(
        'identity',
        'fail',
        `${domain} failed verification: SES did not find its DKIM records within 72 hours.`,
        `${addDkimRecords(scope, facts)} Then restart verification: \`aws ses verify-domain-dkim --domain ${domain} --region ${region}\`.`,
      );
  }
}

/** Messages are DKIM-signed with the domain's own key (Easy DKIM status SUCCESS): what DMARC alignment rests on. */
export function checkDkim(scope: IdentityScope, facts: IdentityFacts | undefined): Finding {
  const { domain, region } = scope;
  const dkim = facts?.dkim;
  if (!facts || !dkim) return finding('dkim', 'fail', `No DKIM for ${domain}: SES has no such identity.`, addDkimRecords(scope, facts));
  if (!dkim.enabled) {
    return finding(
      'dkim',
      'fail',
      `DKIM signing is off for ${domain}: messages are signed for amazonses.com only, which does not align with the From domain.`,
      `\`aws sesv2 put-email-identity-dkim-attributes --email-identity ${domain} --signing-enabled --region ${region}\``,
    );
  }
  switch (dkim.state) {
    case 'Success':
      return finding('dkim', 'ok', `DKIM status SUCCESS: messages from ${domain} are signed with its own key.`);
    case 'TemporaryFailure':
      return finding(
        'dkim',
        'warn',
        `DKIM status TEMPORARY_FAILURE for ${domain}: SES could not read the records just now and keeps trying.`,
        addDkimRecords(scope, facts),
      );
    default:
      return finding(
        'dkim',
        'fail',
        `DKIM status ${upper(dkim.state)} for ${domain}: messages are not signed with its key.`,
        addDkimRecords(scope, facts),
      );
  }
}

/** A custom MAIL FROM domain under the sender domain, so that SPF passes and aligns (the second leg of DMARC). */
export function checkMailFrom(
  scope: IdentityScope & { readonly expected?: string | undefined },
  facts: IdentityFacts | undefined,
): Finding {
  const { domain, region } = scope;
  const wanted = scope.expected ?? `bounce.${domain}`;
  const setIt = `\`aws sesv2 put-email-identity-mail-from-attributes --email-identity ${domain} --mail-from-domain ${wanted} --behavior-on-mx-failure USE_DEFAULT_VALUE --region ${region}\``;
  const records = `add ${wanted} MX "10 feedback-smtp.${region}.amazonses.com" and ${wanted} TXT "v=spf1 include:amazonses.com ~all" (a stack deployed with -c hostedZoneId=<zone> writes both; otherwise they are its outputs SenderDnsMailFromMx and SenderDnsMailFromSpf)`;
  const mailFrom = facts?.mailFrom;
  if (!facts)
    return finding(
      'mail-from',
      'fail',
      `No MAIL FROM domain: SES has no identity ${domain}.`,
      `create the identity first (see "identity"), then ${records}.`,
    );
  if (!mailFrom) {
    return finding(
      'mail-from',
      'warn',
      `${domain} has no custom MAIL FROM domain: bounces go to amazonses.com, so SPF passes without aligning and DMARC rests on DKIM alone.`,
      `${setIt}, then ${records}.`,
    );
  }
  if (scope.expected !== undefined && mailFrom.domain !== scope.expected) {
    return finding(
      'mail-from',
      'warn',
      `The MAIL FROM domain is ${mailFrom.domain}, not ${scope.expected} as the stack says.`,
      `${setIt}, or deploy the stack again.`,
    );
  }
  if (mailFrom.state === 'Success')
    return finding('mail-from', 'ok', `MAIL FROM ${mailFrom.domain} is verified: SPF aligns with ${domain}.`);
  // With RejectMessage, SES refuses every send while the MX record is missing; with the default it falls back to amazonses.com.
  const refuses = mailFrom.onMxFailure === 'RejectMessage' && mailFrom.state !== 'Pending';
  return finding(
    'mail-from',
    refuses ? 'fail' : 'warn',
    `MAIL FROM ${mailFrom.domain} is ${upper(mailFrom.state)}: ${refuses ? 'SES rejects every message until its MX record is found' : 'SES uses amazonses.com meanwhile, so SPF does not align'}.`,
    `${records}; SES checks again by itself.`,
  );
}

function upper(state: string): string {
  return state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}
