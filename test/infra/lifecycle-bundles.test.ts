import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_ENTRIES } from '../../lib/subscriber-lifecycle.js';
import { bundleContents, sdkClientsOf } from '../support/bundle-inputs.js';

describe('lifecycle bundles', () => {
  it.each([
    ['unsubscribe', DEFAULT_LIFECYCLE_ENTRIES.unsubscribe],
    ['feedback', DEFAULT_LIFECYCLE_ENTRIES.feedback],
  ])(
    '%s bundles without MJML (answers fast on a cold start)',
    async (_, entry) => {
      const { inputs, packages } = await bundleContents(entry);
      expect(inputs.length).toBeGreaterThan(1);
      expect(inputs.filter((path) => /(^|\/)node_modules\/mjml/.test(path))).toEqual([]);
      expect(packages.filter((name) => name.startsWith('mjml'))).toEqual([]);
    },
    60_000,
  );

  it('subscribe imports MJML by name and leaves it out of its file (it renders only a confirmation mail)', async () => {
    const { packages, externals } = await bundleContents(DEFAULT_LIFECYCLE_ENTRIES.subscribe);
    expect(externals).toContain('mjml');
    expect(packages.filter((name) => name.startsWith('mjml'))).toEqual([]);
  }, 60_000);

  // Each function carries the clients it calls and no other: an unused client is ~30-150 KiB to load at every cold start.
  it.each([
    ['unsubscribe', DEFAULT_LIFECYCLE_ENTRIES.unsubscribe, ['dynamodb', 'secrets-manager']],
    ['feedback', DEFAULT_LIFECYCLE_ENTRIES.feedback, ['dynamodb', 's3']],
    ['subscribe', DEFAULT_LIFECYCLE_ENTRIES.subscribe, ['dynamodb', 'secrets-manager', 'ses']],
    ['plan', 'lambdas/plan.ts', ['dynamodb', 's3', 'sqs']],
    ['start', 'lambdas/start.ts', ['dynamodb', 's3', 'sqs']],
    ['intake', 'lambdas/intake.ts', ['dynamodb', 's3', 'scheduler', 'secrets-manager', 'ses', 'sqs']],
  ])(
    '%s carries only the SDK clients it calls',
    async (_, entry, clients) => {
      const { packages } = await bundleContents(entry);
      expect(sdkClientsOf(packages)).toEqual(clients);
    },
    60_000,
  );
});
