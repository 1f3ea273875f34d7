/**
 * A Map keyed `<group>#<key>` that also keeps each group's keys in order, so that reading a page after a
 * cursor is a binary search and a slice, as in a database index, never a sort of the whole group. New keys
 * wait in a small unsorted batch that is sorted and merged in (linear) when a page is next read; deleted
 * keys are dropped then too. Any code that sets or deletes through the Map keeps the order right.
 */

/** The `<group>#<key>` split at its first `#`. */
const split = (mapKey: string): [string, string] => {
  const cut = mapKey.indexOf('#');
  return [mapKey.slice(0, cut), mapKey.slice(cut + 1)];
};

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One page of a group: entries after the cursor in key order, and whether more follow. */
export interface KeyPage<V> {
  readonly entries: readonly (readonly [key: string, value: V])[];
  readonly more: boolean;
}

/** A Map of `<group>#<key>` → V with each group's keys in order. */
export class SortedKeyMap<V> extends Map<string, V> {
  // Fields are set after Map's constructor ran; it calls set() only when given entries, which this class never is.
  private readonly sorted = new Map<string, string[]>();
  private readonly pending = new Map<string, string[]>();
  private readonly deletedFrom = new Set<string>();

  /** Sets a value; a new key joins its group's pending batch. */
  override set(mapKey: string, value: V): this {
    if (!super.has(mapKey)) {
      const [group, key] = split(mapKey);
      const batch = this.pending.get(group);
      if (batch) batch.push(key);
      else this.pending.set(group, [key]);
    }
    return super.set(mapKey, value);
  }

  /** Deletes a value; its group's order is cleaned on the next read. */
  override delete(mapKey: string): boolean {
    const deleted = super.delete(mapKey);
    if (deleted) this.deletedFrom.add(split(mapKey)[0]);
    return deleted;
  }

  /** Empties the map and every order. */
  override clear(): void {
    super.clear();
    this.sorted.clear();
    this.pending.clear();
    this.deletedFrom.clear();
  }

  /** Up to `limit` entries of `group` whose keys sort after `cursor` (from the start when undefined), in key order. */
  page(group: string, cursor: string | undefined, limit: number): KeyPage<V> {
    const keys = this.keysOf(group);
    let start = 0;
    if (cursor !== undefined) {
      // The first key greater than the cursor.
      let high = keys.length;
      while (start < high) {
        const middle = (start + high) >>> 1;
        if (keys[middle]! <= cursor) start = middle + 1;
        else high = middle;
      }
    }
    const slice = keys.slice(start, start + limit);
    return { entries: slice.map((key) => [key, super.get(`${group}#${key}`)!] as const), more: start + limit < keys.length };
  }

  /** The group's keys in order, after merging its pending batch and dropping deleted keys. */
  private keysOf(group: string): string[] {
    let keys = this.sorted.get(group) ?? [];
    if (this.deletedFrom.delete(group)) keys = keys.filter((key) => super.has(`${group}#${key}`));
    const batch = this.pending.get(group);
    if (batch) {
      this.pending.delete(group);
      keys = mergeSorted(keys, batch.filter((key) => super.has(`${group}#${key}`)).sort(byString));
    }
    this.sorted.set(group, keys);
    return keys;
  }
}

/** Two sorted lists as one, each key once (a key deleted and set again may be in both). */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return a as string[];
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out.length === 0 || out[out.length - 1] !== next) out.push(next);
  }
  return out;
}
