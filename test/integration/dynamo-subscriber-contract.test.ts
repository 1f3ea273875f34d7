/** DynamoDB's subscriber store against the shared SubscriberStore and member-search contracts, on dynalite. */
import { afterAll, beforeAll, describe } from 'vitest';
import type { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import type { Emulator } from '../support/emulators.js';
import { describeMemberSearchContract } from '../support/member-search-contract.js';
import { dynaliteSubscriberStore } from '../support/newsbrief-tables.js';
import { describeSubscriberStoreContract } from '../support/subscriber-store-contract.js';

describe('DynamoDB subscriber store', () => {
  let dynalite: Emulator;
  let store: DynamoSubscriberStore;

  beforeAll(async () => {
    ({ dynalite, store } = await dynaliteSubscriberStore());
  }, 60_000);
  afterAll(async () => dynalite?.stop());

  // One table for both suites: every test works on a list of its own.
  describeSubscriberStoreContract('DynamoSubscriberStore', () => store);
  describeMemberSearchContract('DynamoSubscriberStore', () => store);
});
