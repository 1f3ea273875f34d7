/** What an open or click is to newsbrief, whoever read it from SES (the feedback parser, the studio). */
import type { IssueRef } from '../model.js';

/**
 * What an `open` or `click` event adds: when, whether a machine made it (judged from the IP address and user
 * agent, which are then dropped), and the link clicked. Nothing else of the event is kept.
 */
export interface EngagementEvent {
  /** When the reader (or machine) opened or clicked; ISO 8601. */
  readonly at: string;
  /** When SES accepted the message (`mail.timestamp`); ISO 8601; the hour buckets count from it. */
  readonly sentAt?: string | undefined;
  readonly machine: boolean;
  /** The clicked link's original URL (clicks only). */
  readonly link?: string | undefined;
}

/** The parts of a parsed SES event that counting an open or click reads (SesFeedback has them all). */
export interface EngagementFeedback {
  readonly kind: string;
  readonly messageId: string;
  readonly issue?: IssueRef | undefined;
  /** The delivery's subscriber id: who the reader is, without their address. */
  readonly delivery?: string | undefined;
  readonly engagement?: EngagementEvent | undefined;
}
