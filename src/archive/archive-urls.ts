/** Public addresses of a list's archive, under the list's archiveBaseUrl (CloudFront on AWS, the studio locally). */
import { ARCHIVE_PATHS, archiveUrlOf } from '../config/bucket-layout.js';
import type { ListConfig } from '../config/lists.js';

/** `<archiveBaseUrl>/<list>/` */
export function archiveFolderUrl(list: ListConfig): string {
  return archiveUrlOf(list.archiveBaseUrl, ARCHIVE_PATHS.folder(list.id));
}

/** The list's index page. */
export function archiveIndexUrl(list: ListConfig): string {
  return archiveUrlOf(list.archiveBaseUrl, ARCHIVE_PATHS.index(list.id));
}

/** The list's Atom feed. */
export function archiveFeedUrl(list: ListConfig): string {
  return archiveUrlOf(list.archiveBaseUrl, ARCHIVE_PATHS.feed(list.id));
}
