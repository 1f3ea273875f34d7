/**
 * Render once, personalize per recipient. The renderer writes a marker (U+E000 index U+E001) wherever a
 * recipient's value belongs; `compileTemplate` splits the output at the markers, and `fillTemplate`
 * joins the pieces with each recipient's values, escaped for where they land. No MJML per recipient.
 */
import { escapeHeader, escapeHtml } from './escape.js';

/** What a slot holds. */
export type Slot =
  /**
   * `before`/`after`: the separator a name without a fallback takes with it ("Good morning, {{firstName}}!"
   * reads "Good morning!" to a reader without a name rather than "Good morning, !").
   */
  | { readonly kind: 'firstName'; readonly fallback: string; readonly before?: string; readonly after?: string }
  | { readonly kind: 'email' }
  /** A subscriber field (`{{fields.city|your city}}`): its value, or the fallback ('' when none) for a reader without it. */
  | { readonly kind: 'field'; readonly name: string; readonly fallback: string }
  | { readonly kind: 'unsubscribeUrl' }
  /**
   * The label of the footer's list link: a subscriber is offered to leave, a reader of the public web copy
   * to join. A slot, so that the archive page is the same single render filled for nobody, not a second one.
   */
  | { readonly kind: 'listActionLabel'; readonly unsubscribe: string; readonly subscribe: string };

/** Where a template's output lands, which decides how values are escaped. */
export type SlotContext = 'html' | 'text' | 'header';

/** A rendered output split at its slots: parts.length === slots.length + 1. Serializable as JSON. */
export interface Template {
  readonly context: SlotContext;
  readonly parts: readonly string[];
  readonly slots: readonly Slot[];
}

/** Who a filled copy is for: one subscriber, or the public web archive (no personal data, a subscribe link). */
export type Audience = 'subscriber' | 'public';

/** The values a recipient brings to the slots (unescaped). */
export interface SlotValues {
  readonly firstName?: string | undefined;
  readonly email: string;
  /** The subscriber's fields (unescaped), for `field` slots; the public audience has none. */
  readonly fields?: Readonly<Record<string, string>> | undefined;
  /** The subscriber's unsubscribe link; for the public audience, the list's subscribe page. */
  readonly unsubscribeUrl: string;
  /** @default 'subscriber' */
  readonly audience?: Audience | undefined;
}

/** Collects slots while rendering and hands out their markers. */
export class SlotTable {
  readonly slots: Slot[] = [];
  private readonly index = new Map<string, number>();

  /** The marker to write where this slot's value belongs. */
  marker(slot: Slot): string {
    const key = JSON.stringify(slot);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.slots.push(slot) - 1;
      this.index.set(key, i);
    }
    return `\uE000${i}\uE001`;
  }
}

const MARKER = /\uE000(\d+)\uE001/g;

/** Splits rendered output at its markers. Throws if the output holds a marker the table never issued. */
export function compileTemplate(rendered: string, table: SlotTable, context: SlotContext): Template {
  const parts: string[] = [];
  const slots: Slot[] = [];
  let last = 0;
  for (const match of rendered.matchAll(MARKER)) {
    const slot = table.slots[Number(match[1])];
    if (!slot) throw new Error(`rendered output holds an unknown slot marker ${match[1]}`);
    parts.push(rendered.slice(last, match.index));
    slots.push(slot);
    last = match.index + match[0].length;
  }
  parts.push(rendered.slice(last));
  if (parts.some((p) => p.includes('\uE000') || p.includes('\uE001'))) {
    throw new Error('rendered output holds a damaged slot marker (the template engine changed it)');
  }
  return { context, parts, slots };
}

/** The subscriber fields these templates' slots fill, each once, in order of first use. */
export function fieldNamesOf(...templates: readonly Template[]): string[] {
  const names = new Set<string>();
  for (const template of templates) for (const slot of template.slots) if (slot.kind === 'field') names.add(slot.name);
  return [...names];
}

/** Fills a template with one recipient's values, escaped for the template's context. */
export function fillTemplate(template: Template, values: SlotValues): string {
  const { parts, slots, context } = template;
  let out = parts[0]!;
  for (let i = 0; i < slots.length; i++) out += escapeFor(context, slotValue(slots[i]!, values)) + parts[i + 1]!;
  return out;
}

function slotValue(slot: Slot, values: SlotValues): string {
  switch (slot.kind) {
    case 'firstName': {
      // A name is one line wherever it lands; stray controls from an import never reach a reader.
      const name = values.firstName?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
      return name ? `${slot.before ?? ''}${name}${slot.after ?? ''}` : slot.fallback;
    }
    case 'email':
      return values.email;
    case 'field': {
      // Own properties only (a field named `constructor` is a field, not Object.prototype's); one line, like a name.
      const raw =
        values.audience !== 'public' && values.fields && Object.hasOwn(values.fields, slot.name) ? values.fields[slot.name] : undefined;
      const value = raw?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
      return value ? value : slot.fallback;
    }
    case 'unsubscribeUrl':
      return values.unsubscribeUrl;
    case 'listActionLabel':
      return values.audience === 'public' ? slot.subscribe : slot.unsubscribe;
  }
}

function escapeFor(context: SlotContext, value: string): string {
  return context === 'html' ? escapeHtml(value) : context === 'header' ? escapeHeader(value) : value;
}
