/**
 * Mailer on SES v1 SendRawEmail (SendEmail cannot set List-Unsubscribe). Every SES answer is mapped to
 * an error that says whether a retry helps and whether SES may have the message. The client is built
 * with maxAttempts 1 (see wiring): an SDK retry after a timeout could send a message twice, so retries
 * are the send job's, which knows the delivery's claim.
 */
import { GetSendQuotaCommand, SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { OutboundMessage } from '../../deliver/compose-message.js';
import { AccountSendingPausedError, PermanentSendError, SendOutcomeUnknownError, TransientSendError } from '../../deliver/send-errors.js';
import type { Mailer } from '../../ports.js';
import type { SendReceipt } from '../../model.js';

/** The configuration sets a deployment sends with, by what a list tracks. */
export interface ConfigurationSets {
  /** Every untracked message (its event destination feeds sends, bounces, complaints and deliveries back). */
  readonly plain: string | undefined;
  /** Messages of lists that track opens (SES adds its pixel, and rewrites links not marked ses:no-track). */
  readonly tracked?: string | undefined;
  /** Messages of lists that track clicks but not opens: its destination takes CLICK but not OPEN, so SES adds no pixel. */
  readonly clicksOnly?: string | undefined;
}

/**
 * The configuration set of one message. A clicks-only message falls back to the tracked set when the deployment has
 * no clicks-only one (its Open events are then dropped by the feedback function, as before that set existed).
 */
export function configurationSetFor(message: Pick<OutboundMessage, 'tracked' | 'clicksOnly'>, sets: ConfigurationSets): string | undefined {
  if (!message.tracked) return sets.plain;
  if (message.clicksOnly && sets.clicksOnly) return sets.clicksOnly;
  return sets.tracked ?? sets.plain;
}

/** Sends through SES with the configuration set (its event destination feeds bounces and complaints back). */
export class SesMailer implements Mailer {
  private readonly sets: ConfigurationSets;

  constructor(
    private readonly ses: SESClient,
    configurationSet: string | undefined,
    /** The configuration set of tracked messages (SES adds its pixel and link redirects there); absent: the plain one. */
    trackedConfigurationSet?: string | undefined,
    /** The configuration set of clicks-only messages (no OPEN destination, so no pixel); absent: the tracked one. */
    clicksOnlyConfigurationSet?: string | undefined,
  ) {
    this.sets = { plain: configurationSet, tracked: trackedConfigurationSet, clicksOnly: clicksOnlyConfigurationSet };
  }

  /** One raw message to one recipient. */
  async send(message: OutboundMessage): Promise<SendReceipt> {
    try {
      const out = await this.ses.send(
        new SendRawEmailCommand({
          // Source is what the ses:FromAddress IAM condition checks.
          Source: message.from,
          Destinations: [message.to],
          RawMessage: { Data: message.raw },
          // SES tracks per configuration set, not per message (SendRawEmail has no switch): a tracked list's messages use their own.
          ConfigurationSetName: configurationSetFor(message, this.sets),
          // SES hands message tags back in bounce and complaint events: that is how feedback is counted per issue.
          Tags: message.tags ? Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value })) : undefined,
        }),
      );
      return { messageId: out.MessageId! };
    } catch (error) {
      throw classifySesError(error);
    }
  }
}

// Codes that mean "this account (or this deployment) may not send now": stopping loses nothing.
const ACCOUNT_WIDE = new Set([
  'AccountSendingPausedException',
  'ConfigurationSetSendingPausedException',
  'ConfigurationSetDoesNotExistException',
  'ProductionAccessNotGrantedException',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
]);
// Network failures before the request left: SES never saw the message.
const NOT_SENT_NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Maps an SES (SDK) error to TransientSendError (not sent, retry soon), PermanentSendError (never for this
 * address), AccountSendingPausedError (nothing goes until the quota or the account allows) or
 * SendOutcomeUnknownError (the request left and no answer came: a reset, a timeout, anything unreadable).
 */
export function classifySesError(error: unknown): Error {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  const name = e?.name ?? '';
  const message = e?.message ?? '';
  const options = { cause: error };
  if (/daily message quota exceeded/i.test(message))
    return new AccountSendingPausedError(`SES daily quota exhausted: ${message}`, options, 'quota');
  // When AWS itself pauses an account, SES v1 answers MessageRejected "Sending paused for this account": not the address's fault.
  if (/sending paused/i.test(message))
    return new AccountSendingPausedError(`SES paused sending for this account: ${name}: ${message}`, options, 'account');
  if (ACCOUNT_WIDE.has(name))
    return new AccountSendingPausedError(`SES refuses to send for this account: ${name}: ${message}`, options, 'account');
  if (name === 'Throttling' || name === 'ThrottlingException' || /maximum sending rate exceeded/i.test(message)) {
    return new TransientSendError(`SES throttled: ${message || name}`, options);
  }
  if (name === 'MessageRejected' || name === 'MailFromDomainNotVerifiedException' || name === 'InvalidParameterValue') {
    return new PermanentSendError(`SES rejected the message: ${name}: ${message}`, options);
  }
  const status = e?.$metadata?.httpStatusCode;
  // An error response is SES saying it did not send; a 5xx is worth a retry, a 4xx is not.
  if (status !== undefined && status >= 500) return new TransientSendError(`SES failed (${status}): ${name}: ${message}`, options);
  if (status !== undefined && status >= 400) return new PermanentSendError(`SES refused (${status}): ${name}: ${message}`, options);
  if (NOT_SENT_NETWORK.has(e?.code ?? '') || NOT_SENT_NETWORK.has(name))
    return new TransientSendError(`SES unreachable: ${e.code ?? name}`, options);
  // The connection never opened: the request cannot have left.
  if (name === 'TimeoutError' && /without establishing a connection/i.test(message))
    return new TransientSendError(`SES unreachable: ${message}`, options);
  return new SendOutcomeUnknownError(`no answer from SES: ${name || 'Error'}${e?.code ? ` (${e.code})` : ''}: ${message}`, options);
}

/** The account's maximum send rate (messages per second) from GetSendQuota. */
export async function readMaxSendRate(ses: SESClient): Promise<number> {
  const out = await ses.send(new GetSendQuotaCommand({}));
  const rate = out.MaxSendRate ?? 0;
  if (!(rate > 0)) throw new Error(`SES GetSendQuota returned no usable MaxSendRate (${String(out.MaxSendRate)})`);
  return rate;
}
