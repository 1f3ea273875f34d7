import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleAsFunction, bundleFunctions } from '../../bench/bundles.js';
import { bundleContents } from '../support/bundle-inputs.js';

describe('function bundles', () => {
  // zod is ~440 KiB of every cold start; only a function that parses briefs needs it (the lists have their own checker).
  it.each([
    ['send', 'lambdas/send.ts'],
    ['plan', 'lambdas/plan.ts'],
    ['start', 'lambdas/start.ts'],
    ['unsubscribe', 'lambdas/unsubscribe.ts'],
    ['feedback', 'lambdas/feedback.ts'],
    ['subscribe', 'lambdas/subscribe.ts'],
  ])(
    '%s carries no zod (it validates no brief)',
    async (_, entry) => {
      const { inputs, packages } = await bundleContents(entry);
      expect(inputs.some((path) => path === 'src/config/lists.ts')).toBe(true);
      expect(packages.filter((name) => name === 'zod' || name.startsWith('@zod/'))).toEqual([]);
    },
    60_000,
  );

  it('intake carries zod: it parses the brief', async () => {
    const { packages } = await bundleContents('lambdas/intake.ts');
    expect(packages).toContain('zod');
  }, 60_000);

  // MJML is ~3.5 MiB: in the handler's file it would be parsed on every cold start, rendering or not.
  it.each([
    ['intake', 'lambdas/intake.ts'],
    ['subscribe', 'lambdas/subscribe.ts'],
  ])(
    '%s leaves MJML out of its handler file and imports it by name',
    async (_, entry) => {
      const { inputs, externals, packages } = await bundleContents(entry);
      expect(externals).toContain('mjml');
      expect(inputs.filter((path) => /(^|\/)node_modules\/mjml/.test(path))).toEqual([]);
      expect(packages.filter((name) => name.startsWith('mjml'))).toEqual([]);
    },
    60_000,
  );

  it('bundles MJML beside the handlers that import it, and none beside those that do not', async () => {
    const bundles = await bundleFunctions(['subscribe', 'send'], { sourceMaps: false });
    expect(bundles.find((b) => b.name === 'subscribe')!.lazy.map((m) => m.name)).toEqual(['mjml']);
    expect(bundles.find((b) => b.name === 'send')!.lazy).toEqual([]);
  }, 120_000);

  it('renders an issue with the bundled render code and the MJML beside it, with no node_modules around', async () => {
    // The render path as intake bundles it (mjml-engine's `import('mjml')` included), run from a directory that
    // has only the bundle, as Lambda runs /var/task/index.mjs.
    const dir = mkdtempSync(join(tmpdir(), 'newsbrief-render-bundle-'));
    const bundle = await bundleAsFunction(
      {
        stdin: {
          contents: [
            "export { parseBrief } from './src/brief/parse-brief.ts';",
            "export { parseListsConfig } from './src/config/lists.ts';",
            "export { renderIssue } from './src/render/render-issue.ts';",
          ].join('\n'),
          resolveDir: process.cwd(),
          sourcefile: 'render-entry.js',
        },
      },
      dir,
      { sourceMaps: false },
    );
    expect(bundle.lazy.map((m) => m.name)).toEqual(['mjml']);
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { readFileSync } from 'node:fs';
const { parseBrief, parseListsConfig, renderIssue } = await import('./index.mjs');
const lists = parseListsConfig(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const parsed = parseBrief(readFileSync(process.argv[3]), { knownLists: [...lists.lists.keys()], sourceName: 'digest-three-stories.json' });
const issue = await renderIssue(parsed.brief, lists.lists.get(parsed.brief.list));
console.log(JSON.stringify({ list: issue.list, html: JSON.stringify(issue.html) }));
`,
    );
    const out = execFileSync(
      process.execPath,
      [probe, join(process.cwd(), 'config/lists.json'), join(process.cwd(), 'test/fixtures/valid/digest-three-stories.json')],
      { cwd: dir, encoding: 'utf8' },
    );
    const issue = JSON.parse(out) as { list: string; html: string };
    expect(issue.list).toMatch(/^[a-z0-9-]+$/);
    expect(issue.html).toMatch(/<!doctype html>/i);
    expect(issue.html).not.toContain('<mj-');
  }, 120_000);
});
