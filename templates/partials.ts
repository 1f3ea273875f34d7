/**
 * The blocks of an email, as MJML. Each takes markup that is already escaped (the `…Html` names) and
 * attribute values that are already escaped; none of them sees raw brief text.
 */
import { FONT_STACK, type Theme } from './theme.js';

/** The newsletter's identity: a logo (with its dark-mode variant) whose alt text reads as the name, or the name set in type. */
export function bannerBlock(b: {
  textHtml: string;
  hrefHtml?: string | undefined;
  imageUrlHtml?: string | undefined;
  darkImageUrlHtml?: string | undefined;
  altHtml?: string | undefined;
  theme: Theme;
}): string {
  const link = (inner: string) =>
    b.hrefHtml ? `<a href="${b.hrefHtml}" target="_blank" style="color:${b.theme.accent};text-decoration:none;">${inner}</a>` : inner;
  if (b.imageUrlHtml) {
    // Raw images rather than mj-image: MJML sets the alt text's font inline at 13 px, and a second image for
    // dark mode needs its own hidden wrapper. With images blocked the alt text reads as the name in type:
    // 20 px bold in the accent, which the lists file holds to 4.5:1 on the page.
    const img = (src: string, cls: string, colour: string) =>
      `<img class="${cls}" src="${src}" alt="${b.altHtml ?? b.textHtml}" width="200" style="display:block;width:200px;max-width:100%;height:auto;border:0;outline:none;text-decoration:none;font-family:${FONT_STACK};font-size:20px;line-height:1.25;font-weight:800;color:${colour};" />`;
    // Without a dark logo, the light one sits on a light plate in dark mode so that dark lettering stays visible.
    const light = link(img(b.imageUrlHtml, b.darkImageUrlHtml ? 'nb-logo-light' : 'nb-logo-plate', b.theme.accent));
    const dark = b.darkImageUrlHtml
      ? `<div class="nb-logo-dark" style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${link(img(b.darkImageUrlHtml, 'nb-logo-dark-img', b.theme.accentOnDark))}</div>`
      : '';
    return `<mj-section padding="24px 0 16px"><mj-column><mj-text css-class="nb-logo" padding="0 24px" font-size="20px" line-height="1.25">${light}${dark}</mj-text></mj-column></mj-section>`;
  }
  const name = b.hrefHtml
    ? `<a href="${b.hrefHtml}" style="color:${b.theme.accent};text-decoration:none;">${b.textHtml}</a>`
    : `<span style="color:${b.theme.accent};">${b.textHtml}</span>`;
  return `<mj-section padding="24px 0 16px"><mj-column><mj-text css-class="nb-banner" font-size="22px" line-height="1.2" font-weight="800" letter-spacing="-0.01em" color="${b.theme.accent}">${name}</mj-text></mj-column></mj-section>`;
}

/** A single quiet link above the first headline. */
export function announcementBlock(a: { textHtml: string; hrefHtml: string; theme: Theme; arrow: string }): string {
  return `<mj-section padding="0 0 20px"><mj-column><mj-text css-class="nb-text" font-size="15px" line-height="1.4"><a href="${a.hrefHtml}" style="color:${a.theme.accent};font-weight:600;text-decoration:none;">${a.textHtml}&nbsp;${a.arrow}</a></mj-text></mj-column></mj-section>`;
}

export interface StoryParts {
  readonly kickerHtml?: string | undefined;
  readonly headlineHtml: string;
  readonly headlineTag: 'h1' | 'h2';
  readonly standfirstHtml?: string | undefined;
  readonly image?: { urlHtml: string; altHtml: string; hrefHtml?: string | undefined } | undefined;
  /** Paragraphs and sections, already laid out as HTML. */
  readonly bodyHtml?: string | undefined;
  readonly link?: { textHtml: string; hrefHtml: string } | undefined;
  readonly theme: Theme;
  readonly separated: boolean;
}

/** One story: kicker, headline, standfirst, image, body and one button. */
export function storyBlock(s: StoryParts): string {
  const { theme } = s;
  const rule = s.separated
    ? `<mj-divider css-class="nb-rule" border-width="1px" border-color="${theme.rule}" padding="8px 24px 28px" />`
    : '';
  const kicker = s.kickerHtml
    ? `<p class="nb-kicker" style="margin:0 0 8px;font-size:14px;line-height:1.3;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${theme.accent};">${s.kickerHtml}</p>`
    : '';
  const standfirst = s.standfirstHtml
    ? `<p class="nb-standfirst" style="margin:14px 0 0;font-size:19px;line-height:1.45;color:#3c4043;">${s.standfirstHtml}</p>`
    : '';
  const headline = `${kicker}<${s.headlineTag} class="nb-hl" style="margin:0;font-size:28px;line-height:1.2;font-weight:800;letter-spacing:-0.015em;color:${theme.text};">${s.headlineHtml}</${s.headlineTag}>${standfirst}`;
  const image = s.image
    ? `<mj-image src="${s.image.urlHtml}" alt="${s.image.altHtml}"${s.image.hrefHtml ? ` href="${s.image.hrefHtml}"` : ''} padding="0 24px 22px" border-radius="6px" fluid-on-mobile="true" />`
    : '';
  // Without an image between them, headline and body share one mj-text: each mj-text costs ~0.6 KB of
  // table markup, and Gmail clips messages over 102 KiB.
  const text = s.image
    ? `<mj-text css-class="nb-text" padding="0 24px 20px">${headline}</mj-text>${image}` +
      (s.bodyHtml ? `<mj-text css-class="nb-text" padding="0 24px 8px">${s.bodyHtml}</mj-text>` : '')
    : s.bodyHtml
      ? `<mj-text css-class="nb-text" padding="0 24px 8px"><div style="margin:0 0 20px;">${headline}</div>${s.bodyHtml}</mj-text>`
      : `<mj-text css-class="nb-text" padding="0 24px 20px">${headline}</mj-text>`;
  const button = s.link
    ? `<mj-button href="${s.link.hrefHtml}" css-class="nb-button" background-color="${theme.accent}" color="#ffffff" font-size="16px" font-weight="700" line-height="20px" inner-padding="12px 24px" border-radius="6px" padding="12px 24px 8px">${s.link.textHtml}</mj-button>`
    : '';
  return `<mj-section><mj-column>${rule}${text}${button}</mj-column></mj-section>`;
}

/**
 * Why the reader gets this, the postal address, "view in browser" and a plainly visible unsubscribe link.
 * The two links are 44 px tall tap targets (padding, not a bigger font); the address takes its own
 * direction (dir="auto"), so a Latin address in a right-to-left email keeps its punctuation in place.
 */
export function footerBlock(f: {
  whyHtml: string;
  postalAddressHtml: string;
  /** The "view in browser" link; absent for a mail with no public web copy (the confirmation mail). */
  viewInBrowserHtml?: string | undefined;
  webUrlHtml?: string | undefined;
  unsubscribeHtml: string;
  unsubscribeUrlHtml: string;
  theme: Theme;
}): string {
  const link = `display:inline-block;padding:12px 2px;line-height:20px;color:${f.theme.muted};text-decoration:underline;`;
  return `<mj-section padding="24px 0 24px"><mj-column><mj-text css-class="nb-muted" font-size="14px" line-height="1.5" color="${f.theme.muted}">
<p style="margin:0 0 10px;">${f.whyHtml}</p>
<p dir="auto" style="margin:0 0 4px;">${f.postalAddressHtml}</p>
<p class="nb-footer-links" style="margin:0;">${f.viewInBrowserHtml !== undefined && f.webUrlHtml !== undefined ? `<a href="${f.webUrlHtml}" style="${link}">${f.viewInBrowserHtml}</a> &nbsp;·&nbsp; ` : ''}<a href="${f.unsubscribeUrlHtml}" style="${link}">${f.unsubscribeHtml}</a></p>
</mj-text></mj-column></mj-section>`;
}

/** A loud strip above everything in a proof: nobody may mistake it for the real send. */
export function proofNoticeBlock(p: { textHtml: string }): string {
  return `<mj-section padding="0" background-color="#ffd54f"><mj-column><mj-text css-class="nb-proof" font-size="15px" line-height="1.4" font-weight="700" color="#1a1a1a" padding="12px 24px" align="center">${p.textHtml}</mj-text></mj-column></mj-section>`;
}
