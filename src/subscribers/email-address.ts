/**
 * What counts as an address, how it is shown, and its key. Every mainstream list tool matches addresses
 * case-insensitively, so a subscriber's key is the whole address lower-cased (`emailKey`): every store
 * (DynamoDB, memory, local) keys by it, so `Ada@X.org` and `ada@x.org` are one subscriber. The address as
 * typed (`normalizeEmail`: trimmed, domain lower-cased) is kept for display and is what mail is sent to.
 */

const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;

/** True for a plausible address (one @, no spaces, a dot in the domain, at most 254 characters): forms and imports agree. */
export function isPlausibleAddress(email: string): boolean {
  return email.length <= 254 && ADDRESS.test(email);
}

/** The address as shown and mailed: trimmed, domain lower-cased (the local part kept as typed). */
export function normalizeEmail(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}

/** The key of a subscriber: the address trimmed and lower-cased whole (Ada@Example.org and ADA@example.ORG are one). */
export function emailKey(value: string): string {
  return value.trim().toLowerCase();
}
