/**
 * The small public pages of the subscriber lifecycle (unsubscribe, and later confirm), as pure functions
 * from an outcome to a status and a complete HTML document. Every value is escaped; the page loads nothing
 * and runs no script, so it is served with a CSP that forbids both.
 */
import { escapeHtml } from '../render/escape.js';
import type { UnsubscribeOutcome } from './unsubscribe.js';

/** An HTTP answer of the lifecycle endpoints. */
export interface LifecyclePage {
  readonly status: number;
  readonly html: string;
}

/** Headers every lifecycle page is served with (the token sits in the URL: no referrer, no caching). */
export const LIFECYCLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** The one answer to every link that does not verify. */
export const INVALID_LINK_PAGE: LifecyclePage = {
  status: 400,
  html: page('This link is not valid', 'It may have been copied incompletely or changed. Nothing was changed.'),
};

/** The page for an unsubscribe outcome. */
export function unsubscribePage(outcome: UnsubscribeOutcome): LifecyclePage {
  switch (outcome.kind) {
    case 'confirm':
      return {
        status: 200,
        html: page(
          `Unsubscribe from ${outcome.list.displayName}?`,
          `${outcome.maskedEmail} will receive no more issues of ${outcome.list.displayName}.`,
          // Relative action: the same path with the same token, wherever the endpoint is mounted.
          `<form method="post" action="?t=${escapeHtml(encodeURIComponent(outcome.token))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
      };
    case 'unsubscribed':
      return { status: 200, html: page('You are unsubscribed', `${outcome.maskedEmail} will receive no more issues of ${outcome.list.displayName}.`) };
    case 'not-subscribed':
      return { status: 200, html: page('You are not subscribed', `${outcome.maskedEmail} receives no issues of ${outcome.list.displayName}.`) };
    case 'method-not-allowed':
      return { status: 405, html: page('Not allowed', 'Open the link from your email.') };
    case 'invalid':
      return INVALID_LINK_PAGE;
  }
}

// `formHtml` is markup built above from escaped values; title and message are plain text.
function page(title: string, message: string, formHtml = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:48px 16px;background:#f5f5f5;color:#1a1a1a}main{max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:32px}h1{font-size:1.4em;margin-top:0}button{font:inherit;padding:10px 20px;border:0;border-radius:6px;background:#1565c0;color:#fff;cursor:pointer}@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}main{background:#1e1e1e}}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${formHtml}</main></body></html>
`;
}
