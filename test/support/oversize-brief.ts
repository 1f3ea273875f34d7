/** A valid brief whose email would pass Gmail's 102 KiB clipping limit: 20 long stories. */
export function oversizeBriefText(id = 'oversize'): string {
  const text =
    'Lorem ipsum dolor sit amet, **consectetur** adipiscing elit, sed do _eiusmod_ tempor [incididunt](https://example.com/x?a=1&b=2) ut labore. '.repeat(
      3,
    );
  const story = (i: number) => ({
    kicker: 'News',
    headline: `Story ${i}`,
    standfirst: text,
    paragraphs: [text, text],
    sections: [{ heading: 'Why', bullets: Array.from({ length: 6 }, () => text) }],
    link: { text: 'Read', href: 'https://example.com' },
  });
  return JSON.stringify({ version: 1, id, list: 'weekly', subject: 'Too long', stories: Array.from({ length: 20 }, (_, i) => story(i)) });
}
