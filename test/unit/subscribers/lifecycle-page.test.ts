/** The lifecycle pages in the list's language and direction, with its own wording, escaped, never in borrowed English. */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/brief/brief-schema.js';
import { type ListConfig, type ListsConfig, parseListsConfig } from '../../../src/config/lists.js';
import { escapeHtml } from '../../../src/render/escape.js';
import { type LifecyclePhraseKey, lifecyclePhrasesFor } from '../../../src/render/lifecycle-phrases.js';
import {
  confirmPage,
  invalidLinkPage,
  type LifecyclePage,
  messageOnlyPage,
  subscribeFormPage,
  subscribeResultPage,
  unsubscribePage,
} from '../../../src/subscribers/lifecycle-page.js';
import { testLists } from '../../support/fakes.js';

const base = testLists.lists.get('weekly')!;
const listsOf = (...lists: Partial<ListConfig>[]): ListsConfig =>
  parseListsConfig({
    lists: lists.map((l, i) => {
      const { unsubscribeBaseUrl: _u, archiveBaseUrl: _a, ...plain } = { ...base, id: `list-${i}`, ...l } as ListConfig;
      return plain;
    }),
  });

const MASKED = 'a••@example.org';

/** Every page a reader of `list` can meet, with the phrase of its heading and the values it names. */
function pagesOf(list: ListConfig, lists: ListsConfig): [string, LifecyclePage | string, LifecyclePhraseKey, Record<string, string>][] {
  const named = { list: list.displayName };
  const withAddress = { ...named, address: MASKED };
  return [
    ['subscribe form', subscribeFormPage(lists, 'subscribe', { list: list.id }), 'subscribeTitle', {}],
    [
      'form with problems',
      subscribeResultPage(
        {
          kind: 'invalid',
          form: { list: list.id, email: 'x' },
          problems: [{ field: 'email', phrase: 'emailLooksWrong', message: 'Enter an address such as name@example.com.' }],
        },
        lists,
        'subscribe',
      ),
      'checkFormTitle',
      {},
    ],
    ['check inbox', subscribeResultPage({ kind: 'check-inbox', list, mailed: true }, lists, 'subscribe'), 'checkInboxTitle', named],
    ['confirm ask', confirmPage({ kind: 'ask', list, token: 'v1.t' }, lists), 'confirmAskTitle', named],
    ['confirmed', confirmPage({ kind: 'confirmed', list }, lists), 'confirmedTitle', named],
    ['not pending', confirmPage({ kind: 'not-pending', list }, lists), 'notPendingTitle', named],
    [
      'unsubscribe ask',
      unsubscribePage({ kind: 'confirm', list, maskedEmail: MASKED, token: 'v1.t' }, lists),
      'unsubscribeAskTitle',
      withAddress,
    ],
    ['unsubscribed', unsubscribePage({ kind: 'unsubscribed', list, maskedEmail: MASKED }, lists), 'unsubscribedTitle', withAddress],
    ['not subscribed', unsubscribePage({ kind: 'not-subscribed', list, maskedEmail: MASKED }, lists), 'notSubscribedTitle', withAddress],
    ['invalid link', unsubscribePage({ kind: 'invalid', reason: 'forged' }, lists), 'invalidLinkTitle', {}],
    ['invalid confirm link', confirmPage({ kind: 'invalid', reason: 'forged' }, lists), 'invalidLinkTitle', {}],
    ['method not allowed', unsubscribePage({ kind: 'method-not-allowed' }, lists), 'notAllowedTitle', {}],
  ];
}

const htmlOf = (page: LifecyclePage | string) => (typeof page === 'string' ? page : page.html);

describe('lifecycle pages in the list language', () => {
  it.each(LANGUAGES)('every page of a %s list has its lang, its direction and its words', (language: Language) => {
    const lists = listsOf({ locale: language, displayName: 'Future 50' });
    const list = lists.lists.get('list-0')!;
    const words = lifecyclePhrasesFor(language);
    const rtl = ['ar', 'fa', 'he', 'ur'].includes(language);
    for (const [name, page, title, values] of pagesOf(list, lists)) {
      const markup = htmlOf(page);
      expect(markup, name).toContain(`<html lang="${language}" dir="${rtl ? 'rtl' : 'ltr'}">`);
      expect(markup, name).toContain(`<title>${escapeHtml(words.text(title, values))}</title>`);
      if (language !== 'en')
        expect(markup, `${name} has English words`).not.toMatch(/>(Subscribe|Unsubscribe|Confirm subscription|This link is not valid)</);
    }
  });

  it('sets a right-to-left page in isolated values: the list name and the address cannot reorder the sentence', () => {
    const lists = listsOf({ locale: 'ar', displayName: 'Future 50' });
    const list = lists.lists.get('list-0')!;
    const page = unsubscribePage({ kind: 'confirm', list, maskedEmail: MASKED, token: 't' }, lists).html;
    expect(page).toContain('<p>لن يصل إلى <bdi>a••@example.org</bdi> أي عدد آخر من <bdi>Future 50</bdi>.</p>');
    expect(page).toContain('<title>إلغاء الاشتراك في \u2068Future 50\u2069؟</title>');
    expect(page).toContain('<button type="submit">إلغاء الاشتراك</button>');
  });

  it('isolates a right-to-left list name on a left-to-right page, and leaves left-to-right names bare', () => {
    const lists = listsOf({ locale: 'en', displayName: 'الموجز الأسبوعي' }, { locale: 'en', displayName: 'Future 50' });
    expect(confirmPage({ kind: 'confirmed', list: lists.lists.get('list-0')! }, lists).html).toContain(
      '<p>Welcome to <bdi>الموجز الأسبوعي</bdi>. The next issue will reach you.</p>',
    );
    expect(confirmPage({ kind: 'confirmed', list: lists.lists.get('list-1')! }, lists).html).toContain(
      '<p>Welcome to Future 50. The next issue will reach you.</p>',
    );
  });

  it("tells the form's problems in the list's language, with the example address isolated", () => {
    const lists = listsOf({ locale: 'he' });
    const page = subscribeFormPage(lists, 'subscribe', { list: 'list-0', email: 'x' }, [
      { field: 'email', phrase: 'emailLooksWrong', message: 'Enter an address such as name@example.com.' },
    ]);
    expect(page).toContain('<p class="problem" id="email-problem">יש להזין כתובת כמו <bdi>name@example.com</bdi>.</p>');
    expect(page).toContain('<input type="email" name="email" dir="ltr"');
  });

  it("speaks the chosen list's language on a form for several lists, and marks each list name with its own", () => {
    const lists = listsOf({ locale: 'de', displayName: 'Der Brief' }, { locale: 'ar', displayName: 'الموجز' });
    const german = subscribeFormPage(lists, 'subscribe');
    expect(german).toContain('<html lang="de" dir="ltr">');
    expect(german).toContain('<option value="list-1" lang="ar" dir="rtl">الموجز</option>');
    expect(subscribeFormPage(lists, 'subscribe', { list: 'list-1' })).toContain('<html lang="ar" dir="rtl">');
  });

  it('answers a link that names no trustworthy list in every language of the configured lists', () => {
    const lists = listsOf({ locale: 'fr' }, { locale: 'fr' }, { locale: 'fa' });
    const page = invalidLinkPage(lists);
    expect(page.status).toBe(400);
    expect(page.html).toContain('<html lang="fr" dir="ltr">');
    expect(page.html).toContain('<h1>Ce lien n’est pas valide</h1>');
    expect(page.html).toContain('<section lang="fa" dir="rtl"><h1>این پیوند معتبر نیست</h1>');
    expect(page.html.match(/<section/g)).toHaveLength(2);
  });

  it('answers an error in the language of the list the request names', () => {
    const lists = listsOf({ locale: 'es' }, { locale: 'ur' });
    const page = messageOnlyPage(503, lists, 'tryAgainTitle', 'mailNotSentMessage', 'list-1');
    expect(page.html).toContain('<html lang="ur" dir="rtl">');
    expect(page.html).toContain('<h1>براہ کرم دوبارہ کوشش کریں</h1>');
    expect(page.html).not.toContain('<section');
  });

  it("uses the list's own wording, escaped like every other text", () => {
    const lists = listsOf({
      locale: 'en',
      phrases: { confirmButton: 'Count me <b>in</b>', confirmAskMessage: 'Say yes to {list} & more.' },
    });
    const page = confirmPage({ kind: 'ask', list: lists.lists.get('list-0')!, token: 't' }, lists).html;
    expect(page).toContain('<button type="submit">Count me &lt;b&gt;in&lt;/b&gt;</button>');
    expect(page).toContain('<p>Say yes to The Weekly Brief &amp; more.</p>');
  });

  it('keeps the off-screen honeypot on the side a page never scrolls to, in either direction', () => {
    const page = subscribeFormPage(listsOf({ locale: 'ar' }), 'subscribe');
    expect(page).toContain('.hp{position:absolute;inset-inline-start:-10000px');
    expect(page).not.toMatch(/\bleft:-10000px/);
  });
});
