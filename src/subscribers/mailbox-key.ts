/**
 * The inbox an address reaches, as the subscribe form's limits count it. Providers deliver `Ada+x@Example.org`,
 * `ada+y@example.org` and `ADA@example.org` to one inbox (and Gmail ignores dots), so counting the address as
 * typed let one inbox get 203 confirmation mails. This key is for counting only: subscribers stay keyed by
 * their own address (email-address.ts).
 */

/** Domains whose local parts ignore dots, and the one name they share (googlemail.com is gmail.com). */
const DOTLESS_DOMAINS: Readonly<Record<string, string>> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/** The normalized mailbox of an address: lower-cased, any `+tag` dropped, and for Gmail dots dropped and one domain. */
export function mailboxKey(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  const plus = local.indexOf('+');
  // A local part that is all tag ("+x@…") keeps its text: an empty mailbox would lump unrelated addresses together.
  if (plus > 0) local = local.slice(0, plus);
  const dotless = DOTLESS_DOMAINS[domain];
  if (dotless !== undefined) {
    domain = dotless;
    local = local.replace(/\./g, '') || local;
  }
  return `${local}@${domain}`;
}
