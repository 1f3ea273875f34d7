/**
 * The signed tokens of the studio's open pixel and tracked links (local mode's stand-in for SES's tracking
 * domain). A click token signs the destination URL too, so `/t/c/<token>?u=` leads only to the address the
 * mail carried: changing `u` breaks the signature, and the studio is no open redirect. Signed with the
 * keyring's keys under their own label, so that no other token of newsbrief (unsubscribe, confirm) is
 * accepted here, nor one of these there.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signing keys by id and the current one: deliver/tokens.ts's Keyring, by its shape (deliver imports render, which imports this folder). */
interface Keyring {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Which message a pixel or link belongs to: what SES's event would carry in `mail`. */
export interface TrackedMessage {
  readonly list: string;
  readonly issue: string;
  /** The delivery's subscriber id (the reader, never the address). */
  readonly delivery: string;
  readonly messageId: string;
  /** When the message was sent, epoch ms (SES's `mail.timestamp`). */
  readonly sentMs: number;
}

type Purpose = 'open' | 'click';
const MAX_TOKEN_LENGTH = 1024;

/** A token for the message's open pixel, or (with `url`) for one of its links. */
export function signTrackingToken(message: TrackedMessage, keyring: Keyring, url?: string): string {
  const payload = Buffer.from(
    JSON.stringify({ l: message.list, i: message.issue, d: message.delivery, m: message.messageId, t: message.sentMs }),
  ).toString('base64url');
  const purpose: Purpose = url === undefined ? 'open' : 'click';
  return `${keyring.current}.${payload}.${mac(keyring.keys.get(keyring.current)!, purpose, payload, url)}`;
}

/** The message a pixel token (no `url`) or a link token (its `url`) was signed for; undefined when it was not. */
export function verifyTrackingToken(token: string, keyring: Keyring, url?: string): TrackedMessage | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [keyId, payload, signature] = parts as [string, string, string];
  const key = keyring.keys.get(keyId);
  if (!key) return undefined;
  const expected = Buffer.from(mac(key, url === undefined ? 'open' : 'click', payload, url), 'latin1');
  const given = Buffer.from(signature, 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { l, i, d, m, t } = body;
    if (typeof l !== 'string' || typeof i !== 'string' || typeof d !== 'string' || typeof m !== 'string' || typeof t !== 'number')
      return undefined;
    return { list: l, issue: i, delivery: d, messageId: m, sentMs: t };
  } catch {
    return undefined;
  }
}

function mac(key: Buffer, purpose: Purpose, payload: string, url: string | undefined): string {
  return createHmac('sha256', key)
    .update(`newsbrief-tracking-v1\n${purpose}\n${payload}\n${url ?? ''}`)
    .digest('base64url');
}
