/** Which link targets a document may carry: briefs' links and the lists file's URLs are checked by one rule. */

const ALLOWED_SCHEMES = ['https:', 'http:', 'mailto:'] as const;

/** Why a link target is refused, or undefined when it is acceptable. */
export function checkLinkTarget(href: string, allowed: readonly string[] = ALLOWED_SCHEMES): string | undefined {
  const accepted = `use ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}`;
  const trimmed = href.trim();
  if (trimmed === '') return `must be a link (${accepted})`;
  if (/[\u0000-\u001f\u007f\s]/.test(trimmed)) return `must not contain spaces or control characters (encode them as %20 …)`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return `"${truncate(trimmed)}" is not an absolute link (${accepted})`;
  if (!allowed.includes(`${scheme}:`)) return `scheme "${scheme}:" is not allowed (${accepted})`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `"${truncate(trimmed)}" is not a valid URL`;
  }
  if ((url.protocol === 'https:' || url.protocol === 'http:') && url.hostname === '') return `"${truncate(trimmed)}" has no host name`;
  // A password in a mailed link is published to every reader (and to their mail provider's link scanner).
  if ((url.protocol === 'https:' || url.protocol === 'http:') && (url.username !== '' || url.password !== '')) {
    return `must not carry a user name or password ("user:…@" before the host): link to ${url.protocol}//${url.host}${url.pathname === '/' ? '/' : '/…'} and let the site ask for them`;
  }
  if (url.protocol === 'mailto:' && !url.pathname.includes('@')) return `"${truncate(trimmed)}" has no e-mail address`;
  return undefined;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
