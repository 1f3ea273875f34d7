import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyringMissingError, loadKeyringFile, rotateKeyringFile } from '../../../src/adapters/local/files.js';
import { openKeyring } from '../../../src/wiring/local-files.js';

const folders: string[] = [];
const stateFolder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb-keys-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the local keyring file', () => {
  it('is created in a brand-new state folder, with a fresh key id (never dev1)', () => {
    const state = stateFolder();
    const keyring = openKeyring(state);
    expect(keyring.current).toMatch(/^k\d{8}-[0-9a-f]{8}$/);
    expect(openKeyring(state).current).toBe(keyring.current);
  });

  it('is refused, not recreated, when the folder holds a store but lost its keyring', () => {
    const state = stateFolder();
    writeFileSync(join(state, 'store.jsonl'), '');
    expect(() => openKeyring(state)).toThrow(KeyringMissingError);
    expect(() => openKeyring(state)).toThrow(/keys\.json is missing.*Restore the file.*newsbrief keys rotate/s);
    expect(() => readFileSync(join(state, 'keys.json'))).toThrow();
  });

  it('rotates to a new id and keeps every old key, so mailed links still verify', () => {
    const state = stateFolder();
    const path = join(state, 'keys.json');
    const first = loadKeyringFile(path, { createIfMissing: true });
    const rotated = rotateKeyringFile(path);
    const second = loadKeyringFile(path, { createIfMissing: false });
    expect(rotated.current).not.toBe(first.current);
    expect(second.current).toBe(rotated.current);
    expect(second.keys.get(first.current)).toEqual(first.keys.get(first.current));
    expect(rotated.kept).toEqual([first.current]);
  });

  it('refuses to rotate an unusable keyring instead of overwriting it', () => {
    const state = stateFolder();
    writeFileSync(join(state, 'keys.json'), '{"current": ');
    expect(() => rotateKeyringFile(join(state, 'keys.json'))).toThrow(/unusable, so no key was added/);
    expect(readFileSync(join(state, 'keys.json'), 'utf8')).toBe('{"current": ');
  });
});
