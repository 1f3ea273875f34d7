/**
 * What the reports read in local mode: the one store (ledger, feedback, engagement), the rendered issues for
 * the audience and the link map, the lists. One place for the studio's report pages and `newsbrief report`.
 */
import { type BreakerPolicy, DEFAULT_BREAKER_POLICY } from '../config/breaker-policy.js';
import type { ListsConfig } from '../config/lists.js';
import { renderedLinks } from '../engagement/rendered-links.js';
import type { LocalStore } from '../adapters/local/local-store.js';
import type { BlobStore, Clock } from '../ports.js';
import { type ListReportDeps, recentIssuesAmong } from '../report/read-list-report.js';

/** The report deps over local state; `breaker` defaults to the built-in limits. */
export function localReportDeps(local: {
  readonly store: LocalStore;
  readonly lists: ListsConfig;
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly breaker?: BreakerPolicy | undefined;
}): ListReportDeps {
  return {
    ledger: local.store,
    feedback: local.store,
    lists: local.lists,
    clock: local.clock,
    breaker: local.breaker ?? DEFAULT_BREAKER_POLICY,
    blobs: local.blobs,
    engagement: { ledger: local.store, links: renderedLinks(local.blobs) },
    recentIssues: async (list, limit) => recentIssuesAmong(await local.store.listIssues(), list, limit),
  };
}
