/** Errors a Mailer throws, each saying whether a retry helps and whether SES may have the message. */

/** Throttling, 5xx, a connection that never opened: the message was NOT sent, and a retry soon will likely succeed. */
export class TransientSendError extends Error {
  override readonly name = 'TransientSendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The request left and no answer came (a reset after writing, a timeout waiting for the response): SES may or
 * may not have the message. The delivery waits for SES's Send event, and is sent again if none comes in time.
 */
export class SendOutcomeUnknownError extends Error {
  override readonly name = 'SendOutcomeUnknownError';
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
 * The account may not send at all: nothing was sent. `quota`: the daily quota is used up (it frees itself over
 * the next 24 hours); `account`: SES paused the account or refuses its credentials (a person must act).
 * The issue pauses and its jobs wait; nothing is dead-lettered.
 */
export class AccountSendingPausedError extends Error {
  override readonly name = 'AccountSendingPausedError';
  constructor(
    message: string,
    options?: { cause?: unknown },
    readonly kind: 'quota' | 'account' = 'account',
  ) {
    super(message, options);
  }
}
