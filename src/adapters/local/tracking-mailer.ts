/**
 * Local mode's stand-in for SES's open and click tracking: messages of a list that tracks get the studio's
 * pixel and tracked links (signed, see src/engagement/tracking-token.ts) before they reach the embedded SES,
 * as SES rewrites them after SendRawEmail on AWS. The HTML part is found in the raw message as
 * composeMessage writes it (base64, text/html); any other message passes untouched.
 */
import type { OutboundMessage } from '../../deliver/compose-message.js';
import type { Keyring } from '../../deliver/tokens.js';
import type { ListsConfig } from '../../config/lists.js';
import { addTracking } from '../../engagement/add-tracking.js';
import { signTrackingToken } from '../../engagement/tracking-token.js';
import type { SendReceipt } from '../../model.js';
import type { Clock, Mailer } from '../../ports.js';

const HTML_PART = 'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n';

/** Wraps a Mailer; `baseUrl` is the studio's, which serves `/t/o/<token>` and `/t/c/<token>?u=`. */
export class TrackingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly lists: ListsConfig,
    private readonly keyring: Keyring,
    private readonly baseUrl: string,
    private readonly clock: Clock,
  ) {}

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const tags = message.tags;
    const tracking = tags && message.tracked ? this.lists.lists.get(tags.list)?.tracking : undefined;
    if (!tags || !(tracking?.opens || tracking?.clicks)) return this.inner.send(message);
    const tracked = {
      list: tags.list,
      issue: tags.issue,
      delivery: tags.delivery,
      messageId: message.messageId.replace(/^<|>$/g, ''),
      sentMs: this.clock.now(),
    };
    const base = this.baseUrl.replace(/\/+$/, '');
    const raw = rewriteHtmlPart(message.raw, (html) =>
      addTracking(html, {
        pixelUrl: tracking.opens ? `${base}/t/o/${signTrackingToken(tracked, this.keyring)}` : undefined,
        linkUrl: tracking.clicks
          ? (url) => `${base}/t/c/${signTrackingToken(tracked, this.keyring, url)}?u=${encodeURIComponent(url)}`
          : undefined,
      }),
    );
    return this.inner.send({ ...message, raw });
  }
}

/** The raw message with its base64 HTML part decoded, rewritten and encoded again (unchanged when there is none). */
export function rewriteHtmlPart(raw: Buffer, rewrite: (html: string) => string): Buffer {
  const text = raw.toString('utf8');
  const start = text.indexOf(HTML_PART);
  if (start === -1) return raw;
  const bodyStart = start + HTML_PART.length;
  const bodyEnd = text.indexOf('\r\n--', bodyStart);
  if (bodyEnd === -1) return raw;
  const html = Buffer.from(text.slice(bodyStart, bodyEnd).replace(/\r\n/g, ''), 'base64').toString('utf8');
  const encoded = Buffer.from(rewrite(html), 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  // The base64 body ended with CRLF before the delimiter's own CRLF--; keep that shape.
  const trailing = text.slice(bodyStart, bodyEnd).endsWith('\r\n') ? '\r\n' : '';
  return Buffer.from(text.slice(0, bodyStart) + lines.join('\r\n') + trailing + text.slice(bodyEnd), 'utf8');
}
