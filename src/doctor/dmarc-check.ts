/**
 * The DMARC record of the sender domain: Gmail and Yahoo require one (at least p=none) from bulk senders.
 * Receivers look at _dmarc.<From domain>, then at the organizational domain's; so does this check.
 */
import { type Finding, finding } from './finding.js';

/** What one DMARC lookup found: the name asked and its TXT records, nothing, or an error that hid the answer. */
export type DmarcLookup =
  | { readonly name: string; readonly records: readonly string[] }
  | { readonly name: string; readonly error: string }
  | undefined;

/** The parsed tags of a DMARC record (lower-case keys). */
export type DmarcTags = ReadonlyMap<string, string>;

/**
 * The names a receiver queries, most specific first: _dmarc.<domain>, then each parent's down to two labels
 * (without the public suffix list, `co.uk`-style suffixes are asked too; nothing answers there).
 */
export function dmarcLookupNames(domain: string): string[] {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  const names: string[] = [];
  for (let i = 0; labels.length - i >= 2; i++) names.push(`_dmarc.${labels.slice(i).join('.')}`);
  return names;
}

/** The DMARC records among a name's TXT records (RFC 7489: those starting with `v=DMARC1`). */
export function dmarcRecordsOf(records: readonly string[]): string[] {
  return records.filter((r) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(r.trim()));
}

/** Parses `v=DMARC1; p=none; rua=mailto:…` into its tags. */
export function parseDmarc(record: string): DmarcTags {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) tags.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return tags;
}

/** Judges the first lookup that answered (see dmarcLookupNames); `lookup` undefined: no name had a DMARC record. */
export function checkDmarc(
  domain: string,
  lookup: DmarcLookup,
  suggested = `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`,
): Finding {
  const add = `add a TXT record _dmarc.${domain} "${suggested}" (a stack deployed with -c hostedZoneId=<zone> writes it; otherwise it is its output SenderDnsDmarc), then move p to quarantine once the reports are clean.`;
  if (!lookup) {
    return finding(
      'dmarc',
      'fail',
      `No DMARC record for ${domain} (_dmarc.${domain} has none, nor its parent domains): Gmail and Yahoo junk or refuse bulk mail without one.`,
      add,
    );
  }
  if ('error' in lookup) {
    return finding(
      'dmarc',
      'warn',
      `Could not look up ${lookup.name} (${lookup.error}); DMARC not checked.`,
      `\`dig TXT ${lookup.name}\` from a machine with working DNS, or run doctor again with --dns-server <resolver>.`,
    );
  }
  const records = dmarcRecordsOf(lookup.records);
  const where =
    lookup.name === `_dmarc.${domain}` ? lookup.name : `${lookup.name} (the organizational domain's, which applies to ${domain})`;
  if (records.length > 1) {
    return finding(
      'dmarc',
      'fail',
      `${where} has ${records.length} DMARC records: receivers then apply none.`,
      `keep exactly one TXT record starting with v=DMARC1 at ${lookup.name}.`,
    );
  }
  const tags = parseDmarc(records[0]!);
  // At the organizational domain, sp= (if any) is the policy for subdomains.
  const policy = (lookup.name !== `_dmarc.${domain}` && tags.get('sp')) || tags.get('p');
  if (!policy || !['none', 'quarantine', 'reject'].includes(policy.toLowerCase())) {
    return finding(
      'dmarc',
      'fail',
      `${where} has no valid policy (p=${tags.get('p') ?? 'missing'}): receivers ignore it.`,
      `fix the record to "${suggested}".`,
    );
  }
  const reports = tags.get('rua') ? `reports go to ${tags.get('rua')}` : 'no rua= address, so nobody gets the aggregate reports';
  const note =
    policy.toLowerCase() === 'none'
      ? ' (monitoring only: enough for Gmail and Yahoo; tighten to quarantine once reports show only your own mail)'
      : '';
  return finding('dmarc', 'ok', `DMARC at ${where}: p=${policy}${note}; ${reports}.`);
}
