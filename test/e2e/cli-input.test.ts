/**
 * What the real `newsbrief` does with hostile or odd input: escape sequences from a CSV or a file name are
 * shown, never sent to the terminal; a folder or a named pipe given as a file is refused by name at once
 * (a pipe used to block the process for ever); a state folder that lost its keyring is refused with the fix
 * instead of silently getting a new key under the old id.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliEnding, runCliUntilItEnds } from '../support/cli.js';

const ESC = '\u001b';
const BRIEF = JSON.stringify({
  version: 1,
  id: 'inputs',
  list: 'weekly',
  subject: 'Inputs',
  stories: [{ headline: 'Hello {{firstName|friend}}' }],
});

/** Runs the CLI to its end (killed only if it hangs), without an SES endpoint from the environment. */
function newsbrief(cwd: string, ...args: string[]): Promise<CliEnding> {
  return runCliUntilItEnds(args, { cwd, env: { ...process.env, NEWSBRIEF_SES_ENDPOINT: '' } });
}

describe('newsbrief with hostile and odd input', () => {
  let cwd: string;

  beforeAll(async () => {
    await buildCli();
    cwd = mkdtempSync(join(tmpdir(), 'nb-input-'));
    writeFileSync(join(cwd, 'brief.json'), BRIEF);
    mkdirSync(join(cwd, 'a-folder'));
    execFileSync('mkfifo', [join(cwd, 'a-pipe')]);
  });

  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('shows the escape sequences of a CSV visibly, never raw', async () => {
    const csv = [
      'email,firstName',
      `ada@example.com,Ada${ESC}]0;pwned\u0007`,
      `${ESC}[2J${ESC}[31mnot-an-address,Evil`,
      `bob@example.com${ESC}[8m,Bob`,
      '',
    ].join('\n');
    writeFileSync(join(cwd, 'evil.csv'), csv);
    const result = await newsbrief(cwd, 'subscribers', 'import', 'evil.csv', '--list', 'weekly', '--state', 'csv-state');
    expect(result.hung).toBe(false);
    const printed = result.stdout + result.stderr;
    expect(printed).toContain('line 3');
    expect(printed).not.toContain(ESC);
    expect(printed).not.toContain('\u0007');
    expect(printed).toContain('\\u001b[2J');
  });

  it('shows the escape sequences of a file name visibly, never raw', async () => {
    const name = `${ESC}]0;owned${ESC}\\${ESC}[2Jbrief.json`;
    writeFileSync(join(cwd, name), '{ "version": 1, ');
    const result = await newsbrief(cwd, 'validate', name);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(ESC);
    expect(result.stdout).toContain('\\u001b[2Jbrief.json');
  });

  it.each([
    ['validate', ['validate', 'a-folder'], 'a-folder: it is a folder'],
    ['validate', ['validate', 'a-pipe'], 'a-pipe: it is a named pipe'],
    ['send', ['send', 'a-pipe', '--state', 'pipe-state'], 'a-pipe: it is a named pipe'],
    ['send', ['send', 'a-folder', '--state', 'folder-state'], 'a-folder: it is a folder'],
    ['render', ['render', 'a-pipe', '--out', 'out'], 'a-pipe: it is a named pipe'],
    ['subscribers import', ['subscribers', 'import', 'a-pipe', '--list', 'weekly', '--state', 'pipe-state'], 'a-pipe: it is a named pipe'],
    [
      'subscribers import',
      ['subscribers', 'import', 'a-folder', '--list', 'weekly', '--state', 'folder-state'],
      'a-folder: it is a folder',
    ],
    ['--lists', ['validate', 'brief.json', '--lists', 'a-pipe'], 'a-pipe: it is a named pipe'],
    [
      'export --out',
      ['subscribers', 'export', '--list', 'weekly', '--state', 'csv-state', '--out', 'a-folder'],
      'a-folder: it is a folder',
    ],
  ])('%s refuses %j at once, naming it and what it takes', async (_, args, message) => {
    const result = await newsbrief(cwd, ...args);
    expect(result.hung, 'the CLI waited on the argument').toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });

  it('never makes a new key under the old id: a lost keyring is refused with the fix, and rotate starts a new id', async () => {
    const state = join(cwd, 'keys-state');
    writeFileSync(join(cwd, 'readers.csv'), 'email,firstName\nada@example.com,Ada\n');
    expect((await newsbrief(cwd, 'subscribers', 'import', 'readers.csv', '--list', 'weekly', '--state', 'keys-state')).code).toBe(0);
    const first = JSON.parse(readFileSync(join(state, 'keys.json'), 'utf8')) as { current: string };
    expect((await newsbrief(cwd, 'send', 'brief.json', '--state', 'keys-state')).code).toBe(0);
    rmSync(join(state, 'keys.json'));

    const refused = await newsbrief(cwd, 'send', 'brief.json', '--state', 'keys-state');
    expect(refused.hung).toBe(false);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${join(state, 'keys.json')} is missing`);
    expect(refused.stderr).toContain('newsbrief keys rotate');
    expect(() => readFileSync(join(state, 'keys.json'))).toThrow();

    expect((await newsbrief(cwd, 'keys', 'rotate', '--state', 'keys-state')).code).toBe(0);
    const second = JSON.parse(readFileSync(join(state, 'keys.json'), 'utf8')) as Record<string, string>;
    expect(second.current).not.toBe(first.current);
    expect(Object.keys(second)).not.toContain(first.current);

    expect((await newsbrief(cwd, 'keys', 'rotate', '--state', 'keys-state')).code).toBe(0);
    const third = JSON.parse(readFileSync(join(state, 'keys.json'), 'utf8')) as Record<string, string>;
    expect(third.current).not.toBe(second.current);
    expect(third[second.current!]).toBe(second[second.current!]);
  });
});
