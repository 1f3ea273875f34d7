/**
 * One reader's complete message, as every sender builds it: their signed unsubscribe links, the rendered
 * issue filled for them, then MIME. Issue sends put the issue's id in the token, so that an unsubscribe is
 * counted on the issue that prompted it.
 */
import type { ListConfig } from '../config/lists.js';
import type { Recipient } from '../model.js';
import type { RenderedIssue } from '../render/render-issue.js';
import { composeMessage, type OutboundMessage } from './compose-message.js';
import { personalize, unsubscribeLinks } from './personalize.js';
import type { Keyring } from './tokens.js';

/** What one reader's message is made of. */
export interface ReaderMessageInput {
  readonly issue: RenderedIssue;
  readonly list: ListConfig;
  readonly recipient: Recipient;
  readonly keyring: Keyring;
  /** The Date header; passed in so that the core never reads the clock. */
  readonly date: Date;
  /** The issue whose unsubscribes the links count on (an issue's send; not a proof or a confirmation). */
  readonly issueId?: string | undefined;
}

/** Builds one reader's raw message: links, personalization, MIME. */
export function composeReaderMessage(input: ReaderMessageInput): Promise<OutboundMessage> {
  const { issue, list, recipient } = input;
  const links = unsubscribeLinks(list, recipient, input.keyring, input.issueId);
  return composeMessage({
    issue,
    list,
    recipient,
    content: personalize(issue, recipient, links.url),
    unsubscribe: links,
    date: input.date,
  });
}
