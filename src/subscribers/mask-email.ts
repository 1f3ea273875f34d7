/** Shows an address on a public page without giving it away. */

/** `ada@example.com` → `a••@example.com`: enough for the reader to recognize, little for a passer-by. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}${'•'.repeat(Math.min(6, Math.max(2, at - 1)))}${email.slice(at)}`;
}
