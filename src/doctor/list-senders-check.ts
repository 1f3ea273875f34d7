/** Every list's `from` address is on an SES identity that is verified: the address itself, its domain or a parent domain. */
import { type Finding, finding } from './finding.js';
import type { IdentityFacts } from './sender-account.js';

/** A list as far as this check is concerned. */
export interface ListSender {
  readonly id: string;
  /** The mailbox as configured, e.g. `Weekly <weekly@news.example.com>`. */
  readonly from: string;
}

/** The bare lower-case address of a mailbox (`Name <a@b>` or `a@b`). */
export function bareAddress(mailbox: string): string {
  return (/<([^>]+)>/.exec(mailbox)?.[1] ?? mailbox).trim().toLowerCase();
}

/** The identities that would let SES send from `address`: the address, its domain, and each parent domain (SES lets subdomains inherit). */
export function identitiesCovering(address: string): string[] {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const labels = domain.split('.');
  const domains = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
  return [address, ...domains];
}

/** One finding when every list is covered, else one failure per list that is not. */
export function checkListSenders(
  lists: readonly ListSender[],
  identities: ReadonlyMap<string, IdentityFacts>,
  scope: { domain: string; region: string },
): Finding[] {
  if (lists.length === 0) return [finding('list-senders', 'warn', 'No lists to check.', 'pass --lists FILE (default config/lists.json).')];
  const uncovered = lists.filter(
    (list) => !identitiesCovering(bareAddress(list.from)).some((id) => identities.get(id)?.verification === 'Success'),
  );
  if (uncovered.length === 0) return [finding('list-senders', 'ok', `All ${lists.length} lists send from verified identities.`)];
  return uncovered.map((list) => {
    const address = bareAddress(list.from);
    const domain = address.slice(address.lastIndexOf('@') + 1);
    const under = domain === scope.domain || domain.endsWith(`.${scope.domain}`);
    return finding(
      'list-senders',
      'fail',
      `List "${list.id}" sends from ${address}, which is on no verified SES identity: SES refuses its messages (MessageRejected).`,
      under
        ? `verify ${scope.domain} (see "identity"); every address at it or below it can then send.`
        : `set the list's from to an address at ${scope.domain} (\`newsbrief lists put\` or the lists file), or verify ${domain}: \`aws sesv2 create-email-identity --email-identity ${domain} --region ${scope.region}\` and deploy with -c senderDomain covering it.`,
    );
  });
}
