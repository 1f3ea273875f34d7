/**
 * The report pages' charts as inline SVG: horizontal bars and hourly columns. Each is an `<svg role="img">`
 * whose `<title>` and `aria-label` state every figure it draws, because a picture of numbers is no use to a
 * screen reader; the pages add a data table beside each. Sizes are in a 320-unit wide viewBox, so that the
 * labels keep their size on a 375 px phone, where the chart is drawn at about 1:1.
 */
import { html, type SafeHtml } from '../render/html-template.js';
import { formatCount } from './report-document.js';

const WIDTH = 320;

/** One bar: its label, its value, the class that colours it, and an optional text shown after the value. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** One of the stylesheet's `f-*` classes. */
  readonly tone: string;
  readonly note?: string | undefined;
  /** The value as shown (default: the count, "1,234"). */
  readonly valueText?: string | undefined;
}

/** Horizontal bars, one per row, scaled to `max` (default: the largest value). `label` is the accessible name. */
export function barChart(spec: {
  readonly id: string;
  readonly label: string;
  readonly bars: readonly Bar[];
  readonly max?: number;
}): SafeHtml {
  const rowHeight = 34;
  const height = spec.bars.length * rowHeight;
  const max = Math.max(spec.max ?? 0, ...spec.bars.map((b) => b.value), 1);
  return html`<svg role="img" aria-labelledby="${spec.id}-title" aria-label="${spec.label}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" data-chart="${spec.id}"><title id="${spec.id}-title">${spec.label}</title>${spec.bars.map(
    (bar, i) => {
      const y = i * rowHeight;
      const width = bar.value > 0 ? Math.max(1.5, (bar.value / max) * WIDTH) : 0;
      return html`<g><text x="0" y="${y + 12}">${bar.label}</text><text class="value" x="${WIDTH}" y="${y + 12}" text-anchor="end">${bar.valueText ?? formatCount(bar.value)}${bar.note ? ` (${bar.note})` : ''}</text><rect class="track" x="0" y="${y + 17}" width="${WIDTH}" height="11" rx="2"></rect><rect class="${bar.tone}" x="0" y="${y + 17}" width="${round(width)}" height="11" rx="2"></rect></g>`;
    },
  )}</svg>`;
}

/** A rate against its limit: a bar for the rate and a mark where the limit is, on a scale of twice the limit. */
export function limitChart(spec: {
  readonly id: string;
  readonly label: string;
  readonly rows: readonly { readonly label: string; readonly rate: number; readonly limit: number; readonly text: string }[];
}): SafeHtml {
  const rowHeight = 36;
  const height = spec.rows.length * rowHeight;
  return html`<svg role="img" aria-labelledby="${spec.id}-title" aria-label="${spec.label}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" data-chart="${spec.id}"><title id="${spec.id}-title">${spec.label}</title>${spec.rows.map(
    (row, i) => {
      const y = i * rowHeight;
      const scale = Math.max(row.limit * 2, row.rate, Number.EPSILON);
      const width = row.rate > 0 ? Math.max(1.5, Math.min(1, row.rate / scale) * WIDTH) : 0;
      const limitX = round(Math.min(1, row.limit / scale) * WIDTH);
      return html`<g><text x="0" y="${y + 12}">${row.label}</text><text class="value" x="${WIDTH}" y="${y + 12}" text-anchor="end">${row.text}</text><rect class="track" x="0" y="${y + 18}" width="${WIDTH}" height="11" rx="2"></rect><rect class="${row.rate > row.limit ? 'f-bad' : 'f-delivered'}" x="0" y="${y + 18}" width="${round(width)}" height="11" rx="2"></rect><line class="limit" x1="${limitX}" x2="${limitX}" y1="${y + 15}" y2="${y + 32}"></line></g>`;
    },
  )}</svg>`;
}

/** Opens and clicks per hour as columns (clicks drawn over opens), hour 0 at the left; `hours` columns wide. */
export function hourlyChart(spec: {
  readonly id: string;
  readonly label: string;
  readonly opens: readonly number[];
  readonly clicks: readonly number[];
  readonly hours: number;
}): SafeHtml {
  const left = 34;
  const top = 8;
  const plotHeight = 120;
  const height = top + plotHeight + 20;
  const step = (WIDTH - left) / spec.hours;
  const max = niceMax(Math.max(1, ...spec.opens, ...spec.clicks));
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const column = (values: readonly number[], tone: string, inset: number) =>
    values.slice(0, spec.hours).map((v, hour) => {
      if (v <= 0) return '';
      const h = Math.max(1, (v / max) * plotHeight);
      return html`<rect class="${tone}" x="${round(left + hour * step + inset)}" y="${round(top + plotHeight - h)}" width="${round(Math.max(1, step - 2 * inset - 0.5))}" height="${round(h)}"></rect>`;
    });
  const ticks = [0, 12, 24, 36, 48].filter((h) => h <= spec.hours);
  return html`<svg role="img" aria-labelledby="${spec.id}-title" aria-label="${spec.label}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" data-chart="${spec.id}"><title id="${spec.id}-title">${spec.label}</title>${[
    0,
    max / 2,
    max,
  ].map(
    (v) =>
      html`<line class="grid" x1="${left}" x2="${WIDTH}" y1="${round(y(v))}" y2="${round(y(v))}"></line><text class="dim" x="${left - 4}" y="${round(y(v) + 4)}" text-anchor="end">${compact(v)}</text>`,
  )}${column(spec.opens, 'f-opened', 0)}${column(spec.clicks, 'f-clicked', step / 4)}${ticks.map(
    (h) =>
      html`<text class="dim" x="${round(left + h * step)}" y="${height - 4}" text-anchor="${h === 0 ? 'start' : h === spec.hours ? 'end' : 'middle'}">${h} h</text>`,
  )}</svg>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

// A round number at least n (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten): gridlines fall on round numbers.
function niceMax(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 1.5, 2, 3, 4, 5, 6, 8, 10]) if (m * power >= n) return m * power;
  return 10 * power;
}

function compact(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(1))}M`;
  if (n >= 10_000) return `${Number((n / 1000).toFixed(1))}k`;
  return formatCount(n);
}
