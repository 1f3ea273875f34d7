/**
 * The list of a newsletter's published issues, newest first: the data behind its archive index page and
 * its Atom feed, kept as one small JSON document per list.
 */

/** One published issue. */
export interface ArchiveEntry {
  readonly id: string;
  readonly title: string;
  /** Absolute URL of the archive page. */
  readonly url: string;
  /** ISO 8601, when the issue was published (started sending). */
  readonly publishedAt: string;
}

/** The stored index of one list's archive. */
export interface ArchiveIndex {
  readonly format: 'newsbrief/archive-index@1';
  readonly list: string;
  readonly entries: readonly ArchiveEntry[];
}

/** An empty index for a list. */
export function emptyArchiveIndex(list: string): ArchiveIndex {
  return { format: 'newsbrief/archive-index@1', list, entries: [] };
}

/** Adds (or replaces, by id) an entry; entries stay newest first, ties by id so that the order is stable. */
export function addArchiveEntry(index: ArchiveIndex, entry: ArchiveEntry): ArchiveIndex {
  const entries = [...index.entries.filter((e) => e.id !== entry.id), entry];
  entries.sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...index, entries };
}

/** Parses a stored index; a missing or unreadable one starts empty (the pages are rebuilt from it at once). */
export function parseArchiveIndex(bytes: Uint8Array | undefined, list: string): ArchiveIndex {
  if (!bytes) return emptyArchiveIndex(list);
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<ArchiveIndex>;
    if (value.format !== 'newsbrief/archive-index@1' || !Array.isArray(value.entries)) return emptyArchiveIndex(list);
    const entries = value.entries.filter(
      (e): e is ArchiveEntry =>
        typeof e?.id === 'string' && typeof e.title === 'string' && typeof e.url === 'string' && !Number.isNaN(Date.parse(e.publishedAt)),
    );
    return { format: 'newsbrief/archive-index@1', list, entries };
  } catch {
    return emptyArchiveIndex(list);
  }
}
