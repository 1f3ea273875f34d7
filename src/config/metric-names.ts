/**
 * The one place that names the custom metrics the handlers emit (Powertools EMF). The CDK alarms and the
 * handlers both import these constants, as they do ENV, so that an alarm never watches a name nobody emits.
 */

/** CloudWatch namespace of every newsbrief metric. */
export const METRICS_NAMESPACE = 'newsbrief';

/** Metric names (all counts). */
export const METRIC = {
  /** intake: a brief refused by validation (a report was written under reports/). */
  briefsRefused: 'BriefsRefused',
  /** intake: a brief accepted (claimed, first plan page enqueued). */
  briefsAccepted: 'BriefsAccepted',
  /** intake: an event for an issue claimed before (duplicate event or re-upload). */
  duplicateEvents: 'DuplicateBriefEvents',
  /** plan: recipients planned into send jobs. */
  planned: 'RecipientsPlanned',
  /** send: messages SES accepted. */
  sent: 'MessagesSent',
  /** send: recipients whose send failed for good (rejected address, unverified sender, unbuildable message). */
  sendsFailed: 'SendsFailed',
  /** send: deliveries claimed earlier without an outcome (a crash mid-send): SES's Send event proves them sent, else see deliveriesResent. */
  unknownDeliveries: 'UnknownDeliveries',
  /** send: a delivery whose outcome was never known (no Send event either) re-sent after its grace period. */
  deliveriesResent: 'DeliveriesResent',
  /** send: jobs given back because SES throttled (or time ran out). */
  throttledJobs: 'ThrottledJobs',
  /** send: SES refuses the account (paused, daily quota, credentials): everything stops, nothing is lost. Alarm. */
  sendingPaused: 'SendingPaused',
  /** send: an issue paused because SES's daily quota is exhausted or the account is paused; it resumes by itself when SES allows it again. Alarm. */
  issuesPaused: 'IssuesPaused',
  /** send: continuation jobs enqueued (delayed) for recipients a job could not finish: throttled, quota exhausted, out of time. */
  continuationsEnqueued: 'ContinuationsEnqueued',
  /** send: queue messages that can never be processed (they go to the dead-letter queue). */
  poisonJobs: 'PoisonJobs',
  /** unsubscribe: a reader left a list. */
  unsubscribed: 'Unsubscribed',
  /** feedback: an issue's bounce/complaint circuit breaker tripped. Alarm. */
  breakerTripped: 'CircuitBreakerTripped',
  /** subscribe: a confirmation mail held back by a budget (mailbox, list, overall) or the confirmation breaker (dimension `refused`). */
  confirmationsRefused: 'ConfirmationsRefused',
  /** feedback: a list's confirmation-mail breaker tripped (its bounces or complaints); the form mails no confirmations. Alarm. */
  confirmationBreakerTripped: 'ConfirmationBreakerTripped',
} as const;
