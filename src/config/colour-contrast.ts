/** WCAG 2 contrast between colours: the one rule the lists file's accent colours and the email theme share. */

/** The contrast body text needs (WCAG 2 AA). */
export const MIN_CONTRAST = 4.5;

/** Relative luminance of a #rrggbb colour (WCAG 2). */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** The contrast ratio of two #rrggbb colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `a` moved towards `b` by `weight` (0 = a, 1 = b), as #rrggbb. */
export function mix(a: string, b: string, weight: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return `#${[0, 1, 2]
    .map((i) =>
      Math.round(channel(a, i) * (1 - weight) + channel(b, i) * weight)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** The least change of `colour` towards `towards` (black or white) that reaches `ratio` against every colour of `against`. */
export function nearestWithContrast(colour: string, towards: string, against: readonly string[], ratio = MIN_CONTRAST): string {
  for (let step = 0; step <= 100; step++) {
    const candidate = mix(colour, towards, step / 100);
    if (against.every((bg) => contrastRatio(candidate, bg) >= ratio)) return candidate;
  }
  return towards;
}

/** The backgrounds an email's accent colour is read on (templates/theme.ts paints them). */
export const EMAIL_SURFACES = { card: '#ffffff', page: '#f2f3f5', darkCard: '#1d1e20', darkPage: '#121212' } as const;

/**
 * Why an accent colour cannot carry links, the kicker, the banner's name and white button text on the email's
 * light surfaces, with a shade that can; undefined when it can. (On dark surfaces the theme lightens the
 * accent until it reads, so no accent is refused for them.)
 */
export function accentContrastProblem(accent: string): string | undefined {
  const { card, page } = EMAIL_SURFACES;
  const onCard = contrastRatio(accent, card);
  const onPage = contrastRatio(accent, page);
  if (onCard >= MIN_CONTRAST && onPage >= MIN_CONTRAST) return undefined;
  const suggestion = nearestWithContrast(accent, '#000000', [card, page]);
  return (
    `${accent} has a contrast of ${onCard.toFixed(2)}:1 with white (links, the kicker and the button's white text) and ` +
    `${onPage.toFixed(2)}:1 with the page (${page}, the banner's name); ${MIN_CONTRAST}:1 is needed: use a darker shade such as ${suggestion}`
  );
}
