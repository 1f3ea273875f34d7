import { describe, expect, it } from 'vitest';
import { TokenBucket, workerRate } from '../../../src/pipeline/rate-limiter.js';
import { FakeClock } from '../../support/fakes.js';

describe('TokenBucket', () => {
  it.each([
    { rate: 10, burst: 1, n: 5, expected: [0, 100, 200, 300, 400] },
    { rate: 4, burst: 1, n: 3, expected: [0, 250, 500] },
    { rate: 10, burst: 3, n: 5, expected: [0, 0, 0, 100, 200] },
    { rate: 1000, burst: 1, n: 4, expected: [0, 1, 2, 3] },
  ])('paces $n acquisitions at $rate/s with burst $burst', async ({ rate, burst, n, expected }) => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: rate, burst }, clock, clock);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      await bucket.acquire();
      times.push(clock.now());
    }
    expect(times).toEqual(expected);
  });

  it('serves concurrent callers in call order without exceeding the rate', async () => {
    const clock = new FakeClock(0);
    const slept: number[] = [];
    const bucket = new TokenBucket({ ratePerSecond: 20 }, clock, {
      sleep: async (ms) => {
        slept.push(ms);
        clock.ms += ms;
      },
    });
    const grants: Array<[number, number]> = [];
    await Promise.all(Array.from({ length: 4 }, (_, i) => bucket.acquire().then(() => grants.push([i, clock.now()]))));
    expect(grants).toEqual([
      [0, 0],
      [1, 50],
      [2, 100],
      [3, 150],
    ]);
    expect(slept).toEqual([50, 50, 50]);
  });

  it('spaces grants by the clock at grant time, so a late wake-up never lets two sends through together', async () => {
    let now = 0;
    const lateSleeper = {
      sleep: async (ms: number) => {
        now += ms + 30;
      },
    }; // every wake-up 30 ms late
    const bucket = new TokenBucket({ ratePerSecond: 10 }, { now: () => now }, lateSleeper);
    const grants: number[] = [];
    await Promise.all(Array.from({ length: 4 }, () => bucket.acquire().then(() => grants.push(now))));
    expect(grants).toEqual([0, 130, 260, 390]);
  });

  it('refills after an idle spell only up to its burst', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2 }, clock, clock);
    await bucket.acquire();
    clock.ms = 10_000;
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await bucket.acquire();
      times.push(clock.now());
    }
    expect(times).toEqual([10_000, 10_000, 10_100, 10_200]);
  });

  it('holds every permission back for the backoff after a throttle, and throttles reported together do not add up', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 10, backoffMs: 500 }, clock, clock);
    await bucket.acquire();
    bucket.backoff();
    bucket.backoff();
    await bucket.acquire();
    expect(clock.now()).toBe(500);
    await bucket.acquire();
    expect(clock.now()).toBe(600);
  });

  it('refuses a rate that is not positive', () => {
    const clock = new FakeClock(0);
    expect(() => new TokenBucket({ ratePerSecond: 0 }, clock, clock)).toThrow(/positive/);
  });
});

describe('workerRate', () => {
  it.each([
    { account: 14, workers: 10 },
    { account: 200, workers: 10 },
    { account: 1000, workers: 10 },
    { account: 5000, workers: 50 },
    { account: 14, workers: 1 },
  ])('gives $workers workers shares of $account/s that add up to 98 % of it', ({ account, workers }) => {
    const rate = workerRate(account, workers);
    expect(rate * workers).toBeCloseTo(account * 0.98, 9);
    expect(rate * workers).toBeLessThan(account);
  });

  it('refuses an account rate that is not positive', () => {
    expect(() => workerRate(0, 10)).toThrow(/positive/);
  });
});
