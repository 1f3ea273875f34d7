/**
 * The MJML skeleton of every newsbrief email: head (title, colour scheme, dark-mode and phone styles),
 * the hidden preheader, then banner, card and footer. Every `…Html` argument is already escaped markup.
 */
import { FONT_STACK, type Theme } from './theme.js';

export interface LayoutParts {
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly theme: Theme;
  readonly titleHtml: string;
  readonly preheaderHtml: string;
  readonly bannerMjml: string;
  readonly cardMjml: string;
  readonly footerMjml: string;
}

// The banner logo in dark mode: the dark variant instead of the light one, or the light one on a light plate.
// Also under [data-ogsc], the attribute Outlook.com and Outlook for iOS/Android set when they darken a message.
const DARK_LOGO =
  '.nb-logo-light { display: none !important; } ' +
  '.nb-logo-dark { display: block !important; max-height: none !important; overflow: visible !important; } ' +
  '.nb-logo-plate { background-color: #f2f3f5 !important; padding: 8px 12px !important; border-radius: 8px !important; }';

/** The whole email as MJML. */
export function emailLayout(p: LayoutParts): string {
  const { theme } = p;
  const align = p.dir === 'rtl' ? 'right' : 'left';
  return `<mjml lang="${p.lang}" dir="${p.dir}">
  <mj-head>
    <mj-title>${p.titleHtml}</mj-title>
    <mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>
    <mj-attributes>
      <mj-all font-family="${FONT_STACK}" />
      <mj-text font-size="17px" line-height="1.55" color="${theme.text}" padding="0 24px" align="${align}" />
      <mj-button align="${align}" />
      <mj-image align="${align}" font-size="15px" />
      <mj-section padding="0" direction="${p.dir}" text-align="${align}" />
      <mj-wrapper padding="0" direction="${p.dir}" text-align="${align}" />
      <mj-column direction="${p.dir}" />
    </mj-attributes>
    <mj-style>
      :root { color-scheme: light dark; supported-color-schemes: light dark; }
      .nb-text p, .nb-text li, .nb-text h1, .nb-text h2, .nb-text h3 { overflow-wrap: break-word; word-wrap: break-word; }
      .nb-text a { text-underline-offset: 2px; }
      img { font-family: ${FONT_STACK}; font-size: 14px; color: ${theme.muted}; }
      @media only screen and (max-width: 480px) {
        .nb-hl { font-size: 25px !important; }
      }
      @media (prefers-color-scheme: dark) {
        body, .nb-page, .nb-page > div { background-color: ${theme.darkPage} !important; }
        .nb-card, .nb-card > table { background-color: ${theme.darkCard} !important; }
        .nb-text div, .nb-text h1, .nb-text h2, .nb-text h3, .nb-text p, .nb-text li, .nb-text strong, .nb-text em { color: #e8e8e8 !important; }
        .nb-text .nb-standfirst { color: #c4c7cb !important; }
        .nb-muted div, .nb-muted p { color: #aeb3b9 !important; }
        .nb-text a, .nb-muted a, .nb-text .nb-kicker, .nb-banner a, .nb-banner span, .nb-banner div { color: ${theme.accentOnDark} !important; }
        .nb-card img { color: #c4c7cb !important; }
        .nb-button td, .nb-button a { background-color: ${theme.accentOnDark} !important; color: #111111 !important; border-radius: 6px !important; }
        ${DARK_LOGO}
        .nb-rule p { border-color: #3a3d41 !important; }
      }
      ${DARK_LOGO.replace(/(^|\} )\./g, '$1[data-ogsc] .')}
    </mj-style>
  </mj-head>
  <mj-body width="600px" background-color="${theme.page}" css-class="nb-page">
    <mj-raw><div class="nb-preheader" style="display:none;max-height:0;max-width:0;overflow:hidden;mso-hide:all;opacity:0;font-size:1px;line-height:1px;">${p.preheaderHtml}${'&#847;&zwnj;&nbsp;'.repeat(60)}</div></mj-raw>
    ${p.bannerMjml}
    <mj-wrapper background-color="${theme.card}" border-radius="10px" padding="28px 0 32px" css-class="nb-card">
      ${p.cardMjml}
    </mj-wrapper>
    ${p.footerMjml}
  </mj-body>
</mjml>`;
}
