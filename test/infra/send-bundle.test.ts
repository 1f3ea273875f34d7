import { describe, expect, it } from 'vitest';
import { bundleContents, sdkClientsOf } from '../support/bundle-inputs.js';

describe('send bundle', () => {
  it('contains no MJML (rendering happens once, in intake)', async () => {
    const { inputs, externals, packages } = await bundleContents('lambdas/send.ts');
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.filter((path) => /(^|\/)node_modules\/mjml/.test(path))).toEqual([]);
    expect(externals.filter((path) => path.startsWith('mjml'))).toEqual([]);
    expect(packages.filter((name) => name.startsWith('mjml'))).toEqual([]);
  }, 60_000);

  it('carries only the SDK clients the send function calls', async () => {
    const { packages } = await bundleContents('lambdas/send.ts');
    expect(sdkClientsOf(packages)).toEqual(['dynamodb', 's3', 'secrets-manager', 'ses', 'sqs']);
  }, 60_000);
});
