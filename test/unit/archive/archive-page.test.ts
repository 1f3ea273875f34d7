import { describe, expect, it } from 'vitest';
import { archivePage, archiveTitle, subscribePageOf } from '../../../src/archive/archive-page.js';
import { parseBrief } from '../../../src/brief/parse-brief.js';
import { renderIssue } from '../../../src/render/render-issue.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { briefText, KNOWN_LISTS, LISTS, validExample } from '../../support/fixtures.js';

async function rendered(text: string) {
  const parsed = parseBrief(text, { knownLists: KNOWN_LISTS });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const list = LISTS.lists.get(parsed.brief.list)!;
  return { issue: await renderIssue(parsed.brief, list), list };
}

describe('archivePage', () => {
  it('fills every merge tag with its fallback and the address with nothing', async () => {
    const { issue, list } = await rendered(
      briefText({ subject: 'Hi {{firstName|reader}}', stories: [{ headline: 'For {{firstName|you}}', paragraphs: ['Sent to {{email}}.'] }] }),
    );
    const page = archivePage(issue, list);
    expect(page).toContain('For you');
    expect(page).toContain('Sent to .');
    expect(archiveTitle(issue, list)).toBe('Hi reader');
    expect(page).not.toMatch(/[\uE000\uE001]/);
  });

  it('offers a subscribe link, labelled Subscribe, where the email has its unsubscribe link', async () => {
    const { issue, list } = await rendered(briefText());
    const page = archivePage(issue, list);
    expect(page).toContain(`href="${subscribePageOf(list)}"`);
    expect(page).toMatch(/>Subscribe<\/a>/);
    expect(page).not.toMatch(/Unsubscribe/i);
    expect(page).not.toContain(list.unsubscribeBaseUrl);
    // The same render still says Unsubscribe to a subscriber: one MJML render serves both.
    const email = fillTemplate(issue.html, { email: 'a@example.com', unsubscribeUrl: 'https://u.example/?t=X' });
    expect(email).toMatch(/>Unsubscribe<\/a>/);
  });

  it('says Subscribe in the language of the issue', async () => {
    const brief = validExample('rtl-arabic.json');
    const list = LISTS.lists.get(brief.list)!;
    const page = archivePage(await renderIssue(brief, list), list);
    expect(page).toContain('>اشترك</a>');
    expect(page).not.toContain('إلغاء الاشتراك');
  });

  it('uses the configured subscribe page when the list has one, else the archive index', () => {
    const list = LISTS.lists.get('weekly')!;
    expect(subscribePageOf(list)).toBe('https://news.example.com/archive/weekly/index.html');
    expect(subscribePageOf({ ...list, archiveSubscribeUrl: 'https://news.example.com/join' })).toBe('https://news.example.com/join');
  });
});
