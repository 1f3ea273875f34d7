import { describe, expect, it } from 'vitest';
import { parseBrief } from '../../../src/brief/parse-brief.js';
import { renderIssue } from '../../../src/render/render-issue.js';
import { fillTemplate } from '../../../src/render/slots.js';
import { briefText, KNOWN_LISTS, LISTS } from '../../support/fixtures.js';

describe('the language of an issue', () => {
  const list = { ...LISTS.lists.get('weekly')!, locale: 'ar' };
  const briefOf = (overrides: Record<string, unknown>) => {
    const parsed = parseBrief(briefText({ subject: 'عنوان', stories: [{ headline: 'خبر' }], ...overrides }), { knownLists: KNOWN_LISTS });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.brief;
  };

  const reader = { firstName: 'Ada', email: 'ada@example.org', unsubscribeUrl: 'https://example.org/u' };
  const htmlOf = async (brief: ReturnType<typeof briefOf>) => fillTemplate((await renderIssue(brief, list)).html, reader);

  it("is the list's when the brief names none: an Arabic list's issue reads right to left", async () => {
    const html = await htmlOf(briefOf({}));
    expect(html).toMatch(/<html[^>]*\slang="ar"/);
    expect(html).toMatch(/<html[^>]*\sdir="rtl"/);
  });

  it("is the brief's own when it names one", async () => {
    const html = await htmlOf(briefOf({ locale: 'en' }));
    expect(html).toMatch(/<html[^>]*\slang="en"/);
    expect(html).not.toMatch(/<html[^>]*\sdir="rtl"/);
  });
});
