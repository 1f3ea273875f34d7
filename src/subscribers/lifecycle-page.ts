/**
 * The small public pages of the subscriber lifecycle (subscribe, confirm, unsubscribe), as pure functions
 * from an outcome to a status and a complete HTML document, in the list's language and direction with the
 * list's own wording (src/render/lifecycle-phrases.ts). A page that belongs to no list (a link that does not
 * verify, a wrong path or method) speaks every language of the configured lists. Every value is escaped by the
 * `html` template (markup is only what the template itself builds); the page loads nothing and runs no
 * script, so it is served with a CSP that forbids both.
 */
import type { ListConfig, ListsConfig } from '../config/lists.js';
import { html, type SafeHtml } from '../render/html-template.js';
import { type LifecyclePhraseKey, type LifecyclePhrases, lifecyclePhrasesFor, type PhraseValues } from '../render/lifecycle-phrases.js';
import { type ConfirmOutcome, type FormProblem, HONEYPOT_FIELD, type SubscribeForm, type SubscribeOutcome } from './subscribe.js';
import type { UnsubscribeOutcome } from './unsubscribe.js';

/** An HTTP answer of the lifecycle endpoints. */
export interface LifecyclePage {
  readonly status: number;
  readonly html: string;
}

/**
 * Headers every lifecycle page is served with. The token sits in the URL: no caching, and no referrer to any
 * other site. `same-origin` rather than `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
 * the page's own form posts, which an origin check (the local studio's) must refuse.
 */
export const LIFECYCLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** The example address the form's hint shows. */
const EXAMPLE_ADDRESS = 'name@example.com';

/** The lifecycle words of one list: its locale (default "en") and its own `phrases`. */
export function listWords(list: ListConfig): LifecyclePhrases {
  return lifecyclePhrasesFor(list.locale, list.phrases);
}

/**
 * The words of a page that belongs to no list: one set per language of the configured lists, in their order,
 * each with the overrides of the first list in that language. Not English by default: the lists say which.
 */
export function languagesOf(lists: ListsConfig): LifecyclePhrases[] {
  const byLocale = new Map<string, LifecyclePhrases>();
  for (const list of lists.lists.values()) {
    const locale = list.locale ?? 'en';
    if (!byLocale.has(locale)) byLocale.set(locale, listWords(list));
  }
  return [...byLocale.values()];
}

const RTL_CHARACTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/**
 * A phrase as markup: each value (a list's name, an address) in `<bdi>` where directions may mix, so that it
 * cannot reorder the sentence around it. Left-to-right values on a left-to-right page stay bare.
 */
function say(words: LifecyclePhrases, key: LifecyclePhraseKey, values?: PhraseValues): SafeHtml {
  return html`${words
    .pieces(key, values)
    .map((piece) =>
      piece.kind === 'text'
        ? piece.text
        : words.dir === 'rtl' || RTL_CHARACTER.test(piece.text)
          ? html`<bdi>${piece.text}</bdi>`
          : piece.text,
    )}`;
}

/** One block of a page: a heading, a sentence and, optionally, a form, in one language. */
interface Block {
  readonly words: LifecyclePhrases;
  readonly title: LifecyclePhraseKey;
  readonly message: LifecyclePhraseKey;
  readonly values?: PhraseValues;
  readonly form?: SafeHtml;
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:48px 16px;background:#f5f5f5;color:#1a1a1a}' +
  'main{max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:32px;overflow-wrap:anywhere}' +
  'section+section{margin-top:32px;padding-top:24px;border-top:1px solid #ddd}' +
  'h1{font-size:1.4em;margin-top:0}label{display:block;margin:12px 0}' +
  'input,select{font:inherit;width:100%;box-sizing:border-box;padding:8px}' +
  // An address is typed left to right; on a right-to-left page it still lines up with the other fields.
  '[dir=rtl] input[type=email]{text-align:right}' +
  '.problem{color:#b00020;margin:4px 0}' +
  // Off screen on the side the page does not scroll to (inline-start): never a sideways scrollbar, in either direction.
  '.hp{position:absolute;inset-inline-start:-10000px;width:1px;overflow:hidden}' +
  'button{font:inherit;padding:10px 20px;border:0;border-radius:6px;background:#1565c0;color:#fff;cursor:pointer}' +
  '@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}main{background:#1e1e1e}section+section{border-color:#444}}';

// The document takes the first block's language and direction; a block in another language carries its own.
function pageOf(blocks: readonly Block[]): string {
  const first = blocks[0]!;
  const sections = blocks.map((block, index) => {
    const body = html`<h1>${say(block.words, block.title, block.values)}</h1><p>${say(block.words, block.message, block.values)}</p>${block.form ?? ''}`;
    return blocks.length === 1
      ? body
      : index === 0
        ? html`<section>${body}</section>`
        : html`<section lang="${block.words.locale}" dir="${block.words.dir}">${body}</section>`;
  });
  return html`<!doctype html>
<html lang="${first.words.locale}" dir="${first.words.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${first.words.text(first.title, first.values)}</title>
<style>${STYLE}</style>
</head><body><main>${sections}</main></body></html>
`.toString();
}

/** A page of one list's language: a heading, a sentence and, optionally, a form. */
function listPage(
  list: ListConfig,
  title: LifecyclePhraseKey,
  message: LifecyclePhraseKey,
  values: PhraseValues = {},
  form?: SafeHtml,
): string {
  return pageOf([{ words: listWords(list), title, message, values: { list: list.displayName, ...values }, ...(form ? { form } : {}) }]);
}

/**
 * A heading and a sentence (errors and other short answers): in the language of `listId` when it names a
 * configured list, else in every language of the configured lists.
 */
export function messageOnlyPage(
  status: number,
  lists: ListsConfig,
  title: LifecyclePhraseKey,
  message: LifecyclePhraseKey,
  listId?: string | undefined,
): LifecyclePage {
  const list = listId !== undefined ? lists.lists.get(listId) : undefined;
  const languages = list ? [listWords(list)] : languagesOf(lists);
  return { status, html: pageOf(languages.map((words) => ({ words, title, message }))) };
}

/** The one answer to every link that does not verify (nothing names a list one could trust). */
export function invalidLinkPage(lists: ListsConfig): LifecyclePage {
  return messageOnlyPage(400, lists, 'invalidLinkTitle', 'invalidLinkMessage');
}

/** The page for an unsubscribe outcome. */
export function unsubscribePage(outcome: UnsubscribeOutcome, lists: ListsConfig): LifecyclePage {
  switch (outcome.kind) {
    case 'confirm': {
      const words = listWords(outcome.list);
      return {
        status: 200,
        html: listPage(
          outcome.list,
          'unsubscribeAskTitle',
          'unsubscribeAskMessage',
          { address: outcome.maskedEmail },
          // Relative action: the same path with the same token, wherever the endpoint is mounted.
          html`<form method="post" action="?t=${encodeURIComponent(outcome.token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${say(words, 'unsubscribeButton')}</button></form>`,
        ),
      };
    }
    case 'unsubscribed':
      return { status: 200, html: listPage(outcome.list, 'unsubscribedTitle', 'unsubscribedMessage', { address: outcome.maskedEmail }) };
    case 'not-subscribed':
      return { status: 200, html: listPage(outcome.list, 'notSubscribedTitle', 'notSubscribedMessage', { address: outcome.maskedEmail }) };
    case 'method-not-allowed':
      return messageOnlyPage(405, lists, 'notAllowedTitle', 'openLinkFromEmail');
    case 'invalid':
      return invalidLinkPage(lists);
  }
}

/** The page after a subscribe form post (or the form again, with its problems). */
export function subscribeResultPage(outcome: SubscribeOutcome, lists: ListsConfig, action: string): LifecyclePage {
  switch (outcome.kind) {
    case 'invalid':
      return { status: 400, html: subscribeFormPage(lists, action, outcome.form, outcome.problems) };
    case 'check-inbox':
      return { status: 200, html: listPage(outcome.list, 'checkInboxTitle', 'checkInboxMessage') };
  }
}

/**
 * The subscribe form, with the problems of a previous post next to their fields. It speaks the language of
 * the chosen list (`values.list`, e.g. from `?list=`), else that of the first configured list; each list's
 * name in the menu carries its own language and direction.
 */
export function subscribeFormPage(
  lists: ListsConfig,
  action: string,
  values: SubscribeForm = {},
  problems: readonly FormProblem[] = [],
): string {
  const chosen = (values.list !== undefined ? lists.lists.get(values.list) : undefined) ?? lists.lists.values().next().value!;
  const words = listWords(chosen);
  const problemOf = (field: FormProblem['field']) => {
    const found = problems.find((p) => p.field === field);
    return found ? html`<p class="problem" id="${field}-problem">${say(words, found.phrase, { example: EXAMPLE_ADDRESS })}</p>` : '';
  };
  const options = [...lists.lists.values()].map((l) => {
    const own = listWords(l);
    return html`<option value="${l.id}" lang="${own.locale}" dir="${own.dir}"${values.list === l.id ? html` selected` : ''}>${l.displayName}</option>`;
  });
  const form = html`<form method="post" action="${action}">
<label>${say(words, 'newsletterLabel')}<br><select name="list">${options}</select></label>${problemOf('list')}
<label>${say(words, 'emailLabel')}<br><input type="email" name="email" dir="ltr" required maxlength="254" autocomplete="email" value="${values.email ?? ''}"></label>${problemOf('email')}
<label>${say(words, 'firstNameLabel')}<br><input type="text" name="firstName" dir="auto" maxlength="100" autocomplete="given-name" value="${values.firstName ?? ''}"></label>${problemOf('firstName')}
<label class="hp" aria-hidden="true">${say(words, 'honeypotLabel')}<input type="text" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label>
<button type="submit">${say(words, 'subscribeButton')}</button></form>`;
  return pageOf([{ words, title: problems.length > 0 ? 'checkFormTitle' : 'subscribeTitle', message: 'subscribeIntro', form }]);
}

/** The page after following a confirmation link. */
export function confirmPage(outcome: ConfirmOutcome, lists: ListsConfig): LifecyclePage {
  switch (outcome.kind) {
    case 'ask':
      return {
        status: 200,
        html: listPage(
          outcome.list,
          'confirmAskTitle',
          'confirmAskMessage',
          {},
          // Relative action: the same path with the same token, wherever the endpoint is mounted.
          html`<form method="post" action="?t=${encodeURIComponent(outcome.token)}"><button type="submit">${say(listWords(outcome.list), 'confirmButton')}</button></form>`,
        ),
      };
    case 'confirmed':
      return { status: 200, html: listPage(outcome.list, 'confirmedTitle', 'confirmedMessage') };
    case 'not-pending':
      return { status: 200, html: listPage(outcome.list, 'notPendingTitle', 'notPendingMessage') };
    case 'invalid':
      return invalidLinkPage(lists);
  }
}
