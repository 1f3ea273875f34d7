/**
 * The doctor's view of the SES account through SES v1 reads (the SDK the project already ships; moto answers
 * them too): identity verification, DKIM and MAIL FROM attributes, the send quota, a configuration set's event
 * destinations. SESv2 GetAccount would say "production access" outright, but neither the v2 client nor moto's
 * SESv2 has it: a sandbox shows as the sandbox's quota (see src/doctor/account-checks.ts).
 */
import {
  DescribeConfigurationSetCommand,
  type EventDestination,
  GetIdentityDkimAttributesCommand,
  GetIdentityMailFromDomainAttributesCommand,
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  type SESClient,
} from '@aws-sdk/client-ses';
import type { ConfigurationSetFacts, IdentityFacts, SenderAccount, SendQuota, VerificationState } from '../../doctor/sender-account.js';

// SES takes at most 100 identities per Get*Attributes call.
const PER_CALL = 100;

/** SenderAccount on an SES v1 client of one region. */
export class SesSenderAccount implements SenderAccount {
  constructor(
    private readonly ses: SESClient,
    readonly region: string,
  ) {}

  /** Verification, DKIM and MAIL FROM of each identity SES knows among `names`. */
  async identities(names: readonly string[]): Promise<ReadonlyMap<string, IdentityFacts>> {
    const known = new Map<string, VerificationState>();
    for (const chunk of chunks(names)) {
      const out = await this.ses.send(new GetIdentityVerificationAttributesCommand({ Identities: chunk }));
      for (const [name, attributes] of Object.entries(out.VerificationAttributes ?? {})) {
        known.set(name.toLowerCase(), state(attributes.VerificationStatus));
      }
    }
    const facts = new Map<string, IdentityFacts>();
    for (const chunk of chunks([...known.keys()])) {
      const [dkim, mailFrom] = await Promise.all([
        this.ses.send(new GetIdentityDkimAttributesCommand({ Identities: chunk })),
        this.ses.send(new GetIdentityMailFromDomainAttributesCommand({ Identities: chunk })),
      ]);
      for (const name of chunk) {
        const d = dkim.DkimAttributes?.[name];
        const m = mailFrom.MailFromDomainAttributes?.[name];
        facts.set(name, {
          verification: known.get(name)!,
          ...(d ? { dkim: { enabled: d.DkimEnabled ?? false, state: state(d.DkimVerificationStatus), tokens: d.DkimTokens ?? [] } } : {}),
          ...(m?.MailFromDomain
            ? {
                mailFrom: {
                  domain: m.MailFromDomain.toLowerCase(),
                  state: state(m.MailFromDomainStatus),
                  onMxFailure: m.BehaviorOnMXFailure === 'RejectMessage' ? ('RejectMessage' as const) : ('UseDefaultValue' as const),
                },
              }
            : {}),
        });
      }
    }
    return facts;
  }

  /** GetSendQuota. */
  async sendQuota(): Promise<SendQuota> {
    const out = await this.ses.send(new GetSendQuotaCommand({}));
    return { max24HourSend: out.Max24HourSend ?? 0, maxSendRate: out.MaxSendRate ?? 0, sentLast24Hours: out.SentLast24Hours ?? 0 };
  }

  /** DescribeConfigurationSet with its event destinations; undefined when SES has no such set. */
  async configurationSet(name: string): Promise<ConfigurationSetFacts | undefined> {
    try {
      const out = await this.ses.send(
        new DescribeConfigurationSetCommand({ ConfigurationSetName: name, ConfigurationSetAttributeNames: ['eventDestinations'] }),
      );
      // moto answers an empty member for a set without destinations: keep only real ones.
      const destinations = (out.EventDestinations ?? []).filter((d): d is EventDestination => Boolean(d?.Name));
      return {
        name: out.ConfigurationSet?.Name ?? name,
        eventDestinations: destinations.map((d) => ({
          name: d.Name!,
          enabled: d.Enabled ?? false,
          eventTypes: (d.MatchingEventTypes ?? []).map((t) => t.toLowerCase()),
          kind: d.SNSDestination ? 'sns' : d.CloudWatchDestination ? 'cloudwatch' : d.KinesisFirehoseDestination ? 'firehose' : 'unknown',
        })),
      };
    } catch (error) {
      if ((error as { name?: string }).name === 'ConfigurationSetDoesNotExistException') return undefined;
      throw error;
    }
  }
}

// v1 says Success/Pending/…; v2-style upper case (SUCCESS, TEMPORARY_FAILURE) is accepted too.
function state(raw: string | undefined): VerificationState {
  const normal = (raw ?? '').replace(/_/g, '').toLowerCase();
  const states: Record<string, VerificationState> = {
    success: 'Success',
    pending: 'Pending',
    failed: 'Failed',
    temporaryfailure: 'TemporaryFailure',
  };
  return states[normal] ?? 'NotStarted';
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PER_CALL) out.push(items.slice(i, i + PER_CALL));
  return out;
}
