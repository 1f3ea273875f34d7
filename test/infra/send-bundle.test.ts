import { describe, expect, it } from 'vitest';
import { bundleContents } from '../support/bundle-inputs.js';

describe('send bundle', () => {
  it('contains no MJML (rendering happens once, in intake)', async () => {
    const { inputs, externals } = await bundleContents('lambdas/send.ts');
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.filter((path) => /(^|\/)node_modules\/mjml/.test(path))).toEqual([]);
    expect(externals.filter((path) => path.startsWith('mjml'))).toEqual([]);
  }, 60_000);
});
