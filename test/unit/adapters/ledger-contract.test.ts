/** The in-process ledgers against the shared Ledger contract (DynamoDB's run is in test/integration). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LocalStore } from '../../../src/adapters/local/local-store.js';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { describeLedgerContract } from '../../support/ledger-contract.js';

const stateDirs: string[] = [];
afterAll(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

describeLedgerContract('MemoryLedger', () => new MemoryLedger());

describeLedgerContract('LocalStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-ledger-'));
  stateDirs.push(dir);
  return new LocalStore(dir);
});
