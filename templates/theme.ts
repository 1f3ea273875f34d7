/** Colours, type and spacing shared by every template (EMAIL-DESIGN.md). */

export const FONT_STACK = `-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif`;

/** The palette of one newsletter: everything but the accent is fixed. */
export interface Theme {
  readonly accent: string;
  /** The accent lightened for dark backgrounds. */
  readonly accentOnDark: string;
  readonly text: string;
  readonly muted: string;
  readonly page: string;
  readonly card: string;
  readonly rule: string;
}

/** The theme for an accent colour (#rrggbb). */
export function themeFor(accent: string): Theme {
  return {
    accent,
    accentOnDark: mix(accent, '#ffffff', 0.45),
    text: '#1a1a1a',
    muted: '#545b64',
    page: '#f2f3f5',
    card: '#ffffff',
    rule: '#e3e5e8',
  };
}

function mix(a: string, b: string, weight: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return '#' + [0, 1, 2].map((i) => Math.round(channel(a, i) * (1 - weight) + channel(b, i) * weight).toString(16).padStart(2, '0')).join('');
}
