/** The in-process ledger's and local mode's ConfirmationThrottle against the shared contract (DynamoDB's is in test/integration). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LocalStore } from '../../../src/adapters/local/local-store.js';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { describeConfirmationThrottleContract } from '../../support/confirmation-throttle-contract.js';

const ledger = new MemoryLedger();
describeConfirmationThrottleContract('MemoryLedger', () => ledger);

const dir = mkdtempSync(join(tmpdir(), 'newsbrief-throttle-'));
const store = new LocalStore(dir);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
describeConfirmationThrottleContract('LocalStore', () => store);
