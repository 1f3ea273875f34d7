import { describe, expect, it } from 'vitest';
import { archivePage, archiveTitle, subscribePageOf } from '../../../src/archive/archive-page.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { LISTS, renderedFixture } from '../../support/fixtures.js';

/** A checked-in rendered issue (its brief is in test/support/rendered-fixtures.ts) and its list. */
function rendered(name: string) {
  const issue = renderedFixture(name);
  return { issue, list: LISTS.lists.get(issue.list)! };
}

describe('archivePage', () => {
  it('fills every merge tag with its fallback and the address with nothing', async () => {
    // Subject 'Hi {{firstName|reader}}', headline 'For {{firstName|you}}', paragraph 'Sent to {{email}}.'
    const { issue, list } = rendered('merge-tags');
    const page = archivePage(issue, list);
    expect(page).toContain('For you');
    expect(page).toContain('Sent to .');
    expect(archiveTitle(issue, list)).toBe('Hi reader');
    expect(page).not.toMatch(/[\uE000\uE001]/);
  });

  it('offers a subscribe link, labelled Subscribe, where the email has its unsubscribe link', async () => {
    const { issue, list } = rendered('base-brief');
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
    const { issue, list } = rendered('rtl-arabic');
    const page = archivePage(issue, list);
    expect(page).toContain('>اشترك</a>');
    expect(page).not.toContain('إلغاء الاشتراك');
  });

  it('uses the configured subscribe page when the list has one, else the archive index', () => {
    const list = LISTS.lists.get('weekly')!;
    expect(subscribePageOf(list)).toBe('https://news.example.com/archive/weekly/index.html');
    expect(subscribePageOf({ ...list, archiveSubscribeUrl: 'https://news.example.com/join' })).toBe('https://news.example.com/join');
  });
});
