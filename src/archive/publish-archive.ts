/**
 * Publishing an issue to the web archive: its public page, then the list's index page and Atom feed,
 * rebuilt from a small index document. Run when an issue starts sending (never for proofs, never before
 * a scheduled issue's time), so the archive never shows what readers have not been sent.
 */
import type { ListsConfig } from '../config/lists.js';
import { ARCHIVE_KEYS } from '../config/bucket-layout.js';
import type { RenderedIssue } from '../render/render-issue.js';
import type { BlobStore, Clock } from '../ports.js';
import { addArchiveEntry, parseArchiveIndex } from './archive-index.js';
import { archiveIndexPage } from './archive-index-page.js';
import { archivePage, archiveTitle } from './archive-page.js';
import { atomFeed } from './atom-feed.js';

/** What publishing needs. */
export interface PublishDeps {
  readonly blobs: BlobStore;
  readonly lists: ListsConfig;
  readonly clock: Clock;
}

/** What was published. */
export interface PublishResult {
  readonly pageKey: string;
  readonly indexKey: string;
  readonly feedKey: string;
  readonly url: string;
}

/**
 * Publishes one issue. Idempotent: publishing again replaces the page and keeps one index entry.
 * Two issues of one list published in the same instant could race on the index document (last writer
 * wins); the next publish of either rebuilds it, and newsletters of one list do not start at once.
 */
export async function publishArchive(deps: PublishDeps, issue: RenderedIssue): Promise<PublishResult> {
  const list = deps.lists.lists.get(issue.list);
  if (!list) throw new Error(`list "${issue.list}" is not configured`);
  const at = new Date(deps.clock.now()).toISOString();
  const pageKey = ARCHIVE_KEYS.page(issue.list, issue.id);
  await deps.blobs.put(pageKey, archivePage(issue, list), 'text/html; charset=utf-8');

  const previous = parseArchiveIndex(await deps.blobs.get(ARCHIVE_KEYS.data(issue.list)), issue.list);
  const kept = previous.entries.find((e) => e.id === issue.id);
  // A republished issue keeps its first date: the feed must not announce it as new.
  const index = addArchiveEntry(previous, {
    id: issue.id,
    title: archiveTitle(issue, list),
    url: issue.webUrl,
    publishedAt: kept?.publishedAt ?? at,
  });
  await deps.blobs.put(ARCHIVE_KEYS.data(issue.list), JSON.stringify(index), 'application/json');
  const indexKey = ARCHIVE_KEYS.index(issue.list);
  const feedKey = ARCHIVE_KEYS.feed(issue.list);
  await Promise.all([
    deps.blobs.put(indexKey, archiveIndexPage(list, index), 'text/html; charset=utf-8'),
    deps.blobs.put(feedKey, atomFeed(list, index, at), 'application/atom+xml; charset=utf-8'),
  ]);
  return { pageKey, indexKey, feedKey, url: issue.webUrl };
}
