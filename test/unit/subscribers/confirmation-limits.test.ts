import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import {
  claimBudgets,
  confirmationBudgets,
  DEFAULT_CONFIRMATION_LIMITS,
  giveBack,
  withHourlyBudgets,
} from '../../../src/subscribers/confirmation-limits.js';

const AT = Date.parse('2026-03-02T09:00:00Z');
const LIMITS = {
  perMailbox: [{ limit: 1, windowMs: 600_000 }],
  perList: { limit: 2, windowMs: 3_600_000 },
  overall: { limit: 3, windowMs: 3_600_000 },
};

describe('confirmation budgets', () => {
  it('takes the mailbox, the list and the overall budget in that order', () => {
    expect(
      confirmationBudgets('weekly', 'ada@example.org', DEFAULT_CONFIRMATION_LIMITS).map((b) => [b.scope, b.limit, b.windowMs]),
    ).toEqual([
      ['mailbox', 1, 600_000],
      ['mailbox', 3, 86_400_000],
      ['list', 100, 3_600_000],
      ['overall', 500, 3_600_000],
    ]);
  });

  it('takes all or none: a refusal gives back what it took before, and names the budget', async () => {
    const ledger = new MemoryLedger();
    const claim = (list: string, mailbox: string) => claimBudgets(ledger, confirmationBudgets(list, mailbox, LIMITS), AT);

    expect(await claim('weekly', 'a@x.org')).toMatchObject({ ok: true });
    expect(await claim('weekly', 'a@x.org')).toEqual({ ok: false, refused: 'mailbox' });
    expect(await claim('weekly', 'b@x.org')).toMatchObject({ ok: true });
    expect(await claim('weekly', 'c@x.org')).toEqual({ ok: false, refused: 'list' });
    // c's mailbox budget was given back: c may have the next list hour's mail.
    expect(await ledger.read([confirmationBudgets('weekly', 'c@x.org', LIMITS)[0]!], AT)).toEqual([0]);
    expect(await claim('daily', 'c@x.org')).toMatchObject({ ok: true });
    expect(await claim('daily', 'd@x.org')).toEqual({ ok: false, refused: 'overall' });
    expect(await ledger.read([confirmationBudgets('daily', 'd@x.org', LIMITS)[1]!], AT)).toEqual([1]);
  });

  it('never passes a budget however many posts race for it', async () => {
    const ledger = new MemoryLedger();
    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, i) => claimBudgets(ledger, confirmationBudgets('weekly', `r${i}@x.org`, LIMITS), AT)),
    );
    expect(claims.filter((c) => c.ok)).toHaveLength(2);
  });

  it('gives budgets back when the mail did not go out, and opens a new window when the old one passes', async () => {
    const ledger = new MemoryLedger();
    const budgets = confirmationBudgets('weekly', 'a@x.org', LIMITS);
    const first = await claimBudgets(ledger, budgets, AT);
    if (!first.ok) throw new Error('refused');
    await giveBack(ledger, first.taken, AT);
    expect(await ledger.read(budgets, AT)).toEqual([0, 0, 0]);
    expect(await claimBudgets(ledger, budgets, AT)).toMatchObject({ ok: true });
    expect(await claimBudgets(ledger, budgets, AT + 599_999)).toMatchObject({ ok: false });
    expect(await claimBudgets(ledger, budgets, AT + 600_000)).toMatchObject({ ok: true });
  });

  it('reads other hourly budgets from the environment over the defaults', () => {
    const limits = withHourlyBudgets(DEFAULT_CONFIRMATION_LIMITS, { perList: 20.7, overall: undefined });
    expect(limits.perList).toEqual({ limit: 20, windowMs: 3_600_000 });
    expect(limits.overall).toEqual(DEFAULT_CONFIRMATION_LIMITS.overall);
    expect(limits.perMailbox).toEqual(DEFAULT_CONFIRMATION_LIMITS.perMailbox);
  });
});
