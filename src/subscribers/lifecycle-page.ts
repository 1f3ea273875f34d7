/**
 * The small public pages of the subscriber lifecycle (subscribe, confirm, unsubscribe), as pure functions
 * from an outcome to a status and a complete HTML document. Every value is escaped by the `html` template
 * (markup is only what the template itself builds); the page loads nothing
 * and runs no script, so it is served with a CSP that forbids both.
 */
import { html, type SafeHtml } from '../render/html-template.js';
import type { ListsConfig } from '../config/lists.js';
import { type ConfirmOutcome, type FormProblem, HONEYPOT_FIELD, type SubscribeForm, type SubscribeOutcome } from './subscribe.js';
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
          html`<form method="post" action="?t=${encodeURIComponent(outcome.token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
      };
    case 'unsubscribed':
      return {
        status: 200,
        html: page('You are unsubscribed', `${outcome.maskedEmail} will receive no more issues of ${outcome.list.displayName}.`),
      };
    case 'not-subscribed':
      return {
        status: 200,
        html: page('You are not subscribed', `${outcome.maskedEmail} receives no issues of ${outcome.list.displayName}.`),
      };
    case 'method-not-allowed':
      return { status: 405, html: page('Not allowed', 'Open the link from your email.') };
    case 'invalid':
      return INVALID_LINK_PAGE;
  }
}

// Title and message are plain text; `form` is markup built by the same template.
function page(title: string, message: string, form: SafeHtml | string = ''): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:48px 16px;background:#f5f5f5;color:#1a1a1a}main{max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:32px}h1{font-size:1.4em;margin-top:0}label{display:block;margin:12px 0}input,select{font:inherit;width:100%;box-sizing:border-box;padding:8px}.problem{color:#b00020;margin:4px 0}.hp{position:absolute;left:-10000px}button{font:inherit;padding:10px 20px;border:0;border-radius:6px;background:#1565c0;color:#fff;cursor:pointer}@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}main{background:#1e1e1e}}</style>
</head><body><main><h1>${title}</h1><p>${message}</p>${form}</main></body></html>
`.toString();
}

/** The page after a subscribe form post (or the form again, with its problems). */
export function subscribeResultPage(outcome: SubscribeOutcome, lists: ListsConfig, action: string): LifecyclePage {
  switch (outcome.kind) {
    case 'invalid':
      return { status: 400, html: subscribeFormPage(lists, action, outcome.form, outcome.problems) };
    case 'check-inbox':
      return {
        status: 200,
        html: page(
          'Check your inbox',
          `If the address can join ${outcome.list.displayName}, a confirmation mail is on its way. Follow its link to start receiving issues.`,
        ),
      };
  }
}

/** The subscribe form, with the problems of a previous post next to their fields. */
export function subscribeFormPage(
  lists: ListsConfig,
  action: string,
  values: SubscribeForm = {},
  problems: readonly FormProblem[] = [],
): string {
  const problemOf = (field: FormProblem['field']) => {
    const found = problems.find((p) => p.field === field);
    return found ? html`<p class="problem" id="${field}-problem">${found.message}</p>` : '';
  };
  const options = [...lists.lists.values()].map(
    (l) => html`<option value="${l.id}"${values.list === l.id ? html` selected` : ''}>${l.displayName}</option>`,
  );
  const form = html`<form method="post" action="${action}">
<label>Newsletter<br><select name="list">${options}</select></label>${problemOf('list')}
<label>Email<br><input type="email" name="email" required maxlength="254" autocomplete="email" value="${values.email ?? ''}"></label>${problemOf('email')}
<label>First name (optional)<br><input type="text" name="firstName" maxlength="100" autocomplete="given-name" value="${values.firstName ?? ''}"></label>${problemOf('firstName')}
<label class="hp" aria-hidden="true">Leave this empty<input type="text" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label>
<button type="submit">Subscribe</button></form>`;
  return page(problems.length > 0 ? 'Please check the form' : 'Subscribe', 'We will send you a mail to confirm the address.', form);
}

/** The page after following a confirmation link. */
export function confirmPage(outcome: ConfirmOutcome): LifecyclePage {
  switch (outcome.kind) {
    case 'ask':
      return {
        status: 200,
        html: page(
          `Join ${outcome.list.displayName}?`,
          `Confirm that you want to receive ${outcome.list.displayName}.`,
          // Relative action: the same path with the same token, wherever the endpoint is mounted.
          html`<form method="post" action="?t=${encodeURIComponent(outcome.token)}"><button type="submit">Confirm subscription</button></form>`,
        ),
      };
    case 'confirmed':
      return { status: 200, html: page('You are subscribed', `Welcome to ${outcome.list.displayName}. The next issue will reach you.`) };
    case 'not-pending':
      return {
        status: 200,
        html: page(
          'Nothing to confirm',
          `This address is not waiting to join ${outcome.list.displayName}. To join again, use the subscribe form.`,
        ),
      };
    case 'invalid':
      return INVALID_LINK_PAGE;
  }
}

/** A page with a title and one sentence (errors and other short answers). */
export function messageOnlyPage(status: number, title: string, message: string): LifecyclePage {
  return { status, html: page(title, message) };
}
