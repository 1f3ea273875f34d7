import { describe, expect, it } from 'vitest';
import { ListsConfigError, parseListsConfig } from '../../../src/config/lists.js';
import { breakerPolicyFor } from '../../../src/breaker/circuit-breaker.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { contrastRatio, EMAIL_SURFACES } from '../../../src/config/colour-contrast.js';
import { themeFor } from '../../../templates/theme.js';

const list = (id: string, breaker?: Record<string, unknown>) => ({
  id,
  displayName: 'The Weekly Brief',
  from: 'The Weekly Brief <weekly@news.example.com>',
  postalAddress: 'Example Media Ltd, 1 Example Street, London',
  unsubscribeBaseUrl: 'https://news.example.com/unsubscribe',
  archiveBaseUrl: 'https://news.example.com/archive',
  ...(breaker ? { breaker } : {}),
});

describe('parseListsConfig: breaker overrides', () => {
  it('reads every breaker limit of a list, the complaint sample and count included', () => {
    const breaker = { maxBounceRate: 0.03, maxComplaintRate: 0.0008, minSample: 500, minComplaintSample: 2000, maxComplaints: 5 };
    const config = parseListsConfig({ lists: [list('weekly', breaker), list('daily')] });
    expect(config.lists.get('weekly')!.breaker).toEqual(breaker);
    expect(breakerPolicyFor(config.lists.get('weekly'), DEFAULT_BREAKER_POLICY)).toEqual(breaker);
    expect(breakerPolicyFor(config.lists.get('daily'), DEFAULT_BREAKER_POLICY)).toEqual(DEFAULT_BREAKER_POLICY);
  });

  it('allows a list a limit of 0 complaints', () => {
    expect(parseListsConfig({ lists: [list('weekly', { maxComplaints: 0 })] }).lists.get('weekly')!.breaker).toEqual({ maxComplaints: 0 });
  });

  it.each([
    [{ minComplaintSample: 0 }, '/lists/1/breaker/minComplaintSample'],
    [{ minComplaintSample: 999.5 }, '/lists/1/breaker/minComplaintSample'],
    [{ minComplaintSample: '1000' }, '/lists/1/breaker/minComplaintSample'],
    [{ maxComplaints: -1 }, '/lists/1/breaker/maxComplaints'],
    [{ maxComplaints: 2.5 }, '/lists/1/breaker/maxComplaints'],
    [{ maxComplaint: 3 }, '/lists/1/breaker'],
  ])('names the list and the field of an unusable override: %j', (breaker, pointer) => {
    const parse = () => parseListsConfig({ lists: [list('daily'), list('weekly', breaker)] }, 'config/lists.json');
    expect(parse).toThrow(ListsConfigError);
    expect(parse).toThrow(`config/lists.json: ${pointer} `);
    try {
      parse();
    } catch (error) {
      expect((error as ListsConfigError).problems.map((p) => p.pointer)).toEqual([pointer]);
    }
  });
});

describe('parseListsConfig: accent colours', () => {
  const withAccent = (id: string, accentColor: string) => ({ ...list(id), accentColor });

  it.each([
    ['#f9a825', '1.97'], // amber: white button text and links at 1.97:1
    ['#ff5722', '3.16'], // deep orange
    ['#43a047', '3.30'], // green
    ['#888888', '3.54'], // mid grey
  ])('refuses %s with the list id, the field, the contrast and a darker shade that passes', (accentColor, ratio) => {
    try {
      parseListsConfig({ lists: [list('daily'), withAccent('amber', accentColor)] }, 'config/lists.json');
      expect.unreachable('the accent should be refused');
    } catch (error) {
      const [problem] = (error as ListsConfigError).problems;
      expect(problem!.pointer).toBe('/lists/1/accentColor');
      expect(problem!.message).toContain(`list "amber": ${accentColor} has a contrast of ${ratio}:1 with white`);
      const suggestion = /such as (#[0-9a-f]{6})$/.exec(problem!.message)?.[1];
      expect(contrastRatio(suggestion!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(suggestion!, EMAIL_SURFACES.page)).toBeGreaterThanOrEqual(4.5);
      expect(parseListsConfig({ lists: [withAccent('amber', suggestion!)] }).lists.get('amber')!.accentColor).toBe(suggestion);
    }
  });

  it.each(['#1565c0', '#c2185b', '#00796b', '#6a1b9a', '#000000', '#B71C1C'])('accepts %s', (accentColor) => {
    expect(parseListsConfig({ lists: [withAccent('weekly', accentColor)] }).lists.get('weekly')!.accentColor).toBe(accentColor);
  });

  it.each(['#1565c0', '#000000', '#1a237e', '#6a1b9a', '#956516', '#b71c1c'])(
    'gives %s a dark-mode shade that reads at 4.5:1 on the dark card and page, and under dark button text',
    (accent) => {
      const theme = themeFor(accent);
      for (const surface of [theme.darkCard, theme.darkPage, '#111111'])
        expect(contrastRatio(theme.accentOnDark, surface)).toBeGreaterThanOrEqual(4.5);
    },
  );
});
