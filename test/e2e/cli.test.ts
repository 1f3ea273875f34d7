import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { ROOT, runCli } from '../support/cli.js';
import { exampleFiles, FIXTURES } from '../support/fixtures.js';
import { oversizeBriefText } from '../support/oversize-brief.js';

/** Runs the real `newsbrief` binary as a user would, in a fresh folder, and returns exit code and output. */
const newsbrief = (...args: string[]) => runCli(args, { cwd: mkdtempSync(join(tmpdir(), 'nb-cli-')) });

describe('newsbrief CLI', () => {
  it('validate: exit 0 for every valid example', async () => {
    const result = await newsbrief('validate', ...exampleFiles('valid').map((f) => join(FIXTURES, 'valid', f)));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.match(/: valid/g)).toHaveLength(exampleFiles('valid').length);
  });

  it('validate: exit 1 naming every problem of every refused file', async () => {
    const files = exampleFiles('invalid').map((f) => join(FIXTURES, 'invalid', f));
    const result = await newsbrief('validate', join(FIXTURES, 'valid/minimal.json'), ...files);
    expect(result.code).toBe(1);
    for (const file of files) {
      const expected = readFileSync(file.replace(/\.json$/, '.expect.txt'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('/'));
      const report = result.stdout.split(/\n(?=\S)/).find((block) => block.startsWith(file))!;
      expect(report).toContain('nothing was sent');
      for (const pointer of expected) expect(report).toContain(pointer);
    }
    expect(result.stdout).toMatch(/truncated-json\.json: 1 problem[^\n]*\n\s+\(document\)\s+not valid JSON at line \d+, column \d+/);
  });

  it('validate: exit 1 for a valid brief whose email Gmail would clip', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nb-big-')), 'oversize.json');
    writeFileSync(file, oversizeBriefText());
    const result = await newsbrief('validate', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\/stories\s+renders to \d+ KiB of HTML; Gmail clips emails over 102 KiB/);
  });

  it.each([
    [['validate'], 'give at least one brief file'],
    [['render', join(FIXTURES, 'valid/minimal.json')], '--out DIR is required'],
    [['render', 'x.json', '--out', 'o', '--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('exits 2 with one clear line on a usage error: %j', async (args, message) => {
    const result = await newsbrief(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing file in one line, without a stack trace', async () => {
    const result = await newsbrief('render', '/nonexistent/brief.json', '--out', 'out');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('newsbrief render: cannot read /nonexistent/brief.json: no such file');
  });

  it.each(['validate', 'render', 'schema'])('prints help for %s', async (command) => {
    const result = await newsbrief(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: newsbrief /);
  });

  it('schema: prints the JSON Schema', async () => {
    const result = await newsbrief('schema');
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['version', 'list', 'subject', 'stories']),
    });
  });

  it('render: writes html, txt and an .eml that parses, for the given sample reader', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nb-render-'));
    const result = await newsbrief(
      'render',
      join(FIXTURES, 'oracle-tiktok.brief.json'),
      '--out',
      out,
      '--to',
      'grace@example.org',
      '--first-name',
      'Grace',
    );
    expect(result.code).toBe(0);
    const html = readFileSync(join(out, 'oracle-tiktok-partnership.html'), 'utf8');
    const text = readFileSync(join(out, 'oracle-tiktok-partnership.txt'), 'utf8');
    const eml = await simpleParser(readFileSync(join(out, 'oracle-tiktok-partnership.eml')));
    expect(html).toContain('<h1');
    expect(text).toContain('What does it mean?');
    expect(eml.to && !Array.isArray(eml.to) ? eml.to.value[0] : undefined).toEqual({ name: 'Grace', address: 'grace@example.org' });
    expect(eml.subject).toBe('Oracle confirms Bytedance-TikTok partnership in US');
    expect(eml.html).toBe(html);
    expect(eml.text).toBe(text);
    expect(eml.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });
  it('runs the sources as they are: an edited source is compiled again before the CLI starts, never a stale build', async () => {
    // A copy of the project sharing this one's node_modules (and so its build cache), edited between two runs.
    const project = mkdtempSync(join(tmpdir(), 'nb-stale-'));
    for (const part of ['bin', 'scripts', 'src', 'templates', 'config', 'tsconfig.json', 'package.json'])
      cpSync(join(ROOT, part), join(project, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    const exec = promisify(execFile);
    const help = async () => (await exec(process.execPath, [join(project, 'bin/newsbrief.js'), '--help'])).stdout;
    const entry = async () => (await exec(process.execPath, [join(project, 'scripts/build-cli.js')])).stdout.trim();
    const builds: string[] = [];
    try {
      expect(await help()).toContain('check briefs against the format');
      builds.push(await entry());
      const main = join(project, 'src/cli/main.ts');
      writeFileSync(main, readFileSync(main, 'utf8').replace('check briefs against the format', 'check briefs (edited)'));

      expect(await help()).toContain('check briefs (edited)');
      builds.push(await entry());
      expect(builds[1]).not.toBe(builds[0]);
      expect(builds.every((b) => b.startsWith(join(project, 'node_modules/.cache/newsbrief-cli/')))).toBe(true);
    } finally {
      // Its builds live in the shared cache: remove them and their manifest with the copy.
      for (const build of builds) {
        const dir = dirname(build);
        rmSync(dir, { recursive: true, force: true });
        rmSync(join(dirname(dir), `${basename(dir).split('-')[0]}.json`), { force: true });
      }
      rmSync(project, { recursive: true, force: true });
    }
  });
});
