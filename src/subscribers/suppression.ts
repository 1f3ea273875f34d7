/**
 * The suppression list's entries: what `forget` leaves of a person. Only a keyed hash of the address is kept —
 * HMAC-SHA256 of `emailKey(email)` under the deployment's own random salt (SubscriberAdmin.suppressionSalt) —
 * so that the entry holds no address, cannot be matched against another deployment's list or a precomputed
 * table, and still tells an import that this address asked to be forgotten. (Anyone holding both the table and
 * the salt can test a guessed address: that is what makes the check possible at all.) The salt is not the
 * link-signing keyring, which rotates: a suppression must outlive every key rotation.
 */
import { createHmac } from 'node:crypto';
import { emailKey } from './email-address.js';

/** The suppression hash of an address (any case): lower-case hex HMAC-SHA256 under the deployment's salt. */
export function suppressionHash(salt: string, email: string): string {
  return createHmac('sha256', salt).update(emailKey(email), 'utf8').digest('hex');
}
