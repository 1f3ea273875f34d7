/** Per-recipient work, kept to substitution: fill the render-once templates with one reader's values. */
import type { ListConfig } from '../config/lists.js';
import type { RenderedIssue } from '../render/render-issue.js';
import { fillTemplate } from '../render/slots.js';
import type { Recipient } from '../model.js';
import { unsubscribeMailtoUri } from './unsubscribe-mailto.js';
import { type Keyring, signToken } from './tokens.js';

/** One reader's copy of an issue: subject (header-safe), HTML and text. */
export interface PersonalizedContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** The links that let a reader leave: the one-click URL (with a signed token) and, when configured, a mailto. */
export interface UnsubscribeLinks {
  readonly url: string;
  readonly mailto?: string | undefined;
}

/**
 * Builds a reader's unsubscribe links: the token names the list, the subscriber id (never the address) and, for
 * an issue's mail, the issue id, so that the report can say which issue a reader left after.
 */
export function unsubscribeLinks(list: ListConfig, recipient: Pick<Recipient, 'id'>, keyring: Keyring, issueId?: string): UnsubscribeLinks {
  const token = signToken(
    { list: list.id, subscriber: recipient.id, purpose: 'unsubscribe', ...(issueId !== undefined ? { issue: issueId } : {}) },
    keyring,
  );
  const url = new URL(list.unsubscribeBaseUrl);
  url.searchParams.set('t', token);
  // Only where a deployment receives that mail (see mail-unsubscribe.ts): never advertise what is not served.
  const mailto = list.unsubscribeMailto ? unsubscribeMailtoUri(list.unsubscribeMailto, token) : undefined;
  return { url: url.toString(), mailto };
}

/** Fills an issue's subject, HTML and text for one reader. No MJML here: substitution and escaping only. */
export function personalize(issue: RenderedIssue, recipient: Recipient, unsubscribeUrl: string): PersonalizedContent {
  const values = { firstName: recipient.firstName, email: recipient.email, fields: recipient.attributes, unsubscribeUrl };
  return {
    subject: fillTemplate(issue.subject, values),
    html: fillTemplate(issue.html, values),
    text: fillTemplate(issue.text, values),
  };
}
