/** The few words newsbrief itself puts in an email, in the brief's language (English when we have none). */
export interface Phrases {
  readonly viewInBrowser: string;
  readonly unsubscribe: string;
  /** The public web copy's footer link to the list's subscribe page. */
  readonly subscribe: string;
  /** Why the reader gets this, given the list's display name (already escaped by the caller). */
  readonly whyReceiving: (listName: string) => string;
}

const PHRASES: Record<string, Phrases> = {
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
};

/** The phrases for a BCP 47 locale, by its language. */
export function phrasesFor(locale: string): Phrases {
  return PHRASES[locale.split('-')[0]!.toLowerCase()] ?? PHRASES.en!;
}
