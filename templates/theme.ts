/** Colours, type and spacing shared by every template (EMAIL-DESIGN.md). */
import { EMAIL_SURFACES, mix, nearestWithContrast } from '../src/config/colour-contrast.js';

export const FONT_STACK = `-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif`;

/** The palette of one newsletter: everything but the accent is fixed. */
export interface Theme {
  readonly accent: string;
  /** The accent lightened for dark backgrounds, at least 4.5:1 on the dark card and page. */
  readonly accentOnDark: string;
  readonly text: string;
  readonly muted: string;
  readonly page: string;
  readonly card: string;
  readonly rule: string;
  readonly darkPage: string;
  readonly darkCard: string;
}

/**
 * The theme for an accent colour (#rrggbb). The lists file refuses accents that do not read on white
 * (colour-contrast.ts); on dark surfaces the accent is lightened as far as it takes to read there.
 */
export function themeFor(accent: string): Theme {
  const { card, page, darkCard, darkPage } = EMAIL_SURFACES;
  return {
    accent,
    accentOnDark: nearestWithContrast(mix(accent, '#ffffff', 0.45), '#ffffff', [darkCard, darkPage]),
    text: '#1a1a1a',
    muted: '#545b64',
    page,
    card,
    rule: '#e3e5e8',
    darkPage,
    darkCard,
  };
}
