/** The real clock and real waiting: the one place outside tests where time is read, for the wiring modules. */
import type { Clock, Sleeper } from '../ports.js';

/** Real time and real waiting, for the wiring modules. */
export const systemClock: Clock & Sleeper = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
