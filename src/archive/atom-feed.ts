/** The Atom 1.0 feed (RFC 4287) of one list's archive: one entry per published issue, newest first. */
import type { ListConfig } from '../config/lists.js';
import type { ArchiveIndex } from './archive-index.js';
import { archiveFeedUrl, archiveIndexUrl } from './archive-urls.js';

/** The feed document. `fallbackUpdated` (ISO 8601) dates a feed with no entries yet. */
export function atomFeed(list: ListConfig, index: ArchiveIndex, fallbackUpdated: string): string {
  const updated = index.entries[0]?.publishedAt ?? fallbackUpdated;
  const entries = index.entries.map(
    (e) => `  <entry>
    <id>${xml(e.url)}</id>
    <title type="text">${xml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>
    <published>${xml(e.publishedAt)}</published>
    <updated>${xml(e.publishedAt)}</updated>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(archiveFeedUrl(list))}</id>
  <title type="text">${xml(list.displayName)}</title>
  <updated>${xml(updated)}</updated>
  <author><name>${xml(list.displayName)}</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(archiveFeedUrl(list))}"/>
  <link rel="alternate" type="text/html" href="${xml(archiveIndexUrl(list))}"/>
${entries.join('\n')}
</feed>
`;
}

// XML 1.0 forbids most control characters even when escaped; a stray one would make the whole feed unreadable.
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
