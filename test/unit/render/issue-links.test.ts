import { describe, expect, it } from 'vitest';
import { issueLinks, markUntrackedLinks } from '../../../src/render/issue-links.js';
import { renderIssue } from '../../../src/render/render-issue.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { LISTS, validExample } from '../../support/fixtures.js';

describe('the link map of a rendered issue', () => {
  it('numbers literal http(s) links in document order with their text or image alt, skipping slots and no-track links', () => {
    const html =
      '<p><a href="https://a.example/x?y=1&amp;z=2" style="c">Read <b>the</b>\n story</a>' +
      '<a href="\uE0000\uE001">Unsubscribe</a><a href="mailto:x@y.z">mail</a>' +
      '<a ses:no-track href="https://b.example/">skip</a><a href="https://c.example/"><img alt="Chart &amp; more" src="i.png"></a></p>';
    expect(issueLinks(html)).toEqual([
      { position: 1, url: 'https://a.example/x?y=1&z=2', text: 'Read the story' },
      { position: 2, url: 'https://c.example/', text: 'Chart & more' },
    ]);
  });

  it('marks every link no-track when clicks are not tracked, and only slot and non-web links when they are', () => {
    const html = '<a href="https://a.example/">A</a><a href="\uE0000\uE001">U</a>';
    expect(markUntrackedLinks(html, false)).toBe(
      '<a ses:no-track href="https://a.example/">A</a><a ses:no-track href="\uE0000\uE001">U</a>',
    );
    expect(markUntrackedLinks(html, true)).toBe('<a href="https://a.example/">A</a><a ses:no-track href="\uE0000\uE001">U</a>');
  });

  it('is stored with the issue of a tracking list, and the unsubscribe link is never tracked', async () => {
    const brief = validExample('digest-three-stories.json');
    const list = LISTS.lists.get(brief.list)!;
    const tracked = await renderIssue(brief, { ...list, tracking: { opens: true, clicks: true } });
    expect(tracked.links!.length).toBeGreaterThan(2);
    expect(tracked.links!.map((l) => l.position)).toEqual(tracked.links!.map((_, i) => i + 1));
    const html = fillTemplate(tracked.html, { email: 'a@b.c', unsubscribeUrl: 'https://u.example/unsubscribe?t=T' });
    expect(html).toContain('<a ses:no-track href="https://u.example/unsubscribe?t=T"');
    expect(tracked.links!.some((l) => l.url.includes('unsubscribe'))).toBe(false);

    const untracked = await renderIssue(brief, { ...list, tracking: undefined });
    expect(untracked.links).toBeUndefined();
    expect(fillTemplate(untracked.html, { email: 'a@b.c', unsubscribeUrl: 'https://u' })).not.toContain('ses:no-track');
  });
});
