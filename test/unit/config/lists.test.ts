import { describe, expect, it } from 'vitest';
import { ListsConfigError, parseListsConfig } from '../../../src/config/lists.js';
import { breakerPolicyFor } from '../../../src/feedback/circuit-breaker.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';

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
