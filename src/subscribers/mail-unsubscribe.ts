/**
 * Unsubscribe by mail: the `mailto:` of every message's List-Unsubscribe (RFC 2369). Its subject carries the
 * same signed token as the one-click link, so the token is what counts, as it does there; the sender's
 * address does not (forwarders and aliases rewrite it, and anyone may forge it). SES receives the mail and
 * hands the function its parsed headers; this module unsubscribes the reader its subject's token names.
 */
import { tokenInSubject } from '../deliver/unsubscribe-mailto.js';
import { type UnsubscribeDeps, type UnsubscribeOutcome, unsubscribe } from './unsubscribe.js';

/** Unsubscribes the reader whose token a received mail's subject carries; a mail with none changes nothing. */
export async function unsubscribeByMail(deps: UnsubscribeDeps, subject: string): Promise<UnsubscribeOutcome> {
  const token = tokenInSubject(subject);
  if (token === undefined) return { kind: 'invalid', reason: 'no unsubscribe token in the subject' };
  // The mail is the reader's explicit request, as the one-click POST is: the same use-case, as a POST.
  return unsubscribe(deps, { method: 'POST', token });
}
