/**
 * What the doctor reads from the sending account, as ports named for what it needs. The SES adapter maps SES's
 * answers to these facts; the checks are pure functions of them.
 */
import type { Keyring } from '../deliver/tokens.js';

/** SES's verification states of an identity, DKIM or MAIL FROM domain (v1 spelling; v2's upper-case ones are mapped). */
export type VerificationState = 'Success' | 'Pending' | 'Failed' | 'TemporaryFailure' | 'NotStarted';

/** What SES knows of one identity (a domain or an address). */
export interface IdentityFacts {
  readonly verification: VerificationState;
  readonly dkim?: { readonly enabled: boolean; readonly state: VerificationState; readonly tokens: readonly string[] };
  /** The custom MAIL FROM domain; absent when SES uses its own (amazonses.com). */
  readonly mailFrom?: {
    readonly domain: string;
    readonly state: VerificationState;
    readonly onMxFailure: 'UseDefaultValue' | 'RejectMessage';
  };
}

/** The account's sending limits (SES GetSendQuota). */
export interface SendQuota {
  /** Messages per 24 hours; -1 means unlimited. */
  readonly max24HourSend: number;
  readonly maxSendRate: number;
  readonly sentLast24Hours: number;
}

/** A configuration set and where its events go. */
export interface ConfigurationSetFacts {
  readonly name: string;
  readonly eventDestinations: readonly {
    readonly name: string;
    readonly enabled: boolean;
    /** Lower-case event types, e.g. `bounce`, `complaint`. */
    readonly eventTypes: readonly string[];
    /** `sns`, `cloudwatch`, `firehose` or `unknown`. */
    readonly kind: string;
  }[];
}

/** The sending account as the doctor reads it. */
export interface SenderAccount {
  /** The region these facts come from (for the fix commands). */
  readonly region: string;
  /** What SES knows of each identity; identities SES has never heard of are absent from the map. */
  identities(names: readonly string[]): Promise<ReadonlyMap<string, IdentityFacts>>;
  sendQuota(): Promise<SendQuota>;
  /** The configuration set, or undefined when it does not exist. */
  configurationSet(name: string): Promise<ConfigurationSetFacts | undefined>;
}

/** The TXT records at a DNS name, each record's strings joined; undefined when the name or its TXT records do not exist. */
export type TxtLookup = (name: string) => Promise<string[] | undefined>;

/** Reads and parses the signing keyring; throws when it is missing or unusable. */
export type KeyringReader = () => Promise<Keyring>;
