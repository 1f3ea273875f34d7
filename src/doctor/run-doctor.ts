/**
 * `newsbrief doctor`'s use-case: reads what the checks need (SES identity, account, configuration set, DNS,
 * keyring), each read on its own so that one failure still lets every other check report, then runs the pure checks.
 */
import { checkProductionAccess, checkQuota } from './account-checks.js';
import { checkConfigurationSet } from './configuration-set-check.js';
import { checkDmarc, type DmarcLookup, dmarcLookupNames, dmarcRecordsOf } from './dmarc-check.js';
import { type Finding, finding, hasFailure } from './finding.js';
import { checkDkim, checkIdentityVerified, checkMailFrom } from './identity-checks.js';
import { checkKeyring, type KeyringRead } from './keyring-check.js';
import { bareAddress, checkListSenders, identitiesCovering, type ListSender } from './list-senders-check.js';
import type { KeyringReader, SenderAccount, TxtLookup } from './sender-account.js';

/** What to check: the sender domain and, where known, the deployment's names. */
export interface DoctorTarget {
  readonly domain: string;
  /** The MAIL FROM domain the stack configured (output MailFromDomain); else any custom one is accepted. */
  readonly mailFromDomain?: string | undefined;
  readonly configurationSet?: string | undefined;
  /** The keyring secret's id or ARN (output KeysSecretArn); undefined: not checked. */
  readonly keysSecret?: string | undefined;
  readonly lists: readonly ListSender[];
}

/** The world the doctor reads. */
export interface DoctorDeps {
  readonly account: SenderAccount;
  readonly lookupTxt: TxtLookup;
  /** Reads the keyring named by target.keysSecret. */
  readonly readKeyring?: KeyringReader | undefined;
}

/** Every finding, in a fixed order, and whether sending may start. */
export interface DoctorReport {
  readonly domain: string;
  readonly region: string;
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

/** Runs every check against `target`; never throws for what it reads (an unreadable fact is a finding). */
export async function runDoctor(deps: DoctorDeps, target: DoctorTarget): Promise<DoctorReport> {
  const { account } = deps;
  const region = account.region;
  const domain = target.domain.toLowerCase();
  const scope = { domain, region };
  const names = [...new Set([domain, ...target.lists.flatMap((list) => identitiesCovering(bareAddress(list.from)))])];

  const [identities, quota, configurationSet, dmarc, keyring] = await Promise.all([
    settle(account.identities(names)),
    settle(account.sendQuota()),
    target.configurationSet === undefined ? Promise.resolve(undefined) : settle(account.configurationSet(target.configurationSet)),
    findDmarc(deps.lookupTxt, domain),
    readKeyring(deps.readKeyring, target.keysSecret),
  ]);

  const findings: Finding[] = [];
  if ('error' in identities) {
    findings.push(unreadable('identity', `the SES identity ${domain}`, identities.error, region));
  } else {
    const facts = identities.value.get(domain);
    findings.push(
      checkIdentityVerified(scope, facts),
      checkDkim(scope, facts),
      checkMailFrom({ ...scope, expected: target.mailFromDomain }, facts),
      ...checkListSenders(target.lists, identities.value, scope),
    );
  }
  findings.push(checkDmarc(domain, dmarc));
  if ('error' in quota) findings.push(unreadable('production-access', 'the send quota', quota.error, region));
  else findings.push(checkProductionAccess(quota.value, region), checkQuota(quota.value, region));
  if (configurationSet !== undefined && 'error' in configurationSet) {
    findings.push(unreadable('configuration-set', `configuration set ${target.configurationSet}`, configurationSet.error, region));
  } else {
    findings.push(...checkConfigurationSet(target.configurationSet, configurationSet?.value, region));
  }
  findings.push(checkKeyring(keyring, target.keysSecret, region));
  return { domain, region, ok: !hasFailure(findings), findings };
}

// The first name of dmarcLookupNames with a DMARC record, as receivers search; an error stops the search (the answer is unknown).
async function findDmarc(lookupTxt: TxtLookup, domain: string): Promise<DmarcLookup> {
  for (const name of dmarcLookupNames(domain)) {
    try {
      const records = await lookupTxt(name);
      if (records && dmarcRecordsOf(records).length > 0) return { name, records };
    } catch (error) {
      return { name, error: messageOf(error) };
    }
  }
  return undefined;
}

async function readKeyring(read: KeyringReader | undefined, secret: string | undefined): Promise<KeyringRead> {
  if (!read || secret === undefined) return undefined;
  try {
    return { keyring: await read() };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

function unreadable(check: string, what: string, error: string, region: string): Finding {
  return finding(
    check,
    'fail',
    `Could not read ${what}: ${error}.`,
    `check the credentials (\`aws sts get-caller-identity\`) and that they may read SES in ${region} (ses:Get*, ses:Describe*), then run doctor again.`,
  );
}

function messageOf(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string };
  const text = e?.message || e?.code || String(error);
  return e?.name && e.name !== 'Error' && !text.includes(e.name) ? `${e.name}: ${text}` : text;
}
