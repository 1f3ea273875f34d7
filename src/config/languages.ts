/** The languages newsbrief writes in: a brief's and a list's locale must be one of them. */
export const RTL_LANGUAGES = ['ar', 'he', 'fa', 'ur'] as const;
/**
 * The languages a brief may be written in: those newsbrief has its own words for (the footer's "why you get
 * this", "view in browser", "unsubscribe"; src/render/phrases.ts must have each). Any other language would
 * get an English footer, so it is refused rather than mixed.
 */
export const LANGUAGES = ['en', 'ar', 'de', 'es', 'fa', 'fr', 'he', 'it', 'nl', 'pt', 'ur'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language subtag of a BCP 47 tag, lower-cased: `pt-BR` → `pt`. */
export function languageOf(locale: string): string {
  return locale.split('-')[0]!.toLowerCase();
}

/** Is this one of the languages a brief may be written in? */
export function isSupportedLanguage(language: string): language is Language {
  return (LANGUAGES as readonly string[]).includes(language);
}

/** Whether the locale's language is written right to left. */
export function isRightToLeft(locale: string): boolean {
  return (RTL_LANGUAGES as readonly string[]).includes(languageOf(locale));
}
