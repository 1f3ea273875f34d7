import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBrief, idFromSourceName } from '../../../src/brief/parse-brief.js';
import { MAX_BRIEF_BYTES } from '../../../src/brief/brief-schema.js';
import { briefText, exampleFiles, FIXTURES, KNOWN_LISTS, readFixture } from '../../support/fixtures.js';

const parse = (input: string | Uint8Array, sourceName = 'brief.json') => parseBrief(input, { knownLists: KNOWN_LISTS, sourceName });
const pointers = (input: string | Uint8Array) => {
  const result = parse(input);
  return result.ok ? [] : result.problems.map((p) => p.pointer);
};

describe('the shared examples', () => {
  it.each(exampleFiles('valid'))('accepts %s', (file) => {
    const result = parse(readFixture(`valid/${file}`), file);
    expect(result.ok ? 'valid' : result.problems).toBe('valid');
  });

  it.each(exampleFiles('invalid'))('refuses %s naming every expected pointer', (file) => {
    const result = parse(readFixture(`invalid/${file}`), file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const expected = readFileSync(join(FIXTURES, 'invalid', file.replace(/\.json$/, '.expect.txt')), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('/'));
    for (const pointer of expected) expect(result.problems.map((p) => p.pointer)).toContain(pointer);
    for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(5);
  });

  it('names line and column of a JSON syntax error', () => {
    const result = parse(readFixture('invalid/truncated-json.json'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/line \d+, column \d+/);
  });
});

describe('parseBrief', () => {
  it('reports every problem at once, in one pass', () => {
    const result = parse(
      briefText({ version: 3, subject: '', storys: [], stories: [{ headline: '', image: { url: 'http://x.example/a.png' } }] }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.pointer)).toEqual(
      expect.arrayContaining(['/version', '/subject', '/storys', '/stories/0/headline', '/stories/0/image/url', '/stories/0/image/alt']),
    );
  });

  it('refuses a javascript: link with the field pointer and the accepted schemes', () => {
    const result = parse(briefText({ stories: [{ headline: 'h', link: { text: 'go', href: 'JavaScript:alert(1)' } }] }));
    expect(result.ok ? [] : result.problems).toEqual([
      { pointer: '/stories/0/link/href', message: 'scheme "javascript:" is not allowed (use https:, http: or mailto:)' },
    ]);
  });

  it.each([
    ['data:text/html,x', 'scheme "data:"'],
    ['vbscript:x', 'scheme "vbscript:"'],
    ['/relative/path', 'not an absolute link'],
    ['https://', 'not a valid URL'],
  ])('refuses the inline link target %s', (href, message) => {
    const result = parse(briefText({ stories: [{ headline: 'h', paragraphs: [`see [this](${href})`] }] }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]!.pointer).toBe('/stories/0/paragraphs/0');
      expect(result.problems[0]!.message).toContain(message);
    }
  });

  it('requires https for images', () => {
    expect(pointers(briefText({ stories: [{ headline: 'h', image: { url: 'http://example.com/a.png', alt: 'a' } }] }))).toEqual([
      '/stories/0/image/url',
    ]);
  });

  it('requires alt text on a banner image', () => {
    expect(pointers(briefText({ banner: { text: 'B', imageUrl: 'https://example.com/logo.png' } }))).toEqual(['/banner/alt']);
  });

  it('refuses an unknown list and names the configured ones', () => {
    const result = parse(briefText({ list: 'nope' }));
    expect(result.ok ? '' : result.problems[0]!.message).toMatch(/unknown list "nope" \(configured lists: .*weekly/);
  });

  it.each(['{{password}}', '{{constructor}}', '{{ __proto__ }}', '{{firstname}}'])('refuses the unknown merge tag %s', (tag) => {
    expect(pointers(briefText({ subject: `Hi ${tag}` }))).toEqual(['/subject']);
  });

  it('accepts known merge tags with fallbacks anywhere text goes', () => {
    expect(
      parse(briefText({ subject: 'Hi {{firstName|there}}', preheader: 'for {{email}}', stories: [{ headline: '{{ firstName }}' }] })).ok,
    ).toBe(true);
  });

  it('refuses control characters and line breaks in one-line fields', () => {
    expect(pointers(briefText({ subject: 'a\u0000b' }))).toEqual(['/subject']);
    expect(pointers(briefText({ stories: [{ headline: 'a\nb' }] }))).toEqual(['/stories/0/headline']);
  });

  it('refuses lengths past the format limits', () => {
    expect(pointers(briefText({ subject: 'x'.repeat(201) }))).toEqual(['/subject']);
    expect(pointers(briefText({ preheader: 'x'.repeat(251) }))).toEqual(['/preheader']);
    expect(pointers(briefText({ stories: Array.from({ length: 21 }, () => ({ headline: 'h' })) }))).toEqual(['/stories']);
  });

  it('refuses a sendAt without an offset and a locale that is no language tag', () => {
    expect(pointers(briefText({ sendAt: '2026-11-30T07:00:00', locale: 'english please' }))).toEqual(['/locale', '/sendAt']);
  });

  it('tolerates a UTF-8 byte-order mark', () => {
    expect(parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(briefText())])).ok).toBe(true);
  });

  it('refuses a document over 256 KiB quickly, naming the limit', () => {
    const big = briefText({ stories: [{ headline: 'h', paragraphs: ['x'.repeat(MAX_BRIEF_BYTES)] }] });
    const started = performance.now();
    const result = parse(big);
    expect(performance.now() - started).toBeLessThan(50);
    expect(result.ok ? '' : result.problems[0]!.message).toContain('256 KiB');
  });

  it('refuses absurd nesting without a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = parse(deep);
    expect(result.ok ? '' : result.problems[0]!.message).toMatch(/nested \d+ levels/);
  });

  it('refuses bytes that are not UTF-8', () => {
    const result = parse(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(result.ok ? '' : result.problems[0]!.message).toContain('UTF-8');
  });

  it('refuses a document that is not an object', () => {
    expect(pointers('[1,2]')).toEqual(['']);
    expect(pointers('null')).toEqual(['']);
  });

  it('accepts "$schema" so that editors get completion', () => {
    expect(parse(briefText({ $schema: './brief.schema.json' })).ok).toBe(true);
  });

  it('derives the id from the file name when the brief has none', () => {
    const { id: _, ...withoutId } = JSON.parse(briefText()) as Record<string, unknown>;
    const result = parse(JSON.stringify(withoutId), 'briefs/2026/Weekly Brief #12.json');
    expect(result.ok && result.brief.id).toBe('weekly-brief-12');
  });

  it('refuses a brief without id whose file name makes none', () => {
    const { id: _, ...withoutId } = JSON.parse(briefText()) as Record<string, unknown>;
    expect(pointers(JSON.stringify(withoutId))).toEqual([]); // brief.json → "brief"
    expect(parse(JSON.stringify(withoutId), '日本.json').ok).toBe(false);
  });
});

describe('parseBrief: what a JSON reader or a mail client would hide', () => {
  it('refuses a key given twice in one object, with the pointer of the duplicate, and says which to keep', () => {
    const text =
      '{"version":1,"id":"x","list":"weekly","subject":"First","subject":"Second","stories":[{"headline":"a","paragraphs":["p"],"headline":"b"}]}';
    const result = parse(text);
    expect(result.ok ? [] : result.problems).toEqual([
      { pointer: '/subject', message: expect.stringMatching(/"subject" is given twice .*keep the one you mean and remove the other/) },
      { pointer: '/stories/0/headline', message: expect.stringContaining('"headline" is given twice') },
    ]);
  });

  it('does not mistake the same key in sibling objects, or a key-like string value, for a duplicate', () => {
    const text = briefText({
      subject: 'subject',
      stories: [
        { headline: 'a', link: { text: 'href', href: 'https://a.example' } },
        { headline: 'b', link: { text: 't', href: 'https://b.example' } },
      ],
    });
    expect(parse(text).ok).toBe(true);
    expect(
      parse(
        '{"version":1,"id":"x","list":"weekly","subject":"a\\"b","stories":[{"headline":"h"}],"footer":{"text":"t","postalAddress":"p"}}',
      ).ok,
    ).toBe(true);
  });

  it.each([
    ['https://user:pw@example.com/secret', '/stories/0/link/href'],
    ['https://token@example.com/', '/stories/0/link/href'],
  ])('refuses the link %s with credentials, naming the link it would accept', (href, pointer) => {
    const result = parse(briefText({ stories: [{ headline: 'h', link: { text: 'go', href } }] }));
    expect(result.ok ? [] : result.problems).toEqual([
      { pointer, message: expect.stringMatching(/must not carry a user name or password .*link to https:\/\/example\.com\//) },
    ]);
  });

  it('refuses credentials in an inline link too', () => {
    expect(pointers(briefText({ stories: [{ headline: 'h', paragraphs: ['see [it](https://u:p@example.com/x)'] }] }))).toEqual([
      '/stories/0/paragraphs/0',
    ]);
  });

  it.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'refuses the bidi control %s in one-line fields with the pointer',
    (escaped) => {
      const control = JSON.parse(`"${escaped}"`) as string;
      const result = parse(
        briefText({
          subject: `Invoice ${control}fdp.exe`,
          stories: [{ headline: `a${control}b`, link: { text: `go${control}`, href: 'https://a.example' } }],
        }),
      );
      expect(result.ok ? [] : result.problems.map((p) => p.pointer)).toEqual(['/subject', '/stories/0/headline', '/stories/0/link/text']);
      if (!result.ok)
        expect(result.problems[0]!.message).toMatch(
          /bidirectional control character U\+[0-9A-F]{4} \(at character 9\).*remove it .*U\+200E and U\+200F are allowed/,
        );
    },
  );

  it('accepts right-to-left text and the left-to-right and right-to-left marks', () => {
    expect(parse(briefText({ locale: 'ar', subject: 'الموجز \u200fالأسبوعي 50\u200e' })).ok).toBe(true);
  });
});

describe('parseBrief: locales', () => {
  it.each(['en', 'en-GB', 'ar', 'fa', 'fa-IR', 'ur', 'he', 'pt-BR', 'it', 'nl', 'de-CH', 'fr', 'es-419'])(
    'accepts %s, a language newsbrief has footer words for',
    (locale) => {
      expect(parse(briefText({ locale })).ok).toBe(true);
    },
  );

  it.each(['pl', 'ja', 'zh-Hans', 'sw'])(
    'refuses %s instead of giving it an English footer, naming the languages it could use',
    (locale) => {
      const result = parse(briefText({ locale }));
      expect(result.ok ? [] : result.problems).toEqual([
        {
          pointer: '/locale',
          message: expect.stringMatching(
            /no footer words in this language yet.*use one of en, ar, .*add the language to src\/render\/phrases\.ts/,
          ),
        },
      ]);
    },
  );
});

describe('parseBrief: the banner', () => {
  it('accepts a dark-mode logo beside the light one, https only', () => {
    expect(
      parse(briefText({ banner: { text: 'B', imageUrl: 'https://e.example/l.png', darkImageUrl: 'https://e.example/d.png', alt: 'B' } }))
        .ok,
    ).toBe(true);
    expect(
      pointers(briefText({ banner: { text: 'B', imageUrl: 'https://e.example/l.png', darkImageUrl: 'http://e.example/d.png', alt: 'B' } })),
    ).toEqual(['/banner/darkImageUrl']);
  });

  it('refuses a dark-mode logo without the light one', () => {
    expect(pointers(briefText({ banner: { text: 'B', darkImageUrl: 'https://e.example/d.png' } }))).toEqual(['/banner/darkImageUrl']);
  });

  it('points "logoDark" at darkImageUrl', () => {
    const result = parse(
      briefText({ banner: { text: 'B', imageUrl: 'https://e.example/l.png', alt: 'B', logoDark: 'https://e.example/d.png' } }),
    );
    expect(result.ok ? '' : result.problems[0]!.message).toContain('did you mean "darkImageUrl"');
  });
});

describe('idFromSourceName', () => {
  it.each([
    ['briefs/oracle-tiktok.json', 'oracle-tiktok'],
    ['Café Crème.brief.json', 'cafe-creme'],
    ['a+b.json', 'a-b'],
    ['---.json', undefined],
  ])('%s → %s', (name, id) => expect(idFromSourceName(name)).toBe(id));
});
