/**
 * The few words newsbrief itself puts in an email, in the brief's language. Every language a brief may be
 * written in (LANGUAGES) has an entry: the record's type makes a missing one a compile error, and the
 * brief schema refuses the others, so no email gets a footer in another language than its text.
 */
import { isRightToLeft, isSupportedLanguage, type Language, languageOf } from '../config/languages.js';

export interface Phrases {
  readonly viewInBrowser: string;
  readonly unsubscribe: string;
  /** The public web copy's footer link to the list's subscribe page. */
  readonly subscribe: string;
  /** Why the reader gets this, given the list's display name (already escaped by the caller). */
  readonly whyReceiving: (listName: string) => string;
}

const PHRASES: Record<Language, Phrases> = {
  en: {
    viewInBrowser: 'View in browser',
    unsubscribe: 'Unsubscribe',
    subscribe: 'Subscribe',
    whyReceiving: (list) => `You are receiving ${list} because you subscribed to it.`,
  },
  ar: {
    viewInBrowser: 'اعرضها في المتصفح',
    unsubscribe: 'إلغاء الاشتراك',
    subscribe: 'اشترك',
    whyReceiving: (list) => `تصلك ${list} لأنك اشتركت فيها.`,
  },
  he: {
    viewInBrowser: 'הצגה בדפדפן',
    unsubscribe: 'הסרה מרשימת התפוצה',
    subscribe: 'הרשמה',
    whyReceiving: (list) => `קיבלת את ${list} כי נרשמת אליו.`,
  },
  fr: {
    viewInBrowser: 'Voir dans le navigateur',
    unsubscribe: 'Se désabonner',
    subscribe: 'S’abonner',
    whyReceiving: (list) => `Vous recevez ${list} parce que vous vous y êtes abonné.`,
  },
  de: {
    viewInBrowser: 'Im Browser ansehen',
    unsubscribe: 'Abmelden',
    subscribe: 'Abonnieren',
    whyReceiving: (list) => `Sie erhalten ${list}, weil Sie sich dafür angemeldet haben.`,
  },
  es: {
    viewInBrowser: 'Ver en el navegador',
    unsubscribe: 'Darse de baja',
    subscribe: 'Suscribirse',
    whyReceiving: (list) => `Recibes ${list} porque te suscribiste.`,
  },
  fa: {
    viewInBrowser: 'مشاهده در مرورگر',
    unsubscribe: 'لغو اشتراک',
    subscribe: 'اشتراک',
    whyReceiving: (list) => `شما ${list} را دریافت می‌کنید چون مشترک آن شده‌اید.`,
  },
  ur: {
    viewInBrowser: 'براؤزر میں دیکھیں',
    unsubscribe: 'رکنیت ختم کریں',
    subscribe: 'رکنیت حاصل کریں',
    whyReceiving: (list) => `آپ کو ${list} اس لیے مل رہا ہے کہ آپ نے اس کی رکنیت لی ہے۔`,
  },
  it: {
    viewInBrowser: 'Visualizza nel browser',
    unsubscribe: 'Annulla l’iscrizione',
    subscribe: 'Iscriviti',
    whyReceiving: (list) => `Ricevi ${list} perché ti sei iscritto.`,
  },
  pt: {
    viewInBrowser: 'Ver no navegador',
    unsubscribe: 'Cancelar a inscrição',
    subscribe: 'Inscrever-se',
    whyReceiving: (list) => `Recebe ${list} porque se inscreveu.`,
  },
  nl: {
    viewInBrowser: 'Bekijk in je browser',
    unsubscribe: 'Afmelden',
    subscribe: 'Aanmelden',
    whyReceiving: (list) => `Je ontvangt ${list} omdat je je hebt aangemeld.`,
  },
};

// Where directions mix, the list's name is isolated (U+2068 … U+2069) so that it cannot reorder the sentence
// around it: "Future 50" inside a Persian sentence stays whole. Left-to-right names in left-to-right mail,
// nearly every case, get no invisible characters.
const RTL_CHARACTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
const isolateIf = (rtl: boolean) => (text: string) => (rtl || RTL_CHARACTER.test(text) ? `\u2068${text}\u2069` : text);

/**
 * The phrases for a BCP 47 locale, by its language. A language briefs may not use is a caller's bug (the
 * schema refuses it): it throws rather than mixing English into another language's email.
 */
export function phrasesFor(locale: string): Phrases {
  const language = languageOf(locale);
  if (!isSupportedLanguage(language))
    throw new Error(`no phrases for the language of "${locale}" (supported: ${Object.keys(PHRASES).join(', ')})`);
  const phrases = PHRASES[language];
  const isolate = isolateIf(isRightToLeft(locale));
  return { ...phrases, whyReceiving: (list) => phrases.whyReceiving(isolate(list)) };
}
