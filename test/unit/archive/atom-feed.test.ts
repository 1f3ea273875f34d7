import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { addArchiveEntry, emptyArchiveIndex, parseArchiveIndex } from '../../../src/archive/archive-index.js';
import { archiveIndexPage } from '../../../src/archive/archive-index-page.js';
import { atomFeed } from '../../../src/archive/atom-feed.js';
import { LISTS } from '../../support/fixtures.js';

const list = { ...LISTS.lists.get('weekly')!, displayName: 'Weekly <b>&</b> "friends"' };
const entry = (id: string, publishedAt: string, title = `Issue ${id}`) => ({
  id,
  title,
  url: `https://news.example.com/archive/weekly/${id}.html`,
  publishedAt,
});

function indexOf(...entries: ReturnType<typeof entry>[]) {
  return entries.reduce(addArchiveEntry, emptyArchiveIndex('weekly'));
}

describe('archive index', () => {
  it('keeps issues newest first whatever order they were published in, one entry per id', () => {
    const index = indexOf(
      entry('b', '2026-03-02T09:00:00Z'),
      entry('c', '2026-03-09T09:00:00Z'),
      entry('a', '2026-02-23T09:00:00Z'),
      entry('b', '2026-03-02T09:00:00Z', 'Fixed'),
    );
    expect(index.entries.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(index.entries[1]!.title).toBe('Fixed');
  });

  it('lists them newest first on the index page, escaped', () => {
    const page = archiveIndexPage(
      list,
      indexOf(entry('old', '2026-01-01T00:00:00Z'), entry('new', '2026-02-01T00:00:00Z', '<script>x</script>')),
    );
    expect(page.indexOf('new.html')).toBeLessThan(page.indexOf('old.html'));
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page).not.toContain('<script>x');
    expect(page).toContain('Weekly &lt;b&gt;&amp;&lt;/b&gt; &quot;friends&quot;');
    expect(page).toContain('type="application/atom+xml"');
  });

  it('starts empty from a missing or damaged document', () => {
    expect(parseArchiveIndex(undefined, 'weekly').entries).toEqual([]);
    expect(parseArchiveIndex(Buffer.from('{not json'), 'weekly').entries).toEqual([]);
  });
});

describe('atomFeed', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link'].includes(name) });

  it('is well-formed Atom 1.0 with the elements RFC 4287 requires, entries newest first', () => {
    const xml = atomFeed(
      list,
      indexOf(entry('one', '2026-03-02T09:00:00.000Z'), entry('two', '2026-03-09T09:00:00.000Z', 'Q&A <live> "now"\u0001')),
      '2026-01-01T00:00:00.000Z',
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    const { feed } = parser.parse(xml);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe('https://news.example.com/archive/weekly/feed.xml');
    expect(feed.title['#text']).toBe('Weekly <b>&</b> "friends"');
    expect(feed.updated).toBe('2026-03-09T09:00:00.000Z');
    expect(feed.author.name).toBe('Weekly <b>&</b> "friends"');
    expect(feed.link.find((l: any) => l['@rel'] === 'self')['@href']).toBe('https://news.example.com/archive/weekly/feed.xml');
    expect(feed.entry.map((e: any) => e.id)).toEqual([
      'https://news.example.com/archive/weekly/two.html',
      'https://news.example.com/archive/weekly/one.html',
    ]);
    expect(feed.entry[0].title['#text']).toBe('Q&A <live> "now"');
    for (const e of feed.entry) {
      expect(Date.parse(e.updated)).not.toBeNaN();
      expect(e.link[0]['@rel']).toBe('alternate');
    }
  });

  it('is valid with no entries yet', () => {
    const xml = atomFeed(list, emptyArchiveIndex('weekly'), '2026-01-01T00:00:00.000Z');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).feed.updated).toBe('2026-01-01T00:00:00.000Z');
  });
});
