import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { applySesFeedback, type FeedbackDeps } from '../../../src/feedback/apply-feedback.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import { parseSesEvent, type SesFeedback } from '../../../src/feedback/parse-ses-event.js';
import { CONFIRMATION_MAIL_ID, confirmationBreakerVerdict, confirmationCount } from '../../../src/breaker/confirmation-breaker.js';
import { FakeClock, testLists } from '../../support/fakes.js';
import { sesFixture } from '../../support/ses-events.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };
const AT = '2026-03-01T00:00:00Z';

function feedbackOf(event: unknown): SesFeedback {
  const parsed = parseSesEvent(event);
  if (!parsed.ok) throw new Error(parsed.ignored);
  return parsed.feedback;
}

describe('applySesFeedback', () => {
  let subscribers: MemorySubscriberStore;
  let ledger: MemoryLedger;
  let deps: FeedbackDeps;

  beforeEach(async () => {
    subscribers = new MemorySubscriberStore();
    ledger = new MemoryLedger();
    deps = {
      subscribers,
      ledger,
      feedback: ledger,
      lists: testLists,
      clock: new FakeClock(),
      breaker: { ...DEFAULT_BREAKER_POLICY, minSample: 10 },
      confirmations: ledger,
    };
    for (const email of ['gone@example.org', 'alsogone@example.org', 'full@example.org', 'angry@example.org', 'happy@example.org']) {
      await subscribers.upsert({ list: 'weekly', email, status: 'subscribed' }, AT);
    }
    await ledger.claimIssue(ISSUE, { renderedKey: 'r', source: 's', at: AT });
  });

  it('marks every permanently bounced recipient bounced and counts each once', async () => {
    const result = await applySesFeedback(deps, feedbackOf(sesFixture('bounce-permanent')));
    expect(result).toEqual({ counted: 2, duplicates: 0, statusChanges: 2 });
    expect((await subscribers.get('weekly', 'gone@example.org'))!.status).toBe('bounced');
    expect((await subscribers.get('weekly', 'alsogone@example.org'))!.status).toBe('bounced');
    expect((await ledger.issueHealth(ISSUE)).counts.bounced).toBe(2);
  });

  it('is idempotent: the same notification twice changes and counts nothing the second time', async () => {
    await applySesFeedback(deps, feedbackOf(sesFixture('bounce-permanent')));
    const again = await applySesFeedback(deps, feedbackOf(sesFixture('bounce-permanent')));
    expect(again).toEqual({ counted: 0, duplicates: 2, statusChanges: 0 });
    expect((await ledger.issueHealth(ISSUE)).counts.bounced).toBe(2);
  });

  it('only counts a transient bounce', async () => {
    const result = await applySesFeedback(deps, feedbackOf(sesFixture('bounce-transient')));
    expect(result.statusChanges).toBe(0);
    expect((await subscribers.get('weekly', 'full@example.org'))!.status).toBe('subscribed');
    expect((await ledger.issueHealth(ISSUE)).counts.softBounced).toBe(1);
  });

  it('marks a complainer complained, and never un-suppresses: a later bounce leaves them complained', async () => {
    await applySesFeedback(deps, feedbackOf(sesFixture('complaint')));
    const bounce = sesFixture('bounce-permanent');
    bounce.bounce.bouncedRecipients = [{ emailAddress: 'angry@example.org' }];
    await applySesFeedback(deps, feedbackOf(bounce));
    expect((await subscribers.get('weekly', 'angry@example.org'))!.status).toBe('complained');
  });

  it('counts deliveries without touching statuses', async () => {
    await applySesFeedback(deps, feedbackOf(sesFixture('delivery')));
    expect((await ledger.issueHealth(ISSUE)).counts.delivered).toBe(1);
    expect((await subscribers.get('weekly', 'happy@example.org'))!.status).toBe('subscribed');
  });

  it('suppresses an untagged complaint on every list the address is on, counting nothing', async () => {
    await subscribers.upsert({ list: 'morning-digest', email: 'angry@example.org', status: 'unsubscribed' }, AT);
    const result = await applySesFeedback(deps, feedbackOf(sesFixture('complaint-untagged')));
    expect(result).toEqual({ counted: 0, duplicates: 0, statusChanges: 2 });
    expect((await subscribers.get('morning-digest', 'angry@example.org'))!.status).toBe('complained');
  });

  it('trips the breaker once the bounce rate passes the limit over the minimum sample', async () => {
    await ledger.addCounts(ISSUE, { sent: 20 });
    const first = await applySesFeedback(deps, feedbackOf(sesFixture('bounce-permanent')));
    expect(first.tripped).toEqual({ issue: ISSUE, reason: 'bounce rate 10 % (2 of 20 sent) passed the limit of 5 %' });
    expect((await ledger.issueHealth(ISSUE)).breaker?.reason).toContain('bounce rate 10 %');
    const complaint = await applySesFeedback(deps, feedbackOf(sesFixture('complaint')));
    expect(complaint.tripped).toBeUndefined();
  });

  it("holds a confirmation mail's bounces and complaints against the list's confirmation breaker, not an issue's, once each", async () => {
    const now = deps.clock.now();
    const confirmationOf = (name: 'bounce-permanent' | 'complaint') => {
      const event = sesFixture(name);
      event.mail.tags.issue = [CONFIRMATION_MAIL_ID];
      return feedbackOf(event);
    };
    await ledger.add(confirmationCount('weekly', 'sent'), now, 20);

    const bounce = await applySesFeedback(deps, confirmationOf('bounce-permanent'));
    const again = await applySesFeedback(deps, confirmationOf('bounce-permanent'));

    expect(bounce).toMatchObject({ counted: 2, statusChanges: 2 });
    expect(bounce.tripped).toBeUndefined();
    expect(again).toMatchObject({ counted: 0, duplicates: 2 });
    expect(
      await ledger.read(
        ['sent', 'bounced', 'complained'].map((c) => confirmationCount('weekly', c as 'sent')),
        now,
      ),
    ).toEqual([20, 2, 0]);
    expect((await ledger.issueHealth(ISSUE)).counts.bounced).toBe(0);
    // 2 of 20 is the limit (10 %), not past it; the third bounce trips it, and says so once.
    const third = sesFixture('bounce-permanent');
    third.mail.tags.issue = [CONFIRMATION_MAIL_ID];
    third.mail.messageId = 'another-confirmation';
    third.bounce.bouncedRecipients = [{ emailAddress: 'full@example.org' }];
    expect((await applySesFeedback(deps, feedbackOf(third))).confirmationsStopped).toEqual({
      list: 'weekly',
      reason: 'bounce rate 15 % (3 of 20 sent) passed the limit of 10 %',
    });
    expect((await confirmationBreakerVerdict(ledger, 'weekly', now)).trip).toBe(true);
    expect((await applySesFeedback(deps, confirmationOf('complaint'))).confirmationsStopped).toBeUndefined();
  });
});
