/**
 * Signed link tokens: `v1.<key id>.<payload>.<HMAC-SHA256>`, base64url, no e-mail address inside.
 * Unsubscribe links live in inboxes for years, so keys rotate by id: new links use the current key and
 * old ones verify with the key they name for as long as it stays in the keyring.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'confirm';

/** What a token vouches for. */
export interface TokenClaims {
  readonly list: string;
  /** The subscriber's opaque id (never the address). */
  readonly subscriber: string;
  readonly purpose: TokenPurpose;
  /**
   * The issue whose mail carried the link, so that an unsubscribe is counted on it. Optional: links in mail sent
   * before it existed (and links outside an issue, like a confirmation's) have none and stay valid.
   */
  readonly issue?: string | undefined;
  /** Expiry in seconds since the epoch; unsubscribe links have none (RFC 8058 links must keep working). */
  readonly expiresAt?: number | undefined;
}

/** Signing keys by id, and which one signs new tokens. */
export interface Keyring {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export type VerifyResult = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: string };

/** Raised when a keyring is unusable; names what is wrong, never a secret. */
export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_TOKEN_LENGTH = 1024;

/** Parses a keyring document: `{ "current": "k2", "k1": "<secret>", "k2": "<secret>" }`. */
export function parseKeyring(document: unknown): Keyring {
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw new KeyringError('the keyring must be a JSON object');
  const { current, ...rest } = document as Record<string, unknown>;
  const keys = new Map<string, Buffer>();
  for (const [id, secret] of Object.entries(rest)) {
    if (!KEY_ID.test(id)) throw new KeyringError(`key id "${id}" must be 1-32 letters, digits, "-" or "_"`);
    if (typeof secret !== 'string' || secret.length < 32) throw new KeyringError(`key "${id}" must be a string of at least 32 characters`);
    keys.set(id, Buffer.from(secret, 'utf8'));
  }
  if (typeof current !== 'string' || !keys.has(current)) throw new KeyringError('"current" must name one of the keyring\'s keys');
  return { current, keys };
}

/** Signs claims with the keyring's current key. */
export function signToken(claims: TokenClaims, keyring: Keyring): string {
  const payload = Buffer.from(
    JSON.stringify({
      l: claims.list,
      s: claims.subscriber,
      p: claims.purpose,
      ...(claims.issue !== undefined ? { i: claims.issue } : {}),
      ...(claims.expiresAt !== undefined ? { e: claims.expiresAt } : {}),
    }),
  ).toString('base64url');
  const signed = `v1.${keyring.current}.${payload}`;
  return `${signed}.${mac(keyring.keys.get(keyring.current)!, signed)}`;
}

/**
 * Verifies a token in constant time. `nowSeconds` comes from the caller's clock. The reasons are for logs;
 * people are only ever told that a link is not valid.
 */
export function verifyToken(token: string, keyring: Keyring, expected: { purpose: TokenPurpose; nowSeconds: number }): VerifyResult {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return { ok: false, reason: 'malformed' };
  const [, keyId, payload, signature] = parts as [string, string, string, string];
  const key = keyring.keys.get(keyId);
  if (!key) return { ok: false, reason: 'unknown key id' };
  // Compared as text, not as decoded bytes: base64url decoding forgives padding, spare bits and stray
  // characters, which would give one link many accepted spellings.
  const expectedMac = Buffer.from(mac(key, `v1.${keyId}.${payload}`), 'latin1');
  const givenMac = Buffer.from(signature, 'latin1');
  if (givenMac.length !== expectedMac.length || !timingSafeEqual(givenMac, expectedMac)) return { ok: false, reason: 'bad signature' };
  let body: { l?: unknown; s?: unknown; p?: unknown; i?: unknown; e?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof body;
  } catch {
    return { ok: false, reason: 'malformed payload' };
  }
  if (typeof body.l !== 'string' || typeof body.s !== 'string' || (body.p !== 'unsubscribe' && body.p !== 'confirm')) {
    return { ok: false, reason: 'malformed payload' };
  }
  if (body.i !== undefined && typeof body.i !== 'string') return { ok: false, reason: 'malformed payload' };
  if (body.p !== expected.purpose) return { ok: false, reason: 'wrong purpose' };
  if (body.e !== undefined && (typeof body.e !== 'number' || body.e < expected.nowSeconds)) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      list: body.l,
      subscriber: body.s,
      purpose: body.p,
      ...(body.i !== undefined ? { issue: body.i as string } : {}),
      expiresAt: body.e as number | undefined,
    },
  };
}

function mac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
