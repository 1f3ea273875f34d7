/**
 * The link map of an issue, read from its rendered artifact (`rendered/<list>/<id>/issue.json`) once per
 * process and issue: a burst of clicks on one issue costs one read. A rendered issue never changes once
 * stored (intake refuses to overwrite an issue being sent), so the cache needs no invalidation.
 */
import { renderedKeyOf } from '../config/bucket-layout.js';
import type { IssueLink, IssueRef } from '../model.js';
import type { BlobStore } from '../ports.js';

/** How many issues' maps one process keeps (a few recent issues get nearly every click). */
const CACHED_ISSUES = 32;

/** A lookup of issues' link maps over a blob store (undefined: no rendered issue, or one without a map). */
export function renderedLinks(blobs: Pick<BlobStore, 'get'>): (issue: IssueRef) => Promise<readonly IssueLink[] | undefined> {
  const cache = new Map<string, Promise<readonly IssueLink[] | undefined>>();
  return (issue) => {
    const key = renderedKeyOf(issue);
    let found = cache.get(key);
    if (!found) {
      found = blobs.get(key).then((body) => (body ? linksOf(Buffer.from(body).toString('utf8')) : undefined));
      // A failed read is not remembered: the next event tries again.
      found.catch(() => cache.delete(key));
      if (cache.size >= CACHED_ISSUES) cache.delete(cache.keys().next().value!);
      cache.set(key, found);
    }
    return found;
  };
}

function linksOf(json: string): readonly IssueLink[] | undefined {
  try {
    const links = (JSON.parse(json) as { links?: unknown }).links;
    return Array.isArray(links) ? (links as IssueLink[]) : undefined;
  } catch {
    return undefined;
  }
}
