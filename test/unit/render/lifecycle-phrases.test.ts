/**
 * The CI check that no language borrows English: every language a list may use has every lifecycle phrase,
 * translated, with the same values as the English one; and the runtime refuses rather than fall back.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, RTL_LANGUAGES } from '../../../src/brief/brief-schema.js';
import { parseListsConfig } from '../../../src/config/lists.js';
import {
  LIFECYCLE_PHRASE_KEYS,
  LIFECYCLE_PHRASES,
  LifecyclePhraseError,
  lifecyclePhrasesFor,
  phraseOverrideProblems,
  valueNamesOf,
} from '../../../src/render/lifecycle-phrases.js';
import { readFileSync } from 'node:fs';

// The same word in English and in these languages, on purpose (loanwords in everyday use).
const SAME_AS_ENGLISH = new Set(['de.newsletterLabel', 'it.newsletterLabel', 'it.emailLabel', 'pt.newsletterLabel', 'pt.emailLabel']);

const exampleLists = () =>
  JSON.parse(readFileSync(new URL('../../../config/lists.json', import.meta.url), 'utf8')) as { lists: Record<string, unknown>[] };

describe('lifecycle phrases in every language (no silent English)', () => {
  it('has a phrase table for exactly the languages a list may use', () => {
    expect(Object.keys(LIFECYCLE_PHRASES).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every phrase, translated, with the values the English one has', (language) => {
    const table = LIFECYCLE_PHRASES[language] as Record<string, unknown>;
    expect(Object.keys(table).sort()).toEqual([...LIFECYCLE_PHRASE_KEYS].sort());
    for (const key of LIFECYCLE_PHRASE_KEYS) {
      const text = table[key];
      const english = LIFECYCLE_PHRASES.en[key];
      expect(typeof text === 'string' && text.trim().length > 0, `${language}.${key} is empty`).toBe(true);
      expect(valueNamesOf(String(text)).sort(), `${language}.${key} names other values than the English one`).toEqual(
        valueNamesOf(english).sort(),
      );
      if (!SAME_AS_ENGLISH.has(`${language}.${key}`)) expect(text, `${language}.${key} is still the English text`).not.toBe(english);
    }
  });

  it.each(RTL_LANGUAGES)('%s phrases are written in their own script and the page reads right to left', (language) => {
    const words = lifecyclePhrasesFor(language);
    expect(words.dir).toBe('rtl');
    for (const key of LIFECYCLE_PHRASE_KEYS) expect(LIFECYCLE_PHRASES[language][key], key).toMatch(/[\u0590-\u08ff]/);
  });

  it('isolates a value where directions mix, and only there', () => {
    expect(lifecyclePhrasesFor('en').text('confirmAskTitle', { list: 'Future 50' })).toBe('Join Future 50?');
    expect(lifecyclePhrasesFor('en').text('confirmAskTitle', { list: 'الموجز' })).toBe('Join \u2068الموجز\u2069?');
    expect(lifecyclePhrasesFor('fa').text('confirmAskTitle', { list: 'Future 50' })).toBe('به \u2068Future 50\u2069 می‌پیوندید؟');
  });

  it('keeps the region of a locale and reads the language from it', () => {
    const words = lifecyclePhrasesFor('pt-BR');
    expect([words.locale, words.dir, words.text('confirmButton')]).toEqual(['pt-BR', 'ltr', 'Confirmar a inscrição']);
  });

  it('refuses a language without phrases instead of answering in English', () => {
    expect(() => lifecyclePhrasesFor('sv')).toThrow(LifecyclePhraseError);
    expect(() => lifecyclePhrasesFor('sv')).toThrow(/no lifecycle phrases for the language of "sv"/);
  });

  it('refuses to fill a phrase whose value the caller left out', () => {
    expect(() => lifecyclePhrasesFor('de').text('confirmAskTitle')).toThrow(/needs a value for \{list\}/);
  });

  it("uses a list's own wording over the built-in phrase, with the phrase's values", () => {
    const words = lifecyclePhrasesFor('en', { confirmButton: 'Count me in', confirmedMessage: 'See you in {list}!' });
    expect(words.text('confirmButton')).toBe('Count me in');
    expect(words.text('confirmedMessage', { list: 'Future 50' })).toBe('See you in Future 50!');
    expect(words.text('confirmAskTitle', { list: 'Future 50' })).toBe('Join Future 50?');
  });
});

describe('phrase overrides in the lists configuration', () => {
  it('names the list, the field and the accepted keys for an unknown key', () => {
    const doc = exampleLists();
    doc.lists[1]!.phrases = { confirmButtonText: 'Yes' };
    expect(() => parseListsConfig(doc)).toThrow(
      /\/lists\/1\/phrases\/confirmButtonText list "weekly": "confirmButtonText" is not a phrase newsbrief uses; the accepted keys are invalidLinkTitle, .*confirmButton, .*confirmMailWhy/,
    );
  });

  it('refuses a value the phrase does not have, a merge tag, a bidi control and an empty phrase, each with its key', () => {
    expect(
      phraseOverrideProblems({
        confirmedTitle: 'Welcome, {list}',
        confirmButton: 'Yes {{firstName}}',
        confirmedMessage: '\u202eWelcome to {list}',
        subscribeTitle: ' ',
      }),
    ).toEqual([
      { key: 'confirmedTitle', message: 'has "{list}": it takes no values, and braces mean nothing else' },
      { key: 'confirmButton', message: 'has a lone "{", "{firstName}", a lone "}": it takes no values, and braces mean nothing else' },
      { key: 'confirmedMessage', message: expect.stringContaining('U+202E') },
      { key: 'subscribeTitle', message: 'must be a non-empty string' },
    ]);
  });

  it('accepts every key with its own values and a locale with a region, and keeps them on the list', () => {
    const doc = exampleLists();
    doc.lists[3]!.locale = 'ar-EG';
    doc.lists[3]!.phrases = Object.fromEntries(LIFECYCLE_PHRASE_KEYS.map((key) => [key, LIFECYCLE_PHRASES.ar[key]]));
    const list = parseListsConfig(doc).lists.get('arabic-weekly')!;
    expect([list.locale, Object.keys(list.phrases ?? {}).length]).toEqual(['ar-EG', LIFECYCLE_PHRASE_KEYS.length]);
  });

  it('refuses a list locale newsbrief has no phrases for, naming the list', () => {
    const doc = exampleLists();
    doc.lists[0]!.locale = 'sv';
    expect(() => parseListsConfig(doc)).toThrow(/\/lists\/0\/locale list "future-50": "sv" is not a language newsbrief has phrases for/);
  });
});
