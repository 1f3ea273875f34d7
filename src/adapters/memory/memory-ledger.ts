/** The in-process ledger kept in memory alone: for tests, the benchmark and anything that needs no file. */
import { immediateJournal, InProcessLedger } from './in-process-ledger.js';

/** The in-memory ledger. Every method yields once, like a network call, so that races are exercised. */
export class MemoryLedger extends InProcessLedger {
  constructor() {
    super(immediateJournal);
  }

  protected override turn(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
