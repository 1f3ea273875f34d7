/**
 * Reads what SES says about a sent message, in both documented shapes: configuration-set event publishing
 * (`eventType`, with the message tags we set) and identity notifications (`notificationType`, no tags).
 * Unknown fields are ignored and unknown event types are reported as ignored, never thrown: SNS would only
 * deliver the same message again, and a retry cannot make it readable.
 */
import type { IssueRef } from '../model.js';
import { normalizeEmail } from '../subscribers/email-address.js';
import { isMachineClick, isMachineOpen } from '../engagement/machine-signals.js';
import type { EngagementEvent } from '../engagement/engagement-event.js';

export type { EngagementEvent } from '../engagement/engagement-event.js';

/** What an SES event means for newsbrief. `send`: SES accepted the message (the proof of a delivery whose answer was lost). */
export type SesFeedbackKind = 'send' | 'bounce-permanent' | 'bounce-transient' | 'complaint' | 'delivery' | 'reject' | 'open' | 'click';

/** One SES event about one message, with every recipient it names. */
export interface SesFeedback {
  readonly kind: SesFeedbackKind;
  /** SES's message id (the same for every recipient of one message). */
  readonly messageId: string;
  /** Normalized addresses (trimmed, domain lower-cased), without duplicates. */
  readonly recipients: readonly string[];
  /** From the `list` message tag; undefined for notifications without tags (e.g. identity notifications). */
  readonly list?: string | undefined;
  /** From the `list` and `issue` tags, when both are there. */
  readonly issue?: IssueRef | undefined;
  /** From the `delivery` tag: the subscriber id whose delivery this message was. */
  readonly delivery?: string | undefined;
  /** Set for `open` and `click`. */
  readonly engagement?: EngagementEvent | undefined;
}

/** What parsing found: feedback, or why the message is none of our business. */
export type ParsedSesEvent = { readonly ok: true; readonly feedback: SesFeedback } | { readonly ok: false; readonly ignored: string };

/** Message tag names the mailer sets on every send (SES event publishing returns them in mail.tags). */
export const MESSAGE_TAGS = { list: 'list', issue: 'issue', delivery: 'delivery' } as const;

type Json = Record<string, unknown>;

/** Parses one SES event or notification (the SNS message body, as text or already parsed). */
export function parseSesEvent(message: unknown): ParsedSesEvent {
  let event: unknown = message;
  if (typeof message === 'string') {
    try {
      event = JSON.parse(message);
    } catch {
      return { ok: false, ignored: 'not JSON' };
    }
  }
  if (!isObject(event)) return { ok: false, ignored: 'not a JSON object' };
  const type = str(event.eventType) ?? str(event.notificationType);
  if (type === undefined) return { ok: false, ignored: 'neither eventType nor notificationType' };
  const mail = isObject(event.mail) ? event.mail : {};
  const messageId = str(mail.messageId);
  if (messageId === undefined) return { ok: false, ignored: `${type} without mail.messageId` };

  let kind: SesFeedbackKind;
  let addresses: unknown[];
  let engagement: EngagementEvent | undefined;
  switch (type) {
    case 'Bounce': {
      const bounce = isObject(event.bounce) ? event.bounce : {};
      // Undetermined bounces are treated like transient ones: counted, nobody suppressed on a guess.
      kind = str(bounce.bounceType) === 'Permanent' ? 'bounce-permanent' : 'bounce-transient';
      addresses = list(bounce.bouncedRecipients).map((r) => (isObject(r) ? r.emailAddress : undefined));
      break;
    }
    case 'Complaint': {
      const complaint = isObject(event.complaint) ? event.complaint : {};
      kind = 'complaint';
      addresses = list(complaint.complainedRecipients).map((r) => (isObject(r) ? r.emailAddress : undefined));
      break;
    }
    case 'Send':
      kind = 'send';
      addresses = list(mail.destination);
      break;
    case 'Delivery': {
      const delivery = isObject(event.delivery) ? event.delivery : {};
      kind = 'delivery';
      addresses = list(delivery.recipients);
      break;
    }
    case 'Reject':
      kind = 'reject';
      addresses = list(mail.destination);
      break;
    case 'Open':
    case 'Click': {
      const body = isObject(event.open) ? event.open : isObject(event.click) ? event.click : {};
      const at = str(body.timestamp);
      if (at === undefined || Number.isNaN(Date.parse(at))) return { ok: false, ignored: `${type} without a timestamp` };
      const sentAt = str(mail.timestamp);
      const origin = { userAgent: str(body.userAgent), ipAddress: str(body.ipAddress) };
      if (type === 'Open') engagement = { at, sentAt, machine: isMachineOpen(origin) };
      else {
        const link = str(body.link);
        if (link === undefined) return { ok: false, ignored: 'Click without a link' };
        const sentMs = sentAt === undefined ? undefined : Date.parse(sentAt);
        engagement = { at, sentAt, link, machine: isMachineClick(origin, Number.isNaN(sentMs) ? undefined : sentMs, Date.parse(at)) };
      }
      kind = type === 'Open' ? 'open' : 'click';
      addresses = list(mail.destination);
      break;
    }
    default:
      return { ok: false, ignored: `event type ${type} is not used` };
  }
  const recipients = [...new Set(addresses.map(address).filter((a): a is string => a !== undefined))];
  // An open or click is counted per message (its delivery tag names the reader), so it needs no address.
  if (recipients.length === 0 && engagement === undefined) return { ok: false, ignored: `${type} names no recipient` };

  const tags = isObject(mail.tags) ? mail.tags : {};
  const listId = firstTag(tags[MESSAGE_TAGS.list]);
  const issueId = firstTag(tags[MESSAGE_TAGS.issue]);
  const delivery = firstTag(tags[MESSAGE_TAGS.delivery]);
  return {
    ok: true,
    feedback: {
      kind,
      messageId,
      recipients,
      list: listId,
      issue: listId !== undefined && issueId !== undefined ? { list: listId, id: issueId } : undefined,
      ...(delivery !== undefined ? { delivery } : {}),
      ...(engagement !== undefined ? { engagement } : {}),
    },
  };
}

// Recipients may come as `"Name" <a@b.c>` (from the message's headers) or bare.
function address(value: unknown): string | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  const bare = (/<([^<>]+)>\s*$/.exec(text)?.[1] ?? text).trim();
  return bare.includes('@') ? normalizeEmail(bare) : undefined;
}

// Event publishing gives tag values as arrays of strings; tolerate a bare string too.
function firstTag(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
