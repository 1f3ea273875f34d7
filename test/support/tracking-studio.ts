/**
 * A local studio in a fresh temporary folder whose lists are the example ones (config/lists.json) with opens and
 * clicks tracked on one list: what the engagement, report and Subscribers tests start from.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Studio, startStudio } from '../../src/studio/studio.js';

/** What differs between the tests that start one. */
export interface TrackingStudioOptions {
  /** Sends per second (default: the studio's own). */
  readonly ratePerSecond?: number;
  /** CSV text imported into every list on the first start (default: no subscribers). */
  readonly readersCsv?: string;
  /** Briefs by file name, in the briefs folder before the studio starts. */
  readonly briefs?: Readonly<Record<string, string>>;
}

/** A running studio, the temporary folder it lives in (briefs in `root/briefs`), and how to stop it. */
export interface TrackingStudio {
  readonly root: string;
  readonly studio: Studio;
  /** Stops the studio and removes the folder. */
  close(): Promise<void>;
}

/** Starts a studio in a new `prefix`-named temporary folder, with opens and clicks tracked on list `listId`. */
export async function startTrackingStudio(prefix: string, listId: string, options: TrackingStudioOptions = {}): Promise<TrackingStudio> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    mkdirSync(join(root, 'briefs'));
    for (const [name, text] of Object.entries(options.briefs ?? {})) writeFileSync(join(root, 'briefs', name), text);
    if (options.readersCsv !== undefined) writeFileSync(join(root, 'readers.csv'), options.readersCsv);
    const lists = JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')) as {
      lists: Record<string, unknown>[];
    };
    const tracked = lists.lists.find((list) => list.id === listId);
    if (!tracked) throw new Error(`config/lists.json has no list ${listId}`);
    tracked.tracking = { opens: true, clicks: true };
    writeFileSync(join(root, 'lists.json'), JSON.stringify(lists));
    const studio = await startStudio({
      briefsDir: join(root, 'briefs'),
      stateDir: join(root, 'state'),
      listsFile: join(root, 'lists.json'),
      port: 0,
      seedCsv: options.readersCsv === undefined ? null : join(root, 'readers.csv'),
      ratePerSecond: options.ratePerSecond,
    });
    return {
      root,
      studio,
      close: async () => {
        await studio.close();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}
