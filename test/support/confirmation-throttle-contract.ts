/**
 * What every ConfirmationThrottle must do (the port in src/ports.ts), as a suite to run against each
 * implementation: DynamoDB (dynalite), the in-process ledger, and local mode's store.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConfirmationThrottle } from '../../src/ports.js';

const AT = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;

/** Registers the contract's tests for the throttle `make()` returns (one instance may serve every test: keys are fresh). */
export function describeConfirmationThrottleContract(name: string, make: () => ConfirmationThrottle): void {
  describe(`${name} as a ConfirmationThrottle`, () => {
    const fresh = (limit = 2, windowMs = HOUR) => ({ key: `contract#${randomUUID()}`, windowMs, limit });

    it('takes up to the limit in a window, and reads what was taken', async () => {
      const throttle = make();
      const budget = fresh(2);
      expect([await throttle.take(budget, AT), await throttle.take(budget, AT + 1), await throttle.take(budget, AT + 2)]).toEqual([
        true,
        true,
        false,
      ]);
      expect(await throttle.read([budget, fresh()], AT + HOUR - 1)).toEqual([2, 0]);
    });

    it('starts each window from 0 at a multiple of its length', async () => {
      const throttle = make();
      const budget = fresh(1);
      expect(await throttle.take(budget, AT + HOUR - 1)).toBe(true);
      expect(await throttle.take(budget, AT + HOUR - 1)).toBe(false);
      expect(await throttle.take(budget, AT + HOUR)).toBe(true);
      expect(await throttle.read([budget], AT + 2 * HOUR)).toEqual([0]);
    });

    it('never passes the limit when many takes race', async () => {
      const throttle = make();
      const budget = fresh(7);
      const taken = await Promise.all(Array.from({ length: 60 }, () => throttle.take(budget, AT)));
      expect(taken.filter(Boolean)).toHaveLength(7);
      expect(await throttle.read([budget], AT)).toEqual([7]);
    });

    it('adds without a limit, gives back with a negative add, and resets to 0', async () => {
      const throttle = make();
      const budget = fresh(1);
      expect(await throttle.take(budget, AT)).toBe(true);
      await throttle.add(budget, AT, -1);
      expect(await throttle.take(budget, AT)).toBe(true);
      await throttle.add(budget, AT, 5);
      expect(await throttle.read([budget], AT)).toEqual([6]);
      await throttle.reset(budget, AT);
      expect(await throttle.read([budget], AT)).toEqual([0]);
      expect(await throttle.take(budget, AT)).toBe(true);
    });

    it('refuses every take of a budget of 0', async () => {
      const throttle = make();
      expect(await throttle.take(fresh(0), AT)).toBe(false);
    });
  });
}
