/**
 * What DynamoDB answers when two transactions touch one counter shard at once (TransactionCanceledException,
 * reason TransactionConflict) cannot be provoked on an emulator, so the ledger's plain client is scripted here.
 */
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo-ledger.js';

const issue = { list: 'weekly', id: 'conflict' };
const lease = { at: '2027-01-15T08:00:00Z', nowMs: 1_800_000_000_000, holder: 'invocation-1', until: 1_800_000_120_000 };

function conflict(): Error {
  return Object.assign(
    new Error('Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]'),
    {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    },
  );
}

/** A plain client that fails its first `conflicts` writes with a conflict; records the counter shard of each transaction. */
function scriptedClient(conflicts: number) {
  const shards: string[] = [];
  let writes = 0;
  return {
    shards,
    get writes() {
      return writes;
    },
    send: async (command: { input: { TransactItems?: Array<{ Update?: { Key?: { pk?: { S?: string } } } }> } }) => {
      const shard = command.input.TransactItems?.[1]?.Update?.Key?.pk?.S;
      if (shard) shards.push(shard);
      if (++writes <= conflicts) throw conflict();
      return {};
    },
  };
}

// Reads find no delivery yet: a first claim.
const emptyTable = { send: async () => ({}) } as never;
// Reads find this invocation's live claim: its completion moves the counts (a transaction with a shard).
const claimedTable = {
  send: async () => ({ Item: { status: 'claimed', attempt: 1, claimedAt: lease.at, holder: lease.holder, leaseUntil: lease.until } }),
} as never;

describe('DynamoLedger under transaction conflicts', () => {
  it('claims a delivery that another transaction held for a moment', async () => {
    const hot = scriptedClient(2);
    const ledger = new DynamoLedger(emptyTable, 'ledger', hot as never);

    const claim = await ledger.claimDelivery(issue, 'sub-1', lease);

    expect(claim).toMatchObject({ state: 'claimed', attempt: 1 });
    expect(hot.writes).toBe(3);
  });

  it('records a sent delivery whose counter shard another transaction held, on another shard', async () => {
    const hot = scriptedClient(2);
    const ledger = new DynamoLedger(claimedTable, 'ledger', hot as never);

    const recorded = await ledger.completeDelivery(issue, 'sub-1', { status: 'sent', messageId: 'ses-1' }, lease.at);

    expect(recorded).toBe(true);
    expect(hot.shards).toHaveLength(3);
    expect(new Set(hot.shards).size).toBeGreaterThan(1);
  });

  it('gives up after a bounded number of conflicts with the error DynamoDB gave', async () => {
    const hot = scriptedClient(1_000);
    const ledger = new DynamoLedger(emptyTable, 'ledger', hot as never);

    await expect(ledger.claimDelivery(issue, 'sub-1', lease)).rejects.toThrow('TransactionConflict');
    expect(hot.writes).toBeLessThan(20);
  });
});
