/**
 * One MIME message per reader. nodemailer's MailComposer decides every header (RFC 2047 words, address
 * lists, folding) for each reader; the body parts are pre-encoded base64, framed here the way MailComposer
 * frames a multipart/alternative node, without its stream machinery (setImmediate and a PassThrough per
 * part: most of a message's CPU). test/unit/deliver/compose-message-bytes.test.ts checks the result byte
 * for byte against MailComposer's own build() for every fixture brief. SendEmail cannot set
 * List-Unsubscribe, hence raw messages for SES.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWords, quoteString } from 'nodemailer/lib/mime-funcs';
import { addressOf, domainOf, type ListConfig } from '../config/lists.js';
import type { RenderedIssue } from '../render/render-issue.js';
import { escapeHeader } from '../render/escape.js';
import type { PersonalizedContent, UnsubscribeLinks } from './personalize.js';
import type { Recipient } from '../model.js';

/** A message ready for SES SendRawEmail. */
export interface OutboundMessage {
  readonly from: string;
  readonly to: string;
  readonly messageId: string;
  readonly raw: Buffer;
  /**
   * Which issue and delivery this is (`list`, `issue`, `delivery`: the subscriber id), for the mailer to pass on:
   * SES returns message tags in its events, which is how feedback is counted per issue and how a Send event
   * proves a delivery whose answer was lost. Ids are [A-Za-z0-9_-], valid as SES tag values.
   */
  readonly tags?: Readonly<Record<'list' | 'issue' | 'delivery', string>> | undefined;
  /** The issue was rendered for a list that tracks opens or clicks: send it with a tracked configuration set. */
  readonly tracked?: boolean | undefined;
  /** With `tracked`: the list does not track opens, so the set without SES's open pixel is used (clicks only). */
  readonly clicksOnly?: boolean | undefined;
}

/** Raised when a header value would carry CR or LF: a bug or an attack, never sent. */
export class HeaderInjectionError extends Error {
  override readonly name = 'HeaderInjectionError';
}

export interface ComposeInput {
  readonly issue: RenderedIssue;
  readonly list: ListConfig;
  readonly recipient: Recipient;
  readonly content: PersonalizedContent;
  readonly unsubscribe: UnsubscribeLinks;
  /** The Date header; passed in so that the core never reads the clock. */
  readonly date: Date;
  /** The multipart boundary's unique part; random when absent (tests fix it to compare bytes). */
  readonly baseBoundary?: string | undefined;
}

/** Builds the complete raw message for one reader. */
export async function composeMessage(input: ComposeInput): Promise<OutboundMessage> {
  const { composer, text, html } = composerFor(input);
  const root = composer.compile();
  // What MimeNode.stream writes for a multipart node whose children are raw: headers, a blank line, then
  // each child after its delimiter, then the closing delimiter.
  const head = root.buildHeaders();
  // Set by buildHeaders (from the Content-Type it writes).
  const boundary = root.boundary as string;
  const raw = Buffer.from(`${head}\r\n\r\n--${boundary}\r\n${text}\r\n--${boundary}\r\n${html}\r\n--${boundary}--\r\n`, 'utf8');
  return outbound(input, raw);
}

/** The same message built entirely by MailComposer (its streams): the reference the byte-for-byte test compares with. */
export async function composeMessageWithMailComposer(input: ComposeInput): Promise<OutboundMessage> {
  return outbound(input, await composerFor(input).composer.compile().build());
}

function outbound(input: ComposeInput, raw: Buffer): OutboundMessage {
  const { issue, list, recipient } = input;
  return {
    from: addressOf(list.from),
    to: recipient.email,
    messageId: messageIdOf(input),
    raw,
    tags: { list: issue.list, issue: issue.id, delivery: recipient.id },
    // Only an issue rendered for tracking has a link map (proofs never do), so the render decides, once. Opens are
    // the list's as it is now: SES adds its pixel per configuration set, and a list that stopped tracking opens gets none.
    ...(issue.links !== undefined ? { tracked: true, ...(list.tracking?.opens === true ? {} : { clicksOnly: true }) } : {}),
  };
}

function messageIdOf({ issue, list, recipient }: ComposeInput): string {
  return `<${headerToken(issue.list)}.${headerToken(issue.id)}.${headerToken(recipient.id)}@${domainOf(list.from)}>`;
}

// The message's MailComposer, its headers checked, with both parts pre-encoded.
function composerFor(input: ComposeInput): { composer: MailComposer; text: string; html: string } {
  const { list, recipient, content, unsubscribe, date } = input;
  const domain = domainOf(list.from);
  const messageId = messageIdOf(input);
  const listUnsubscribe = [unsubscribe.url, unsubscribe.mailto]
    .filter(Boolean)
    .map((u) => `<${u}>`)
    .join(', ');
  const headers = {
    'List-Unsubscribe': listUnsubscribe,
    // RFC 8058: mail clients may POST "List-Unsubscribe=One-Click" to the URL above.
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `${listIdPhrase(list.displayName)} <${list.id}.${domain}>`,
  };
  for (const [name, value] of Object.entries({
    ...headers,
    from: list.from,
    to: recipient.email,
    subject: content.subject,
    replyTo: list.replyTo ?? '',
  })) {
    if (/[\r\n]/.test(value)) throw new HeaderInjectionError(`the ${name} header would contain a line break`);
  }
  const firstName = recipient.firstName ? escapeHeader(recipient.firstName).trim() : '';
  const text = base64Part('text/plain; charset=utf-8', content.text);
  const html = base64Part('text/html; charset=utf-8', content.html);
  const composer = new MailComposer({
    from: list.from,
    to: firstName ? { name: firstName, address: recipient.email } : recipient.email,
    replyTo: list.replyTo,
    subject: content.subject,
    date,
    messageId,
    // The parts go in pre-encoded (MailComposer's `raw`): encoding ~20 KB in MailComposer's JS streams cost
    // more than everything else per message (measured per CPU-second on the seed brief: quoted-printable
    // ~1,000, streamed base64 ~1,800, native base64 ~3,100 messages). MailComposer still builds the rest.
    text: { raw: text },
    html: { raw: html },
    // List-Id is prepared by hand: left to MailComposer, a non-ASCII name would encode the <id> with it.
    headers: { ...headers, 'List-Id': { prepared: true, foldLines: true, value: headers['List-Id'] } },
    ...(input.baseBoundary !== undefined ? { baseBoundary: input.baseBoundary } : {}),
  });
  return { composer, text, html };
}

// Message-ID local parts allow only atext; anything else in an id becomes "-".
function headerToken(value: string): string {
  return value.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]/g, '-');
}

/** One MIME body part: text in canonical CRLF form (RFC 2046), base64 in lines of 76 characters (RFC 2045). */
function base64Part(contentType: string, body: string): string {
  const encoded = Buffer.from(body.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  let wrapped = '';
  for (let i = 0; i < encoded.length; i += 76) wrapped += `${encoded.slice(i, i + 76)}\r\n`;
  return `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrapped}`;
}

// The List-Id phrase (RFC 2919): a quoted string when ASCII, RFC 2047 encoded words otherwise.
function listIdPhrase(displayName: string): string {
  const name = escapeHeader(displayName);
  return /^[\x20-\x7e]*$/.test(name) ? quoteString(name) : encodeWords(name, 'Q', 52, true);
}
