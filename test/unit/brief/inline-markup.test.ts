import { describe, expect, it } from 'vitest';
import { linksOf, parseInline } from '../../../src/brief/inline-markup.js';
import { checkLinkTarget } from '../../../src/config/link-target.js';

describe('parseInline', () => {
  it('reads bold, italic and links', () => {
    expect(parseInline('a **b** _c_ [d](https://e.example)')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', children: [{ kind: 'text', text: 'b' }] },
      { kind: 'text', text: ' ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'c' }] },
      { kind: 'text', text: ' ' },
      { kind: 'link', href: 'https://e.example', children: [{ kind: 'text', text: 'd' }] },
    ]);
  });

  it('keeps an underscore inside a word as a character (snake_case)', () => {
    expect(parseInline('snake_case and my_var_name')).toEqual([{ kind: 'text', text: 'snake_case and my_var_name' }]);
  });

  it('keeps unmatched markers as text', () => {
    expect(parseInline('2 ** 3 and _open and [no link]')).toEqual([{ kind: 'text', text: '2 ** 3 and _open and [no link]' }]);
  });

  it('keeps HTML-looking text as text', () => {
    expect(parseInline('<b>x</b> & <mj-raw>')).toEqual([{ kind: 'text', text: '<b>x</b> & <mj-raw>' }]);
  });

  it('nests italic and links inside bold', () => {
    expect(parseInline('**a _b_ [c](https://x.example)**')[0]).toMatchObject({
      kind: 'bold',
      children: [{ text: 'a ' }, { kind: 'italic' }, { text: ' ' }, { kind: 'link' }],
    });
  });

  it('keeps balanced parentheses in link targets', () => {
    expect(linksOf(parseInline('[w](https://en.wikipedia.org/wiki/Foo_(bar)) after'))).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('honours backslash escapes', () => {
    expect(parseInline('\\*\\*not bold\\*\\*')).toEqual([{ kind: 'text', text: '**not bold**' }]);
  });
});

describe('checkLinkTarget', () => {
  it.each(['https://example.com', 'http://example.com/a?b=1&c=2', 'mailto:desk@example.com'])('accepts %s', (href) => {
    expect(checkLinkTarget(href)).toBeUndefined();
  });
  it.each([
    ['javascript:alert(1)', 'scheme "javascript:"'],
    [' JAVASCRIPT:alert(1)', 'scheme "javascript:"'],
    ['data:text/html;base64,PHNjcmlwdD4=', 'scheme "data:"'],
    ['//evil.example', 'not an absolute link'],
    ['mailto:', 'no e-mail address'],
    ['https://exa mple.com', 'spaces'],
  ])('refuses %s', (href, why) => expect(checkLinkTarget(href)).toContain(why));
});
