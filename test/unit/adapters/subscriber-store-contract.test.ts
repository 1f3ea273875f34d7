/** The in-process subscriber stores against the shared SubscriberStore contract (DynamoDB's run is in test/integration). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LocalStore } from '../../../src/adapters/local/local-store.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { describeSubscriberStoreContract } from '../../support/subscriber-store-contract.js';

const stateDirs: string[] = [];
afterAll(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

describeSubscriberStoreContract('MemorySubscriberStore', () => new MemorySubscriberStore());

describeSubscriberStoreContract('LocalStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-subscribers-'));
  stateDirs.push(dir);
  return new LocalStore(dir);
});
