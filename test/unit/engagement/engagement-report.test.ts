import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { COUNTER } from '../../../src/engagement/engagement-counters.js';
import { formatIssueReport, readIssueReport } from '../../../src/report/issue-report.js';
import type { IssueLink } from '../../../src/model.js';
import { FakeClock } from '../../support/fakes.js';
import { listsTracking } from '../../support/engagement-events.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };
const LINKS: IssueLink[] = [
  { position: 1, url: 'https://example.com/one', text: 'Story one' },
  { position: 2, url: 'https://example.com/cta', text: 'Subscribe to premium' },
];

async function reportWith(tracking: { opens: boolean; clicks: boolean } | undefined, counters: Record<string, number>) {
  const ledger = new MemoryLedger();
  await ledger.claimIssue(ISSUE, { renderedKey: 'r', source: 's', at: '2026-03-02T09:00:00Z' });
  await ledger.addCounts(ISSUE, { planned: 10 });
  if (Object.keys(counters).length > 0) await ledger.addEngagement(ISSUE, counters);
  return (await readIssueReport(
    {
      ledger,
      feedback: ledger,
      lists: listsTracking(tracking),
      clock: new FakeClock(),
      breaker: DEFAULT_BREAKER_POLICY,
      engagement: { ledger, links: async () => LINKS },
    },
    ISSUE,
  ))!;
}

describe('engagement in the issue report', () => {
  it('has no engagement part for a list that tracks nothing', async () => {
    const report = await reportWith(undefined, { [COUNTER.total('open', false)]: 3 });
    expect(report.engagement).toBeUndefined();
    expect(formatIssueReport(report)).not.toContain('opened by');
  });

  it('reports zeros, every link and 48 hours for a tracking issue nothing happened to yet', async () => {
    const { engagement } = await reportWith({ opens: true, clicks: true }, {});
    expect(engagement).toMatchObject({ opens: { total: 0, unique: 0 }, clicks: { total: 0, unique: 0 }, later: { opens: 0, clicks: 0 } });
    expect(engagement!.links.map((l) => [l.position, l.total])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(engagement!.hourly).toHaveLength(48);
  });

  it('prints readers, machine events apart, and the clicked links by readers', async () => {
    const report = await reportWith(
      { opens: true, clicks: true },
      {
        [COUNTER.total('open', false)]: 7,
        [COUNTER.unique('open', false)]: 5,
        [COUNTER.total('open', true)]: 2,
        [COUNTER.unique('open', true)]: 2,
        [COUNTER.total('click', false)]: 4,
        [COUNTER.unique('click', false)]: 3,
        [COUNTER.linkTotal(2)]: 4,
        [COUNTER.linkUnique(2)]: 3,
        [COUNTER.linkMachine(1)]: 1,
      },
    );
    const text = formatIssueReport(report);
    expect(text).toContain('opened by 5');
    expect(text).toContain('opens 7  machine opens 2 (by 2, shown apart)');
    expect(text).toContain('clicked by 3');
    expect(text).toContain('#2 Subscribe to premium → https://example.com/cta: 3 readers, 4 clicks, 0 machine');
    expect(text.indexOf('#2 ')).toBeLessThan(text.indexOf('#1 '));
    expect(JSON.parse(JSON.stringify(report)).engagement.links[1]).toEqual({ ...LINKS[1], total: 4, unique: 3, machine: 0 });
  });

  it('says what is not tracked', async () => {
    const text = formatIssueReport(await reportWith({ opens: true, clicks: false }, {}));
    expect(text).toContain('clicks: not tracked for this list');
    expect(text).toContain('opened by 0');
  });
});
