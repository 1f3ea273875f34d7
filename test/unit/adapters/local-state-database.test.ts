/**
 * Local mode's database file: an old folder's log moved in once, a damaged file refused with its name, a
 * newer schema refused, counts by status, and no lock files beside it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../../src/adapters/local/append-log-import.js';
import { LocalStore, STATE_DB_FILE } from '../../../src/adapters/local/local-store.js';
import { MIGRATIONS_FOR_TESTS, SCHEMA_VERSION } from '../../../src/adapters/local/state-database.js';
import { importSubscribers } from '../../../src/subscribers/import-subscribers.js';
import { parseSubscribersCsv } from '../../../src/subscribers/parse-csv.js';
import { openLocalStore } from '../../../src/wiring/local-files.js';

const AT = '2026-11-26T10:00:00.000Z';
const NOW = Date.parse(AT);
const issue = { list: 'weekly', id: 'issue-1' };
const lease = (holder: string) => ({ at: AT, nowMs: NOW, holder, until: NOW + 60_000 });
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-db-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sub = (email: string, id: string, status = 'subscribed', updatedAt = AT) => ({
  t: 'sub',
  s: { id, list: 'weekly', email, status, createdAt: AT, updatedAt },
});

/** An old state folder's log, as the append-log store wrote it, its last line cut short by a crash. */
function oldLog(): string {
  const lines = [
    sub('ada@example.com', 'id-ada'),
    sub('bob@example.com', 'id-bob'),
    sub('bob@example.com', 'id-bob', 'unsubscribed', '2026-11-27T00:00:00.000Z'),
    sub('Cy@example.com', 'id-cy-1'),
    sub('cy@example.com', 'id-cy-2', 'subscribed', '2026-11-28T00:00:00.000Z'),
    {
      t: 'issue',
      r: {
        ...issue,
        renderedKey: 'k',
        source: 's',
        claimedAt: AT,
        plannedPage: 0,
        planComplete: true,
        counts: { planned: 2, sent: 0, failed: 0, unknown: 0 },
      },
    },
    { t: 'delivery', k: 'weekly#issue-1#id-ada', d: { status: 'claimed', attempt: 1, claimedAt: AT, holder: 'h', leaseUntil: NOW }, v: 2 },
    {
      t: 'delivery',
      k: 'weekly#issue-1#id-ada',
      d: { status: 'sent', attempt: 1, claimedAt: AT, completedAt: AT, messageId: 'm-1' },
      v: 2,
    },
    { t: 'fb', k: 'weekly#issue-1', d: { delivered: 1 }, e: 'evt-1' },
    { t: 'trip', k: 'weekly#issue-1', b: { at: AT, reason: 'test' } },
  ];
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"t":"delivery","k":"weekly#iss`;
}

describe('local state database', () => {
  it('moves an old folder’s log in once, keeps it as a backup, and says so in one line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, STORE_FILE), oldLog());
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ current: 'k1', keys: { k1: 'a'.repeat(43) } }));
    const notices: string[] = [];
    const store = openLocalStore(dir, (line) => notices.push(line));

    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(join(dir, STORE_FILE));
    expect(notices[0]).toContain('3 subscriber(s)');
    expect(existsSync(join(dir, STORE_FILE))).toBe(false);
    expect(readFileSync(join(dir, `${STORE_FILE}.bak`), 'utf8')).toContain('id-ada');

    expect(await store.get('weekly', 'bob@example.com')).toMatchObject({ id: 'id-bob', status: 'unsubscribed' });
    // Case variants of one address, two members in the old log, are one now: the older id, the newer address.
    expect(await store.get('weekly', 'CY@example.com')).toMatchObject({ id: 'id-cy-1', email: 'cy@example.com' });
    expect(await store.getIssue(issue)).toMatchObject({ planComplete: true, counts: { planned: 2, sent: 1 } });
    expect(await store.claimDelivery(issue, 'id-ada', lease('x'))).toEqual({ state: 'done' });
    expect(await store.countFeedbackOnce(issue, 'evt-1', 'delivered')).toBe(false);
    expect(await store.issueHealth(issue)).toMatchObject({ counts: { delivered: 1 }, breaker: { reason: 'test' } });

    const again: string[] = [];
    openLocalStore(dir, (line) => again.push(line));
    expect(again).toEqual([]);
  });

  it('refuses a file that is no database, naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, STATE_DB_FILE), 'this is not a database, just some text that was written here '.repeat(100));
    expect(() => new LocalStore(dir)).toThrow(
      new RegExp(`${join(dir, STATE_DB_FILE).replace(/[.]/g, '\\.')}.*damaged or not a newsbrief database`),
    );
  });

  it('refuses a database whose pages were damaged, naming the file', async () => {
    const dir = tempDir();
    const store = new LocalStore(dir);
    await store.createMany(
      Array.from({ length: 3_000 }, (_, i) => ({ list: 'weekly', email: `reader-${i}@example.com`, status: 'subscribed' as const })),
      AT,
    );
    store.close();
    // Checkpointed into the main file, then every page after the first few overwritten.
    const path = join(dir, STATE_DB_FILE);
    const raw = new DatabaseSync(path);
    raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    raw.close();
    const bytes = readFileSync(path);
    for (let i = 4 * 4096; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(path, bytes);

    const readAll = async () => (await new LocalStore(dir).pageSubscribed('weekly', undefined, 5_000)).subscribers.length;
    await expect(readAll()).rejects.toThrow(path);
  });

  it('refuses a database of a newer schema, naming the file', () => {
    const dir = tempDir();
    new LocalStore(dir).close();
    const raw = new DatabaseSync(join(dir, STATE_DB_FILE));
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => new LocalStore(dir)).toThrow(/state\.db: it has schema version \d+, newer than this newsbrief knows/);
  });

  it('counts members by status from the index, and pages all members by key', async () => {
    const store = new LocalStore(tempDir());
    for (const [email, status] of [
      ['a@example.com', 'subscribed'],
      ['b@example.com', 'unsubscribed'],
      ['c@example.com', 'subscribed'],
      ['d@example.com', 'bounced'],
    ] as const)
      await store.upsert({ list: 'weekly', email, status }, AT);
    expect(await store.countByStatus('weekly')).toEqual({ pending: 0, subscribed: 2, unsubscribed: 1, bounced: 1, complained: 0 });
    const first = await store.pageMembers('weekly', undefined, 3);
    const second = await store.pageMembers('weekly', first.next, 3);
    expect([...first.subscribers, ...second.subscribers].map((s) => s.email)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
      'd@example.com',
    ]);
    expect(second.next).toBeUndefined();
  });

  it('keeps counts by status exact through bulk creates, upserts, status changes and removals, also in a database made by schema 1', async () => {
    const dir = tempDir();
    // A schema-1 database whose insert trigger counted one member; the second step drops that trigger.
    const raw = new DatabaseSync(join(dir, STATE_DB_FILE));
    raw.exec(MIGRATIONS_FOR_TESTS[0]!);
    raw.exec('PRAGMA user_version = 1');
    raw.exec(
      `INSERT INTO subscribers VALUES ('weekly', 'old@example.com', 'old@example.com', 'id-old', 'subscribed', NULL, NULL, '${AT}', '${AT}')`,
    );
    raw.close();
    const store = new LocalStore(dir);
    await store.createMany(
      [
        { list: 'weekly', email: 'a@example.com', status: 'subscribed' },
        { list: 'weekly', email: 'b@example.com', status: 'pending' },
        { list: 'other', email: 'a@example.com', status: 'subscribed' },
      ],
      AT,
    );
    // A row already there (another process created it between an import's read and its write) is updated, not counted again.
    await store.createMany([{ list: 'weekly', email: 'A@example.com', status: 'unsubscribed' }], AT);
    await store.upsert({ list: 'weekly', email: 'c@example.com', status: 'subscribed' }, AT);
    await store.upsert({ list: 'weekly', email: 'c@example.com', status: 'subscribed', firstName: 'Cy' }, AT);
    await store.setStatus('weekly', 'b@example.com', 'subscribed', AT);
    await store.remove('weekly', 'old@example.com');
    expect(await store.countByStatus('weekly')).toEqual({ pending: 0, subscribed: 2, unsubscribed: 1, bounced: 0, complained: 0 });
    expect(await store.countByStatus('other')).toMatchObject({ subscribed: 1 });
    const members = await store.members('weekly');
    const counted = Object.fromEntries(['subscribed', 'unsubscribed'].map((s) => [s, members.filter((m) => m.status === s).length]));
    expect(counted).toEqual({ subscribed: 2, unsubscribed: 1 });
    // Ids made later sort later (new members are appended to the id index), and stay unique.
    const ids = members.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-z]{9}[A-Za-z0-9_-]{16}$/.test(id))).toBe(true);
    store.close();
  });

  it('reports a re-import of the same CSV as unchanged, and writes nothing', async () => {
    const dir = tempDir();
    const store = new LocalStore(dir);
    const csv = `email,firstName,city\n${Array.from({ length: 2_500 }, (_, i) => `reader-${i}@example.com,Reader ${i},Lisbon`).join('\n')}\n`;
    const first = await importSubscribers(store, 'weekly', parseSubscribersCsv(csv).subscribers, AT);
    expect(first).toMatchObject({ added: 2_500, updated: 0, unchanged: 0 });
    const files = () => readdirSync(dir).map((name) => `${name}:${statSync(join(dir, name)).size}`);
    const before = files();
    const again = await importSubscribers(store, 'weekly', parseSubscribersCsv(csv).subscribers, '2026-12-01T00:00:00.000Z');
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2_500 });
    expect(files()).toEqual(before);
    expect(await store.countByStatus('weekly')).toMatchObject({ subscribed: 2_500 });
    expect((await store.get('weekly', 'reader-7@example.com'))?.updatedAt).toBe(AT);
  });

  it('counts fixed windows atomically, never past the limit', async () => {
    const store = new LocalStore(tempDir());
    const budget = { key: 'form#weekly', windowMs: 60_000, limit: 3 };
    const takes = await Promise.all(Array.from({ length: 5 }, () => store.take(budget, NOW)));
    expect(takes.filter(Boolean)).toHaveLength(3);
    await store.add(budget, NOW, -1);
    expect(await store.read([budget, { key: 'other', windowMs: 60_000 }], NOW)).toEqual([2, 0]);
    expect(await store.read([budget], NOW + 60_000)).toEqual([0]); // the next window
    await store.reset(budget, NOW);
    expect(await store.read([budget], NOW)).toEqual([0]);
  });

  it('leaves only the database and its WAL files in the folder: no lock files', async () => {
    const dir = tempDir();
    const studio = new LocalStore(dir);
    const cli = new LocalStore(dir);
    await studio.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT });
    expect(await cli.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT })).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([STATE_DB_FILE, `${STATE_DB_FILE}-shm`, `${STATE_DB_FILE}-wal`]);
  });
});
