/**
 * The `mailto:` of List-Unsubscribe (RFC 2369), written and read in one place: its subject carries the same
 * signed token as the one-click link, so that the mail that comes back names its reader without an address.
 */

/** The `mailto:` URI for one token: the receiving mailbox, and the subject `unsubscribe <token>`. */
export function unsubscribeMailtoUri(mailbox: string, token: string): string {
  return `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
}

/**
 * The token in a received subject. Mail clients keep a mailto's subject as written, but some reply-like paths
 * prefix it ("Re: ", "AW: ") or fold it: the last `unsubscribe <token>` pair wins, whatever the case.
 */
export function tokenInSubject(subject: string): string | undefined {
  const matches = [...subject.matchAll(/\bunsubscribe\s+([A-Za-z0-9_.-]+)/gi)];
  return matches.at(-1)?.[1];
}
