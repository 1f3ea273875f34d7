/** The confirmation mail in the list's language: no web copy it does not have, a footer true for someone not yet subscribed. */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/brief/brief-schema.js';
import { type ListConfig, parseListsConfig } from '../../../src/config/lists.js';
import { lifecyclePhrasesFor } from '../../../src/render/lifecycle-phrases.js';
import { phrasesFor } from '../../../src/render/phrases.js';
import { webUrlOf } from '../../../src/render/render-issue.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { confirmationBrief, renderConfirmation } from '../../../src/subscribers/confirmation-brief.js';
import { testLists } from '../../support/fakes.js';

const CONFIRM_URL = 'https://news.example.com/confirm?t=v1.abc';
const reader = { firstName: 'Ada', email: 'ada@example.org', unsubscribeUrl: 'https://news.example.com/unsubscribe?t=v1.xyz' };

function listIn(locale: Language | string, extra: Partial<ListConfig> = {}): ListConfig {
  const { unsubscribeBaseUrl: _u, archiveBaseUrl: _a, ...weekly } = testLists.lists.get('weekly')!;
  return parseListsConfig({ lists: [{ ...weekly, locale, ...extra }] }).lists.get('weekly')!;
}

/** Text without the invisible isolates and with runs of white space as one space: what a reader sees. */
const seen = (text: string) => text.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ');

describe('the confirmation mail', () => {
  it.each(LANGUAGES)('is in %s, with its direction, and offers no web copy', async (language) => {
    const list = listIn(language);
    const words = lifecyclePhrasesFor(language);
    const issue = await renderConfirmation(list, CONFIRM_URL);
    const html = fillTemplate(issue.html, reader);
    const text = fillTemplate(issue.text, reader);
    const rtl = ['ar', 'fa', 'he', 'ur'].includes(language);

    expect(issue.locale).toBe(language);
    expect(fillTemplate(issue.subject, reader)).toBe(words.text('confirmMailSubject', { list: list.displayName }));
    expect(html).toContain(`<html lang="${language}" dir="${rtl ? 'rtl' : 'ltr'}"`);
    expect(seen(text)).toContain(seen(words.text('confirmMailWhy', { list: list.displayName })));
    expect(seen(text)).toContain(`${seen(words.text('confirmMailButton'))}: ${CONFIRM_URL}`);
    // No "View in browser" (the archive has no page for this mail) and no "because you subscribed".
    const footer = phrasesFor(language);
    for (const part of [html, text]) {
      expect(part).not.toContain(footer.viewInBrowser);
      expect(part).not.toContain(webUrlOf(list, 'confirm-subscription'));
      expect(seen(part)).not.toContain(seen(footer.whyReceiving(list.displayName)));
    }
    // The unsubscribe link stays: the pending address can still say no.
    expect(text).toContain(`${footer.unsubscribe}: ${reader.unsubscribeUrl}`);
  });

  it('tells an English reader who has not subscribed why the mail came, and that ignoring it is enough', async () => {
    const text = fillTemplate((await renderConfirmation(listIn('en'), CONFIRM_URL)).text, reader);
    expect(seen(text)).toContain(
      'You got this mail because someone entered this address in the subscribe form of The Weekly Brief. If it was not you, ignore it and nothing happens.',
    );
    expect(text).not.toMatch(/because you subscribed/i);
  });

  it("uses the list's own wording, with markup characters kept as typed", async () => {
    const list = listIn('en', {
      phrases: { confirmMailRequest: 'Tap the *big* button [now](https://evil.example).', confirmMailSubject: 'Join {list} <today>' },
    });
    const brief = confirmationBrief(list, CONFIRM_URL);
    expect(brief.subject).toBe('Join The Weekly Brief <today>');
    const html = fillTemplate((await renderConfirmation(list, CONFIRM_URL)).html, reader);
    expect(html).toContain('Tap the *big* button [now](https://evil.example).');
    expect(html).not.toContain('href="https://evil.example"');
    expect(html).toContain('<title>Join The Weekly Brief &lt;today&gt;</title>');
  });
});
