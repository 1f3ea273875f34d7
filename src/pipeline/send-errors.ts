/** Errors a Mailer throws, each saying whether a retry helps. */

/** Throttling, timeouts, 5xx: the message was not sent and a later retry will likely succeed. */
export class TransientSendError extends Error {
  override readonly name = 'TransientSendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The message will never be accepted for this recipient (rejected address, unverified sender): record and skip. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The account may not send at all (sending paused, daily quota exhausted): nothing was sent; stop every job
 * and alarm. A retry helps only after a person (or the quota window) acts.
 */
export class AccountSendingPausedError extends Error {
  override readonly name = 'AccountSendingPausedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A queue message that can never be processed (malformed body): let the queue dead-letter it. */
export class PoisonJobError extends Error {
  override readonly name = 'PoisonJobError';
}
