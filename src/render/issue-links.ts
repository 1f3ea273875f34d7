/**
 * The links of a rendered issue, numbered in document order (the link map the engagement counts name links
 * by: SES's Click event gives only the URL, and `data-` attributes do not survive its rewriting), and the
 * `ses:no-track` marks that keep SES (and the studio's emulation) from rewriting links it must not track.
 * Works on the compiled HTML, slot markers still in place: a link whose address is a slot (the unsubscribe
 * link) is never tracked and never in the map. Pure.
 */
import type { IssueLink } from '../model.js';

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*"([^"]*)"/i;
const NO_TRACK = /\bses:no-track\b/i;

/** The issue's trackable links: literal http(s) addresses, in document order, numbered from 1. */
export function issueLinks(html: string): IssueLink[] {
  const links: IssueLink[] = [];
  for (const match of html.matchAll(ANCHOR)) {
    const attributes = match[1] ?? '';
    const url = trackableHref(attributes);
    if (url === undefined || NO_TRACK.test(attributes)) continue;
    links.push({ position: links.length + 1, url, text: linkText(match[2] ?? '') });
  }
  return links;
}

/**
 * Marks links SES must not rewrite with `ses:no-track` (SES's documented per-link opt-out): every link when
 * the list does not track clicks, and always those whose address is not a literal http(s) URL (the
 * unsubscribe link: a redirect in front of it would put a third party between a reader and leaving).
 */
export function markUntrackedLinks(html: string, tracksClicks: boolean): string {
  return html.replace(/<a\b([^>]*)>/gi, (tag: string, attributes: string) =>
    NO_TRACK.test(attributes) || (tracksClicks && trackableHref(attributes) !== undefined) ? tag : `<a ses:no-track${attributes}>`,
  );
}

/** The decoded address of an anchor's attributes when it is a literal http(s) URL (no slot marker in it). */
export function trackableHref(attributes: string): string | undefined {
  const raw = HREF.exec(attributes)?.[1];
  if (raw === undefined || /[\uE000\uE001]/.test(raw)) return undefined;
  const url = decodeEntities(raw).trim();
  return /^https?:\/\//i.test(url) ? url : undefined;
}

function linkText(inner: string): string {
  const text = decodeEntities(inner.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  if (text !== '') return text;
  const alt = /<img\b[^>]*\balt\s*=\s*"([^"]*)"/i.exec(inner)?.[1];
  return alt === undefined ? '' : decodeEntities(alt).trim();
}

/** HTML character references as MJML and our escaping write them. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? '';
  });
}
