import { describe, expect, it } from 'vitest';
import { renderIssue, renderedIssueProblems } from '../../../src/render/render-issue.js';
import { oversizeBriefText } from '../../support/oversize-brief.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { parseBrief } from '../../../src/brief/parse-brief.js';
import type { ValidBrief } from '../../../src/brief/brief-schema.js';
import { briefText, exampleFiles, KNOWN_LISTS, LISTS, validExample } from '../../support/fixtures.js';
import { firstSentences, PREVIEW_MAX } from '../../../src/render/lead-preview.js';
import { phrasesFor } from '../../../src/render/phrases.js';
import { isRightToLeft, LANGUAGES } from '../../../src/brief/brief-schema.js';

const reader = { firstName: 'Ada', email: 'ada@example.com', unsubscribeUrl: 'https://news.example.com/unsubscribe?t=TOKEN&x=1' };

async function render(brief: ValidBrief) {
  const issue = await renderIssue(brief, LISTS.lists.get(brief.list)!);
  return {
    issue,
    html: fillTemplate(issue.html, reader),
    text: fillTemplate(issue.text, reader),
    subject: fillTemplate(issue.subject, reader),
  };
}

function briefOf(overrides: Record<string, unknown>): ValidBrief {
  const result = parseBrief(briefText(overrides), { knownLists: KNOWN_LISTS });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.brief;
}

/** The visible text of an HTML document, roughly as a reader sees it. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderIssue', () => {
  it.each(exampleFiles('valid'))(
    "renders %s within Gmail's 102 KiB, with lang, colour scheme, title and unsubscribe link",
    async (file) => {
      const brief = validExample(file);
      const { html, text } = await render(brief);
      expect(Buffer.byteLength(html)).toBeLessThan(102 * 1024);
      expect(html).toMatch(new RegExp(`<html lang="${brief.locale ?? 'en'}"`));
      expect(html).toContain('<meta name="color-scheme" content="light dark">');
      expect(html).toContain('@media (prefers-color-scheme: dark)');
      expect(html).toContain('href="https://news.example.com/unsubscribe?t=TOKEN&amp;x=1"');
      expect(text).toContain('https://news.example.com/unsubscribe?t=TOKEN&x=1');
      expect(html).not.toMatch(/<mj-/);
    },
  );

  it('shows every special character of special-characters.json as typed and injects nothing', async () => {
    const brief = validExample('special-characters.json');
    const { html, text, subject } = await render(brief);
    expect(html).not.toMatch(/<script|<img src=x|<[^>]*onerror|<b>x<\/b>|<mj-/i);
    expect(html).not.toContain('href="https://evil.example"');
    const shown = visibleText(html);
    for (const typed of [
      '5 < 6 && 7 > 3',
      '<img src=x onerror=alert(1)>',
      'Literal tags stay text: </mj-column></mj-section><mj-raw><b>x</b></mj-raw>',
      'Ampersands & entities like &amp; and &lt; are shown as typed.',
      'Emoji 🎉 and CJK 中文 and combining é survive.',
      '<mj-button href="https://evil.example">Click</mj-button>',
      'Ada, this bullet greets you.',
    ]) {
      expect(shown).toContain(typed);
      expect(text).toContain(typed);
    }
    expect(subject).toBe('Tom & Jerry\'s <b>not bold</b> "quotes" — ünïcödé 🚀');
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2"');
  });

  it('marks right-to-left locales with dir="rtl" and puts bullets on the right', async () => {
    const { html } = await render(validExample('rtl-arabic.json'));
    expect(html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(html).toContain('padding:0 22px 0 0;');
    expect(html).not.toContain('direction:ltr');
  });

  it('hides the preheader without white-on-white text', async () => {
    const { html } = await render(validExample('oracle-tiktok.json'));
    const preheader = /<div class="nb-preheader" style="([^"]*)">([^<]*)/.exec(html);
    expect(preheader?.[1]).toContain('display:none');
    expect(preheader?.[1]).toContain('mso-hide:all');
    expect(preheader?.[1]).not.toMatch(/color:#fff/i);
    expect(preheader?.[2]).toContain('The move ends weeks of speculation');
  });

  it('previews the lead of the issue when the brief has no preheader: plain words, merge tags filled, then the filler', async () => {
    const preheaderOf = (html: string) => /<div class="nb-preheader" style="[^"]*">(.*?)&#847;/.exec(html)?.[1];
    expect(preheaderOf((await render(validExample('minimal.json'))).html)).toBe('Quarterly numbers are in');
    const brief = briefOf({
      stories: [
        {
          headline: 'h',
          standfirst: `**Good news**, {{firstName|reader}}: [prices](https://example.com/p) _fell_ 5% & rents rose. Second sentence here. ${'More words. '.repeat(20)}`,
        },
      ],
    });
    const issue = await renderIssue(brief, LISTS.lists.get('weekly')!);
    expect(preheaderOf(fillTemplate(issue.html, reader))).toBe(
      `Good news, Ada: prices fell 5% &amp; rents rose. Second sentence here. ${'More words. '.repeat(4).trim()}`,
    );
    expect(preheaderOf(fillTemplate(issue.html, { ...reader, firstName: undefined }))).toMatch(/^Good news, reader: prices/);
    expect(
      preheaderOf((await render(briefOf({ preheader: 'Chosen words', stories: [{ headline: 'h', standfirst: 'Lead.' }] }))).html),
    ).toBe('Chosen words');
    expect(
      preheaderOf((await render(briefOf({ preheader: ' ', stories: [{ headline: 'h', paragraphs: ['First paragraph.'] }] }))).html),
    ).toBe('First paragraph.');
  });

  it('cuts a long first sentence at a word, never inside a merge tag', () => {
    const long = `${'word '.repeat(26)}{{firstName|dear reader}} and more words to follow.`;
    const cut = firstSentences(long, PREVIEW_MAX);
    expect(cut).toBe(`${'word '.repeat(26).trim()}…`);
    expect(firstSentences(`Short one. Another short one. ${'x'.repeat(200)}`, PREVIEW_MAX)).toBe('Short one. Another short one.');
    expect(firstSentences('日本語'.repeat(60), 20)).toHaveLength(20);
  });

  it('drops the separator of {{firstName}} without a fallback for a reader without a name', async () => {
    const brief = briefOf({
      subject: 'Good morning, {{firstName}}!',
      stories: [{ headline: '{{firstName}}, your brief', paragraphs: ['Hello {{firstName}}. Hi {{firstName|there}}.'] }],
    });
    const issue = await renderIssue(brief, LISTS.lists.get('weekly')!);
    const nameless = { ...reader, firstName: undefined };
    expect(fillTemplate(issue.subject, reader)).toBe('Good morning, Ada!');
    expect(fillTemplate(issue.subject, nameless)).toBe('Good morning!');
    expect(fillTemplate(issue.text, nameless)).toContain('your brief');
    expect(fillTemplate(issue.text, nameless)).not.toMatch(/^, your brief/m);
    expect(fillTemplate(issue.text, reader)).toContain('Ada, your brief');
    expect(fillTemplate(issue.text, nameless)).toContain('Hello. Hi there.');
    expect(fillTemplate(issue.html, nameless)).toContain('Hello. Hi there.');
  });

  it.each(LANGUAGES)('writes the footer of a "%s" brief in that language, never silently in English', async (language) => {
    const phrases = phrasesFor(language);
    if (language !== 'en') {
      for (const key of ['viewInBrowser', 'unsubscribe', 'subscribe'] as const) expect(phrases[key]).not.toBe(phrasesFor('en')[key]);
      expect(phrases.whyReceiving('X')).not.toBe(phrasesFor('en').whyReceiving('X'));
    }
    const { html, text } = await render(briefOf({ locale: language }));
    expect(html).toContain(phrases.viewInBrowser);
    expect(text).toContain(`${phrases.viewInBrowser}: `);
    expect(html).toContain(phrases.whyReceiving('The Weekly Brief'));
    expect(html).toMatch(new RegExp(`<html lang="${language}" dir="${isRightToLeft(language) ? 'rtl' : 'ltr'}"`));
  });

  it('refuses to hand out English phrases for a language briefs may not use', () => {
    expect(() => phrasesFor('pl')).toThrow(/no phrases for the language of "pl"/);
  });

  it('isolates the list name in the footer sentence so that it cannot reorder a right-to-left sentence', async () => {
    const { html, text } = await render(briefOf({ locale: 'fa' }));
    expect(html).toContain('شما \u2068The Weekly Brief\u2069 را دریافت می‌کنید چون مشترک آن شده‌اید.');
    expect(text).toContain('\u2068The Weekly Brief\u2069');
    expect(html).toContain('<p dir="auto" style="margin:0 0 4px;">Example Media Ltd');
    expect(phrasesFor('en').whyReceiving('الموجز')).toBe('You are receiving \u2068الموجز\u2069 because you subscribed to it.');
    expect(phrasesFor('en').whyReceiving('Future 50')).toBe('You are receiving Future 50 because you subscribed to it.');
  });

  it('puts a dark-mode logo in the banner, hidden until the scheme is dark, and a plate behind a logo without one', async () => {
    const banner = {
      text: 'Weekly',
      imageUrl: 'https://example.com/logo.png',
      darkImageUrl: 'https://example.com/logo-dark.png',
      alt: 'The Weekly Brief',
    };
    const { html } = await render(briefOf({ banner }));
    expect(html).toMatch(/<img class="nb-logo-light" src="https:\/\/example\.com\/logo\.png" alt="The Weekly Brief"/);
    expect(html).toMatch(
      /<div class="nb-logo-dark" style="display:none;[^"]*mso-hide:all;"><img class="nb-logo-dark-img" src="https:\/\/example\.com\/logo-dark\.png"/,
    );
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)[^@]*\.nb-logo-light \{ display: none !important; \}/);
    expect(html).toContain('[data-ogsc] .nb-logo-dark { display: block !important;');
    const { html: plated } = await render(briefOf({ banner: { ...banner, darkImageUrl: undefined } }));
    expect(plated).toMatch(/<img class="nb-logo-plate" src="https:\/\/example\.com\/logo\.png"/);
    expect(plated).not.toContain('logo-dark.png');
  });

  it('renders every element of the format', async () => {
    const { html, text } = await render(validExample('digest-three-stories.json'));
    expect(html).toContain('alt="Morning Digest logo"'); // banner image
    expect(html).toContain('alt="A clean room with workers in white suits"'); // story image
    expect(html).toMatch(/Semiconductors/); // kicker
    expect(html).toContain('<strong>40%</strong>');
    expect(html).toContain('<em>industry filings</em>');
    expect(html).toMatch(/<h2[^>]*>Fab capacity doubles in two years<\/h2>/);
    expect(html).toMatch(/<h3[^>]*>Why it matters<\/h3>/);
    expect(html).toMatch(/<ul[^>]*><li[^>]*>Lead times fall/);
    expect(html).toContain('Read the analysis'); // button
    expect(html).toContain('Example Media Ltd, 1 Example Street, London EC1A 1AA, UK'); // brief's postal address
    expect(html).toContain('href="https://news.example.com/archive/morning-digest/digest-2026-11-30.html"'); // view in browser
    expect(text).toContain('- Lead times fall from 52 to 20 weeks.');
    expect(text).toContain('Read the full filing (https://example.com/filing?id=7&src=brief).');
    expect(text).toContain('Questions? Write to the desk (desk@example.com).');
  });

  it('uses h1 for the headline and h2 for sections in a single-story brief', async () => {
    const { html } = await render(validExample('oracle-tiktok.json'));
    expect(html).toMatch(/<h1[^>]*>Oracle confirms Bytedance-TikTok partnership in US<\/h1>/);
    expect(html).toMatch(/<h2[^>]*>What does it mean\?<\/h2>/);
  });

  it('fills merge tags per reader with fallbacks, escaped for HTML, text and header', async () => {
    const brief = briefOf({
      subject: 'For {{firstName|you}}',
      stories: [{ headline: 'Hello {{firstName|friend}}', paragraphs: ['Sent to {{email}}'] }],
    });
    const issue = await renderIssue(brief, LISTS.lists.get('weekly')!);
    const hostile = { firstName: '<script>x</script>\r\nBcc: a@b.c', email: 'e@example.com', unsubscribeUrl: 'https://u.example/?t=1' };
    expect(fillTemplate(issue.html, hostile)).toContain('Hello &lt;script&gt;x&lt;/script&gt;');
    expect(fillTemplate(issue.text, hostile)).toContain('Hello <script>x</script>');
    expect(fillTemplate(issue.subject, hostile)).toBe('For <script>x</script> Bcc: a@b.c');
    expect(fillTemplate(issue.html, { ...hostile, firstName: undefined })).toContain('Hello friend');
    expect(fillTemplate(issue.subject, { ...hostile, firstName: '  ' })).toBe('For you');
    expect(fillTemplate(issue.text, hostile)).toContain('Sent to e@example.com');
  });

  it('cannot be tricked into a slot by private-use characters in the brief', async () => {
    const brief = briefOf({ stories: [{ headline: 'x\uE0000\uE001y' }] });
    const { html, text } = await render(brief);
    expect(html).toContain('x&#xFFFD;0&#xFFFD;y');
    expect(text).toContain('x\uFFFD0\uFFFDy');
  });

  it('builds the plain text from the structure: underlined headings, "- " bullets, links as text (url)', async () => {
    const { text } = await render(validExample('oracle-tiktok.json'));
    expect(text).toMatch(
      /^FUTURE 50\nhttps:\/\/example\.com\/future-50\n\nRead our new manifesto: https:\/\/example\.com\/manifesto\n\nOracle confirms Bytedance-TikTok partnership in US\n=+\n/,
    );
    expect(text).toMatch(/What does it mean\?\n-{18}\n\n- The full scope/);
    for (const line of text.split('\n')) if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('flags an issue whose HTML Gmail would clip, and passes every example', async () => {
    const big = parseBrief(oversizeBriefText(), { knownLists: KNOWN_LISTS });
    if (!big.ok) throw new Error('the oversize brief should be valid');
    expect(renderedIssueProblems(await renderIssue(big.brief, LISTS.lists.get('weekly')!))).toEqual([
      { pointer: '/stories', message: expect.stringMatching(/^renders to \d+ KiB of HTML; Gmail clips emails over 102 KiB/) },
    ]);
    for (const file of exampleFiles('valid')) expect(renderedIssueProblems((await render(validExample(file))).issue)).toEqual([]);
  });

  it('matches the reviewed golden rendering of the seed brief', async () => {
    const { html, text } = await render(validExample('oracle-tiktok.json'));
    await expect(html).toMatchFileSnapshot('../../fixtures/golden/oracle-tiktok.html');
    await expect(text).toMatchFileSnapshot('../../fixtures/golden/oracle-tiktok.txt');
  });
});
