/** The memory store's ordered keys: pages after a cursor stay right as keys come, go and come back. */
import { describe, expect, it } from 'vitest';
import { SortedKeyMap } from '../../../src/adapters/memory/sorted-key-map.js';

const keysOf = (map: SortedKeyMap<number>, group: string, cursor: string | undefined, limit: number) =>
  map.page(group, cursor, limit).entries.map(([key]) => key);

describe('SortedKeyMap', () => {
  it('pages a group in key order after a cursor, and says whether more follow', () => {
    const map = new SortedKeyMap<number>();
    for (const key of ['d', 'a', 'c', 'b', 'e']) map.set(`weekly#${key}`, key.charCodeAt(0));
    map.set('daily#a', 0);
    expect(map.page('weekly', undefined, 2)).toEqual({
      entries: [
        ['a', 97],
        ['b', 98],
      ],
      more: true,
    });
    expect(keysOf(map, 'weekly', 'b', 2)).toEqual(['c', 'd']);
    expect(map.page('weekly', 'd', 2)).toEqual({ entries: [['e', 101]], more: false });
    expect(keysOf(map, 'weekly', 'bb', 10)).toEqual(['c', 'd', 'e']);
    expect(keysOf(map, 'daily', undefined, 10)).toEqual(['a']);
    expect(map.page('none', undefined, 10)).toEqual({ entries: [], more: false });
  });

  it('keeps the order right through deletes, re-adds and updates between pages', () => {
    const map = new SortedKeyMap<number>();
    for (const key of ['a', 'b', 'c']) map.set(`weekly#${key}`, 1);
    expect(keysOf(map, 'weekly', undefined, 10)).toEqual(['a', 'b', 'c']);
    map.delete('weekly#b');
    map.set('weekly#b', 2); // back before the next read: listed once
    map.set('weekly#a', 3); // an update: no second entry
    map.delete('weekly#c');
    map.set('weekly#aa', 4);
    expect(map.page('weekly', undefined, 10).entries).toEqual([
      ['a', 3],
      ['aa', 4],
      ['b', 2],
    ]);
    map.clear();
    expect(keysOf(map, 'weekly', undefined, 10)).toEqual([]);
  });
});
