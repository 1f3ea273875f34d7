/**
 * Local mode's stand-in for SES's Delivery events: a message the embedded SES took into the local inbox is
 * delivered, there is no other mailbox to reach. Each one is turned into the Delivery event SES would publish and
 * counted through the same parser and counting code as the feedback function, so a local report's funnel shows
 * delivered as on AWS instead of 0. The event carries no `delivery` tag: locally the send job always records the
 * emulator's answer itself, and an event that also settled the claim would race it; here it only counts.
 */
import type { OutboundMessage } from '../deliver/compose-message.js';
import { applySesFeedback, type FeedbackDeps } from '../feedback/apply-feedback.js';
import { parseSesEvent } from '../feedback/parse-ses-event.js';
import type { SendReceipt } from '../model.js';
import type { Mailer } from '../ports.js';

/** Wraps the local mailer; `report` hears of an event that could not be counted (the send itself stands). */
export class DeliveryEventsMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly feedback: FeedbackDeps,
    private readonly report: (error: Error) => void = () => {},
  ) {}

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const receipt = await this.inner.send(message);
    if (message.tags) {
      // Never fails the send: SES took the message, and a failure here must not make the job send it again.
      await this.count(message, receipt).catch((error: unknown) => this.report(error as Error));
    }
    return receipt;
  }

  private async count(message: OutboundMessage, receipt: SendReceipt): Promise<void> {
    const now = new Date(this.feedback.clock.now()).toISOString();
    const parsed = parseSesEvent({
      eventType: 'Delivery',
      mail: {
        timestamp: now,
        messageId: receipt.messageId,
        destination: [message.to],
        tags: { list: [message.tags!.list], issue: [message.tags!.issue] },
      },
      delivery: { timestamp: now, processingTimeMillis: 0, recipients: [message.to], smtpResponse: '250 2.0.0 stored in the local inbox' },
    });
    if (parsed.ok) await applySesFeedback(this.feedback, parsed.feedback);
  }
}
