import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { applySesFeedback, type FeedbackDeps } from '../../../src/feedback/apply-feedback.js';
import { parseSesEvent, type SesFeedback } from '../../../src/feedback/parse-ses-event.js';
import { foldEngagement } from '../../../src/engagement/engagement-counters.js';
import type { IssueLink } from '../../../src/model.js';
import { FakeClock } from '../../support/fakes.js';
import { type EngagementFixture, engagementFixture, listsTracking } from '../../support/engagement-events.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };
const LINKS: IssueLink[] = [
  { position: 1, url: 'https://example.com/story-one?utm_source=weekly&ref=1', text: 'Story one' },
  { position: 2, url: 'https://example.com/story-two', text: 'Read more' },
];
const BOTH = { opens: true, clicks: true };

function event(name: EngagementFixture, change: (e: Record<string, any>) => void = () => {}): SesFeedback {
  const raw = engagementFixture(name);
  change(raw);
  const parsed = parseSesEvent(raw);
  if (!parsed.ok) throw new Error(parsed.ignored);
  return parsed.feedback;
}

/** Feedback wiring on one memory ledger, for a list tracking opens and clicks whose issue has `links`. */
function feedbackDeps(ledger: MemoryLedger, links: IssueLink[]): FeedbackDeps {
  return {
    subscribers: new MemorySubscriberStore(),
    ledger,
    feedback: ledger,
    lists: listsTracking(BOTH),
    clock: new FakeClock(),
    breaker: DEFAULT_BREAKER_POLICY,
    confirmations: ledger,
    engagement: { ledger, links: async () => links },
  };
}

describe('opens and clicks through applySesFeedback', () => {
  let ledger: MemoryLedger;
  let deps: FeedbackDeps;
  const counts = async () => foldEngagement(await ledger.engagementCounters(ISSUE), LINKS, BOTH);

  beforeEach(() => {
    ledger = new MemoryLedger();
    deps = feedbackDeps(ledger, LINKS);
  });

  it('counts a redelivered Open once', async () => {
    const first = await applySesFeedback(deps, event('open'));
    const again = await applySesFeedback(deps, event('open'));
    expect(first).toMatchObject({
      counted: 1,
      duplicates: 0,
      engagement: { counted: true, kind: 'open', machine: false, firstForReader: true },
    });
    expect(again).toMatchObject({ counted: 0, duplicates: 1, engagement: { counted: false, duplicate: true } });
    const c = await counts();
    expect(c.opens).toEqual({ total: 1, unique: 1 });
    // Sent 09:00, opened 11:30: the third hour.
    expect(c.hourly[2]).toEqual({ hour: 2, opens: 1, clicks: 0 });
    expect(c.hourly.length).toBe(48);
  });

  it('counts a second open by the same reader in the total, not in the unique readers', async () => {
    await applySesFeedback(deps, event('open'));
    await applySesFeedback(
      deps,
      event('open', (e) => (e.open.timestamp = '2026-03-04T10:00:00.000Z')),
    );
    const c = await counts();
    expect(c.opens).toEqual({ total: 2, unique: 1 });
    expect(c.later).toEqual({ opens: 1, clicks: 0 });
  });

  it('counts machine opens apart and keeps them out of the human figures and the timeline', async () => {
    await applySesFeedback(deps, event('open-apple-privacy'));
    const c = await counts();
    expect(c.machineOpens).toEqual({ total: 1, unique: 1 });
    expect(c.opens).toEqual({ total: 0, unique: 0 });
    expect(c.hourly.every((h) => h.opens === 0)).toBe(true);
  });

  it('counts a click on its link position, per reader once, and a scanner click apart', async () => {
    await applySesFeedback(deps, event('click'));
    await applySesFeedback(
      deps,
      event('click', (e) => (e.click.timestamp = '2026-03-02T12:00:00.000Z')),
    );
    await applySesFeedback(deps, event('click-scanner'));
    const c = await counts();
    expect(c.clicks).toEqual({ total: 2, unique: 1 });
    expect(c.machineClicks).toEqual({ total: 1, unique: 1 });
    expect(c.links[0]).toEqual({ ...LINKS[0], total: 2, unique: 1, machine: 1 });
    expect(c.links[1]).toEqual({ ...LINKS[1], total: 0, unique: 0, machine: 0 });
  });

  it('ignores a click on a link the issue does not have, safely and without counting', async () => {
    const result = await applySesFeedback(deps, event('click-unknown-link'));
    expect(result).toMatchObject({ counted: 0, duplicates: 0, engagement: { counted: false, reason: 'a link this issue does not have' } });
    expect(await ledger.engagementCounters(ISSUE)).toEqual({});
  });

  it('ignores a click when the issue has no link map at all', async () => {
    deps = { ...deps, engagement: { ledger, links: async () => undefined } };
    expect((await applySesFeedback(deps, event('click'))).counted).toBe(0);
  });

  it('counts nothing of an Open without the configuration set tags', async () => {
    const result = await applySesFeedback(deps, event('open-untagged'));
    expect(result.counted).toBe(0);
    expect(result.engagement).toMatchObject({ counted: false, reason: 'no issue tags of a known list' });
  });

  it('drops opens of a list that tracks clicks only, and everything of a list that tracks nothing', async () => {
    deps = { ...deps, lists: listsTracking({ opens: false, clicks: true }) };
    expect((await applySesFeedback(deps, event('open'))).engagement).toMatchObject({
      counted: false,
      reason: 'list weekly does not track opens',
    });
    expect((await applySesFeedback(deps, event('click'))).counted).toBe(1);
    deps = { ...deps, lists: listsTracking(undefined) };
    expect(
      (
        await applySesFeedback(
          deps,
          event('click', (e) => (e.click.timestamp = '2026-03-02T13:00:00.000Z')),
        )
      ).counted,
    ).toBe(0);
  });

  it('leaves statuses and feedback counts alone', async () => {
    await applySesFeedback(deps, event('open'));
    const health = await ledger.issueHealth(ISSUE);
    expect(Object.values(health.counts).every((n) => n === 0)).toBe(true);
  });
});

describe('a scanner following every link at once', () => {
  // Five tracked links, as an issue of three stories with a button and a footer link has.
  const FIVE: IssueLink[] = [1, 2, 3, 4, 5].map((position) => ({
    position,
    url: `https://example.com/link-${position}`,
    text: `Link ${position}`,
  }));
  let ledger: MemoryLedger;
  let deps: FeedbackDeps;
  const counts = async () => foldEngagement(await ledger.engagementCounters(ISSUE), FIVE, BOTH);

  // Defender Safe Links as SES reports it: a browser's user agent from Microsoft's network, two minutes after the
  // send (past the timing rule's seconds), one Click event per link a few hundred milliseconds apart.
  const sweepClick = (position: number, at: string) =>
    event('click-scanner', (e) => {
      e.click.link = `https://example.com/link-${position}`;
      e.click.timestamp = at;
    });
  const SWEEP = [1, 2, 3, 4, 5].map((position) => sweepClick(position, `2026-03-02T09:02:0${position}.250Z`));

  beforeEach(() => {
    ledger = new MemoryLedger();
    deps = feedbackDeps(ledger, FIVE);
  });

  it('counts the click that completes the burst (four of five links within 30 s) and later ones as machine clicks', async () => {
    const outcomes = [];
    for (const click of SWEEP) outcomes.push((await applySesFeedback(deps, click)).engagement);
    expect(outcomes.map((o) => o?.counted && o.machine)).toEqual([false, false, false, true, true]);
    expect(outcomes[3]).toMatchObject({ counted: true, machine: true, sweep: true, firstForReader: true });
    const c = await counts();
    // The burst's first three were counted as they came, before it could be seen (the report's note says so).
    expect(c.clicks).toEqual({ total: 3, unique: 1 });
    expect(c.machineClicks).toEqual({ total: 2, unique: 1 });
    expect(c.links.map((l) => [l.unique, l.machine])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(c.hourly[0]!.clicks).toBe(3);
  });

  it('counts a redelivered burst once: no click moves from human to machine or back', async () => {
    for (const click of SWEEP) await applySesFeedback(deps, click);
    const before = await ledger.engagementCounters(ISSUE);
    const again = [];
    for (const click of [...SWEEP].reverse()) again.push(await applySesFeedback(deps, click));
    expect(again.every((r) => r.duplicates === 1 && r.counted === 0)).toBe(true);
    expect(await ledger.engagementCounters(ISSUE)).toEqual(before);
  });

  it('judges by when the clicks were made, not the order SNS delivers them in', async () => {
    const outcomes = [];
    for (const click of [...SWEEP].reverse()) outcomes.push((await applySesFeedback(deps, click)).engagement);
    expect(outcomes.map((o) => o?.counted && o.machine)).toEqual([false, false, false, true, true]);
  });

  it("leaves a person's clicks on four links over several minutes, and their click after a scanner's burst, human", async () => {
    const person = (position: number, at: string) =>
      event('click', (e) => {
        e.click.link = `https://example.com/link-${position}`;
        e.click.timestamp = at;
      });
    for (const [position, at] of [
      [1, '2026-03-02T11:31:02.570Z'],
      [2, '2026-03-02T11:32:40.000Z'],
      [3, '2026-03-02T11:34:05.000Z'],
      [4, '2026-03-02T11:36:30.000Z'],
    ] as const)
      expect((await applySesFeedback(deps, person(position, at))).engagement).toMatchObject({ counted: true, machine: false });
    // The scanner's reader, an hour after its burst, clicks the first link: a person again.
    for (const click of SWEEP) await applySesFeedback(deps, click);
    expect((await applySesFeedback(deps, sweepClick(1, '2026-03-02T10:15:00.000Z'))).engagement).toMatchObject({
      counted: true,
      machine: false,
    });
    expect((await counts()).clicks).toEqual({ total: 4 + 3 + 1, unique: 2 });
  });

  it('needs three distinct links: an issue of two links clicked within a second stays human', async () => {
    const TWO = FIVE.slice(0, 2);
    deps = { ...deps, engagement: { ledger, links: async () => TWO } };
    for (const click of SWEEP.slice(0, 2)) expect((await applySesFeedback(deps, click)).engagement).toMatchObject({ machine: false });
    expect(foldEngagement(await ledger.engagementCounters(ISSUE), TWO, BOTH).machineClicks).toEqual({ total: 0, unique: 0 });
  });

  it('stores no IP address or user agent for the clicks it keeps per reader', async () => {
    for (const click of SWEEP) await applySesFeedback(deps, click);
    const stored = JSON.stringify([...ledger.feedbackKeys]);
    expect(stored).toContain('engagement#click-at#');
    expect(stored).not.toMatch(/40\.94\.0\.1|Mozilla|Windows|corp@example\.net/);
  });
});
