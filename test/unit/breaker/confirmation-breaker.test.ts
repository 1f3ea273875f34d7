import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { testLists } from '../../support/fakes.js';
import { confirmationBrief } from '../../../src/subscribers/confirmation-brief.js';
import {
  CONFIRMATION_MAIL_ID,
  confirmationBreakerVerdict,
  confirmationCount,
  countConfirmationFeedback,
  resetConfirmationBreaker,
} from '../../../src/breaker/confirmation-breaker.js';

const AT = Date.parse('2026-03-02T09:00:00Z');
const DAY = 86_400_000;

describe('the confirmation breaker', () => {
  it('trips on the third complaint of a day, says so once, and lets the list mail again the next day', async () => {
    const ledger = new MemoryLedger();
    await ledger.add(confirmationCount('weekly', 'sent'), AT, 5);
    expect(await countConfirmationFeedback(ledger, 'weekly', 'complained', 2, AT)).toBeUndefined();
    expect((await confirmationBreakerVerdict(ledger, 'weekly', AT)).trip).toBe(false);

    expect(await countConfirmationFeedback(ledger, 'weekly', 'complained', 1, AT + 1000)).toMatchObject({
      trip: true,
      reason: '3 complaints passed the limit of 2 complaints',
    });
    expect(await countConfirmationFeedback(ledger, 'weekly', 'complained', 1, AT + 2000)).toBeUndefined();
    expect((await confirmationBreakerVerdict(ledger, 'weekly', AT + 3000)).trip).toBe(true);
    expect((await confirmationBreakerVerdict(ledger, 'other', AT + 3000)).trip).toBe(false);
    expect((await confirmationBreakerVerdict(ledger, 'weekly', AT + DAY)).trip).toBe(false);
  });

  it('judges bounces as a rate from 20 sent, so a few typos on a small day do not stop a list', async () => {
    const ledger = new MemoryLedger();
    await ledger.add(confirmationCount('weekly', 'sent'), AT, 19);
    expect(await countConfirmationFeedback(ledger, 'weekly', 'bounced', 5, AT)).toBeUndefined();
    await ledger.add(confirmationCount('weekly', 'sent'), AT, 1);
    expect(await confirmationBreakerVerdict(ledger, 'weekly', AT)).toMatchObject({
      trip: true,
      reason: 'bounce rate 25 % (5 of 20 sent) passed the limit of 10 %',
    });
  });

  it('is reset by a person: what tripped it no longer counts', async () => {
    const ledger = new MemoryLedger();
    await countConfirmationFeedback(ledger, 'weekly', 'complained', 3, AT);
    expect((await confirmationBreakerVerdict(ledger, 'weekly', AT)).trip).toBe(true);
    await resetConfirmationBreaker(ledger, 'weekly', AT);
    expect((await confirmationBreakerVerdict(ledger, 'weekly', AT)).trip).toBe(false);
  });

  it('knows a confirmation mail by the issue tag it is sent with', () => {
    expect(confirmationBrief(testLists.lists.get('weekly')!, 'https://news.example.com/confirm?t=x').id).toBe(CONFIRMATION_MAIL_ID);
  });
});
