import { describe, expect, it } from 'vitest';
import { CachedListDirectory, LIST_CACHE_TTL_MS, type ListSource } from '../../../src/config/list-directory.js';
import { type ListDefinition, parseListDefinitions } from '../../../src/config/lists.js';
import { FakeClock } from '../../support/fakes.js';

const ENDPOINTS = { unsubscribeBaseUrl: 'https://u.example.net/', archiveBaseUrl: 'https://d111.cloudfront.net' };

const definition = (id: string, extra: Record<string, unknown> = {}): ListDefinition =>
  parseListDefinitions({
    lists: [{ id, displayName: id, from: `${id} <${id}@news.example.com>`, postalAddress: '1 Example Street', ...extra }],
  })[0]!;

/** A source whose lists the test changes, counting reads and failing on demand. */
class ChangingSource implements ListSource {
  reads = 0;
  failing = false;
  constructor(public lists: ListDefinition[]) {}
  async readAll(): Promise<readonly ListDefinition[]> {
    this.reads++;
    if (this.failing) throw new Error('table unavailable');
    return this.lists;
  }
}

function directoryOver(lists: ListDefinition[]) {
  const clock = new FakeClock();
  const source = new ChangingSource(lists);
  return { clock, source, directory: new CachedListDirectory(source, { endpoints: ENDPOINTS, clock }) };
}

describe('CachedListDirectory', () => {
  it('reads the source once for every call within the TTL', async () => {
    const { clock, source, directory } = directoryOver([definition('weekly')]);
    await directory.all();
    clock.ms += LIST_CACHE_TTL_MS - 1;
    expect(await directory.get('weekly')).toBeDefined();
    expect(source.reads).toBe(1);
  });

  it('sees a list added to the source once the TTL has passed, not before', async () => {
    const { clock, source, directory } = directoryOver([definition('weekly')]);
    await directory.all();
    source.lists = [...source.lists, definition('daily')];
    expect(await directory.get('daily')).toBeUndefined();
    clock.ms += LIST_CACHE_TTL_MS;
    expect((await directory.get('daily'))?.displayName).toBe('daily');
    expect(source.reads).toBe(2);
  });

  it('shares one read between concurrent callers', async () => {
    const { source, directory } = directoryOver([definition('weekly')]);
    await Promise.all([directory.all(), directory.get('weekly'), directory.snapshot()]);
    expect(source.reads).toBe(1);
  });

  it('keeps serving the last lists when a refresh fails, and tries again on the next call', async () => {
    const { clock, source, directory } = directoryOver([definition('weekly')]);
    await directory.all();
    source.failing = true;
    clock.ms += LIST_CACHE_TTL_MS;
    expect((await directory.all()).map((l) => l.id)).toEqual(['weekly']);
    source.failing = false;
    source.lists = [definition('daily')];
    expect((await directory.all()).map((l) => l.id)).toEqual(['daily']);
    expect(source.reads).toBe(3);
  });

  it('fails when the very first read fails (nothing to serve)', async () => {
    const { source, directory } = directoryOver([definition('weekly')]);
    source.failing = true;
    await expect(directory.all()).rejects.toThrow('table unavailable');
  });

  it("gives lists without URLs the deployment's endpoints, and keeps a list's own overrides", async () => {
    const { directory } = directoryOver([
      definition('weekly'),
      definition('custom', { unsubscribeBaseUrl: 'https://links.example.org/u', archiveBaseUrl: 'https://read.example.org' }),
    ]);
    expect(await directory.get('weekly')).toMatchObject(ENDPOINTS);
    expect(await directory.get('custom')).toMatchObject({
      unsubscribeBaseUrl: 'https://links.example.org/u',
      archiveBaseUrl: 'https://read.example.org',
    });
  });
});
