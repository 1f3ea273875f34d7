/** The in-process subscriber stores against the searchMembers contract (DynamoDB's run is in test/integration). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LocalStore } from '../../../src/adapters/local/local-store.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { describeMemberSearchContract } from '../../support/member-search-contract.js';

const stateDirs: string[] = [];
afterAll(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

describeMemberSearchContract('MemorySubscriberStore', () => new MemorySubscriberStore());

describeMemberSearchContract('LocalStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-search-'));
  stateDirs.push(dir);
  return new LocalStore(dir);
});
