/**
 * The tagged template of every server-rendered page (the studio, the subscribe and unsubscribe pages, the
 * archive index): it escapes every interpolated value unless it is already
 * markup made by this same tag, so that nothing a brief, a file name or a subscriber contains becomes markup.
 */
import { escapeHtml } from './escape.js';

/** Markup that is already safe (built by `html`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

/** Builds markup; strings are escaped, arrays joined, null/undefined/false dropped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Trusted markup from our own code (a constant stylesheet or script). Never pass outside input. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: Value): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}
