import { describe, expect, it } from 'vitest';
import { READER_CLAIM_PREFIX } from '../../../src/engagement/engagement-counters.js';
import { type ReaderHistoryStore, readerHistoryOfStore, readReaderHistory } from '../../../src/engagement/reader-history.js';
import type { DeliveryRecord, IssueLink, IssueRef } from '../../../src/model.js';
import { unsubscribeEventKey } from '../../../src/subscribers/unsubscribe.js';

const LINKS: IssueLink[] = [
  { position: 1, url: 'https://example.org/a', text: 'Story A' },
  { position: 2, url: 'https://example.org/b', text: 'The CTA' },
];
const SENT: DeliveryRecord = { status: 'sent', attempt: 1, claimedAt: '2026-03-01T08:00:00Z', messageId: 'm' };

/** A store with issues i-1..i-4 of weekly (and one of another list), deliveries and claims as given. */
function storeWith(deliveries: Record<string, string[]>, claims: Record<string, string[]>): ReaderHistoryStore {
  const key = (issue: IssueRef) => issue.id;
  return {
    listIssues: async () => [
      ...[1, 2, 3, 4].map((n) => ({ list: 'weekly', id: `i-${n}`, claimedAt: `2026-03-0${n}T08:00:00Z` })),
      { list: 'other', id: 'o-1', claimedAt: '2026-03-09T08:00:00Z' },
    ],
    delivery: (issue, subscriberId) => (deliveries[key(issue)]?.includes(subscriberId) ? SENT : undefined),
    claimedAmong: async (issue, keys) => new Set(keys.filter((k) => claims[key(issue)]?.includes(k))),
  };
}

const claim = (what: string, reader = 'ada') => `${READER_CLAIM_PREFIX}${what}#${reader}`;

describe('a reader’s history', () => {
  it('lists only the issues delivered to them, newest first, naming the links they clicked and where they left', async () => {
    const deps = readerHistoryOfStore(
      storeWith(
        { 'i-1': ['ada'], 'i-2': ['bob'], 'i-3': ['ada'], 'i-4': ['ada', 'bob'] },
        {
          'i-1': [claim('open#human'), claim('click#human'), claim('link-2')],
          'i-3': [claim('open#machine'), claim('click#machine'), unsubscribeEventKey('ada')],
          // Bob's claims are not Ada's.
          'i-4': [claim('open#human', 'bob'), claim('link-1', 'bob')],
        },
      ),
      async () => LINKS,
    );

    const { issues, examined } = await readReaderHistory(deps, { list: 'weekly', id: 'ada' }, { opens: true, clicks: true });

    expect(examined).toBe(4);
    expect(issues.map((i) => [i.issue, i.opened, i.clicked?.map((l) => l.text), i.clickedAny, i.machineClick, i.leftHere])).toEqual([
      ['i-4', 'no', [], false, false, false],
      ['i-3', 'machine', [], false, true, true],
      ['i-1', 'human', ['The CTA'], true, false, false],
    ]);
  });

  it('looks at the last `limit` issues only, and says nothing of opens or clicks a list does not track', async () => {
    const deps = readerHistoryOfStore(storeWith({ 'i-1': ['ada'], 'i-4': ['ada'] }, { 'i-4': [claim('open#human')] }), async () => LINKS);
    const { issues, examined } = await readReaderHistory(deps, { list: 'weekly', id: 'ada' }, { opens: false, clicks: false }, 2);
    expect(examined).toBe(2);
    expect(issues).toEqual([
      { issue: 'i-4', delivery: SENT, opened: undefined, clicked: undefined, clickedAny: false, machineClick: false, leftHere: false },
    ]);
  });
});
