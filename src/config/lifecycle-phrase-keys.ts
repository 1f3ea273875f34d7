/**
 * The names of the lifecycle phrases a list may reword (`phrases` in its configuration), each with the {values}
 * it may name, and the check of a list's overrides. The words themselves, in every language, are in
 * src/render/lifecycle-phrases.ts, whose tables have exactly these keys.
 */

/** A value a phrase may name: the list's display name, the reader's masked address, an example address. */
export type PhraseValueName = 'list' | 'address' | 'example';

/** Every phrase, with the values its words may name. */
export const LIFECYCLE_PHRASE_VALUES = {
  invalidLinkTitle: [],
  invalidLinkMessage: [],
  notAllowedTitle: [],
  openLinkFromEmail: [],
  useFormOrLink: [],
  notFoundTitle: [],
  notFoundMessage: [],
  tryAgainTitle: [],
  mailNotSentMessage: [],
  unsubscribeAskTitle: ['list'],
  unsubscribeAskMessage: ['address', 'list'],
  unsubscribeButton: [],
  unsubscribedTitle: [],
  unsubscribedMessage: ['address', 'list'],
  notSubscribedTitle: [],
  notSubscribedMessage: ['address', 'list'],
  subscribeTitle: [],
  checkFormTitle: [],
  subscribeIntro: [],
  newsletterLabel: [],
  emailLabel: [],
  firstNameLabel: [],
  honeypotLabel: [],
  subscribeButton: [],
  chooseList: [],
  enterEmail: [],
  emailLooksWrong: ['example'],
  firstNameTooLong: [],
  firstNameCharacters: [],
  checkInboxTitle: [],
  checkInboxMessage: ['list'],
  confirmAskTitle: ['list'],
  confirmAskMessage: ['list'],
  confirmButton: [],
  confirmedTitle: [],
  confirmedMessage: ['list'],
  notPendingTitle: [],
  notPendingMessage: ['list'],
  confirmMailSubject: ['list'],
  confirmMailPreheader: [],
  confirmMailHeadline: ['list'],
  confirmMailRequest: [],
  confirmMailIgnore: [],
  confirmMailButton: [],
  confirmMailWhy: ['list'],
} as const satisfies Record<string, readonly PhraseValueName[]>;

/** The name of one lifecycle phrase. */
export type LifecyclePhraseKey = keyof typeof LIFECYCLE_PHRASE_VALUES;

/** Every phrase key (the keys a list's `phrases` may override). */
export const LIFECYCLE_PHRASE_KEYS = Object.keys(LIFECYCLE_PHRASE_VALUES) as LifecyclePhraseKey[];

// A phrase is text and {name} values; any other brace is a mistake (a merge tag such as {{firstName}} is one:
// these words are not personalized).
/** `{name}`, or a lone brace (a mistake). */
export const PLACEHOLDER = /\{([^{}]*)\}|[{}]/g;
// Embeddings, overrides and isolates reorder what follows them; the phrase's values are isolated by the renderer.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** The longest override a list may give (the longest built-in phrase is about 200 characters). */
export const MAX_PHRASE_LENGTH = 500;

/** The value names a phrase uses, in order of appearance (a malformed brace is reported by phraseOverrideProblems). */
export function valueNamesOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? m[0]);
}

/** What is wrong with a list's `phrases` overrides, one sentence per key ([] when nothing): unknown keys, values the phrase does not have, bidi controls, line breaks. */
export function phraseOverrideProblems(overrides: Readonly<Record<string, unknown>>): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  for (const [key, text] of Object.entries(overrides)) {
    if (!(LIFECYCLE_PHRASE_KEYS as string[]).includes(key)) {
      problems.push({ key, message: `"${key}" is not a phrase newsbrief uses; the accepted keys are ${LIFECYCLE_PHRASE_KEYS.join(', ')}` });
      continue;
    }
    const allowed = new Set<string>(LIFECYCLE_PHRASE_VALUES[key as LifecyclePhraseKey]);
    if (typeof text !== 'string' || text.trim() === '') {
      problems.push({ key, message: 'must be a non-empty string' });
      continue;
    }
    if (text.length > MAX_PHRASE_LENGTH) problems.push({ key, message: `must be at most ${MAX_PHRASE_LENGTH} characters` });
    if (/[\r\n]/.test(text)) problems.push({ key, message: 'must be one line' });
    const bidi = BIDI_CONTROL.exec(text);
    if (bidi)
      problems.push({
        key,
        message: `must not contain the bidirectional control character U+${bidi[0].codePointAt(0)!.toString(16).toUpperCase()}: newsbrief isolates the values itself`,
      });
    const wrong = [...new Set(valueNamesOf(text).filter((name) => !allowed.has(name)))];
    if (wrong.length > 0) {
      const accepted = allowed.size > 0 ? `it accepts ${[...allowed].map((n) => `{${n}}`).join(', ')}` : 'it takes no values';
      const shown = wrong.map((name) => (name === '{' || name === '}' ? `a lone "${name}"` : `"{${name}}"`)).join(', ');
      problems.push({ key, message: `has ${shown}: ${accepted}, and braces mean nothing else` });
    }
  }
  return problems;
}
