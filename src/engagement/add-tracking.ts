/**
 * What SES does to a message of the tracked configuration set, done locally by the studio's mailer: links
 * not marked `ses:no-track` are pointed at a redirect, and a 1×1 pixel goes at the end of the body. The
 * `ses:no-track` marks are removed, as they mean nothing to a mail client. Pure.
 */
import { trackableHref } from '../render/issue-links.js';

/** How to track one message: the pixel's address (opens), and each link's tracked address (clicks). */
export interface TrackingRewrite {
  readonly pixelUrl?: string | undefined;
  readonly linkUrl?: ((url: string) => string) | undefined;
}

/** The message's HTML with its links and pixel as SES would serve them. */
export function addTracking(html: string, rewrite: TrackingRewrite): string {
  let out = html.replace(/<a\b([^>]*)>/gi, (_tag: string, attributes: string) => {
    if (/\bses:no-track\b/i.test(attributes)) return `<a${attributes.replace(/\s*\bses:no-track\b/gi, '')}>`;
    const url = trackableHref(attributes);
    if (url === undefined || !rewrite.linkUrl) return `<a${attributes}>`;
    return `<a${attributes.replace(/\bhref\s*=\s*"[^"]*"/i, `href="${escapeAttribute(rewrite.linkUrl(url))}"`)}>`;
  });
  if (rewrite.pixelUrl !== undefined) {
    const pixel = `<img src="${escapeAttribute(rewrite.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;">`;
    const end = out.lastIndexOf('</body>');
    out = end === -1 ? out + pixel : out.slice(0, end) + pixel + out.slice(end);
  }
  return out;
}

// An attribute value in double quotes (kept here rather than borrowed from render/, which imports this folder).
function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
