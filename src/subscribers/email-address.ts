/** What counts as an address, and its one normal form: the key of a subscriber everywhere (forms, imports, SES events). */

const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;

/** True for a plausible address (one @, no spaces, a dot in the domain, at most 254 characters): forms and imports agree. */
export function isPlausibleAddress(email: string): boolean {
  return email.length <= 254 && ADDRESS.test(email);
}

/** Normalizes an address: trimmed, domain lower-cased (local parts are case-sensitive in principle). */
export function normalizeEmail(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}
