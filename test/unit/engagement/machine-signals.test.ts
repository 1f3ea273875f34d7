import { describe, expect, it } from 'vitest';
import { isLinkSweep, SWEEP_WINDOW_MS } from '../../../src/engagement/machine-signals.js';

const at = (position: number, atMs: number) => ({ position, atMs });

describe('isLinkSweep', () => {
  it('sees four of five links within the window, from the click that completes them', () => {
    const three = [at(1, 0), at(2, 400), at(3, 800)];
    expect(isLinkSweep(three, at(3, 800), 5)).toBe(false);
    expect(isLinkSweep([...three, at(4, 1_200)], at(4, 1_200), 5)).toBe(true);
  });

  it('asks for every link of a three-link issue and eight of ten', () => {
    expect(isLinkSweep([at(1, 0), at(2, 1)], at(2, 1), 3)).toBe(false);
    expect(isLinkSweep([at(1, 0), at(2, 1), at(3, 2)], at(3, 2), 3)).toBe(true);
    const seven = Array.from({ length: 7 }, (_, i) => at(i + 1, i * 100));
    expect(isLinkSweep(seven, at(7, 600), 10)).toBe(false);
    expect(isLinkSweep([...seven, at(8, 700)], at(8, 700), 10)).toBe(true);
  });

  it('never fires on issues of fewer than three links', () => {
    expect(isLinkSweep([at(1, 0), at(2, 1)], at(2, 1), 2)).toBe(false);
  });

  it('needs the links within one span of the window, not spread around the click', () => {
    const spread = [at(1, 0), at(2, 1_000), at(3, SWEEP_WINDOW_MS + 500), at(4, 2 * SWEEP_WINDOW_MS)];
    expect(isLinkSweep(spread, at(3, SWEEP_WINDOW_MS + 500), 4)).toBe(false);
    expect(isLinkSweep([at(1, 0), at(2, 1_000), at(3, 2_000), at(4, SWEEP_WINDOW_MS)], at(4, SWEEP_WINDOW_MS), 4)).toBe(true);
  });

  it("takes the click's own time for its link, whatever time the store returned for it", () => {
    // The store kept a newer click on link 3 (a person, later); this one, delivered late, was in the burst.
    expect(isLinkSweep([at(1, 0), at(2, 300), at(3, 3_600_000)], at(3, 600), 3)).toBe(true);
  });
});
