/** Public addresses of a list's archive, under the list's archiveBaseUrl (CloudFront on AWS, the studio locally). */
import type { ListConfig } from '../config/lists.js';

/** `<archiveBaseUrl>/<list>/` */
export function archiveFolderUrl(list: ListConfig): string {
  return `${list.archiveBaseUrl.replace(/\/+$/, '')}/${list.id}/`;
}

/** The list's index page. */
export function archiveIndexUrl(list: ListConfig): string {
  return `${archiveFolderUrl(list)}index.html`;
}

/** The list's Atom feed. */
export function archiveFeedUrl(list: ListConfig): string {
  return `${archiveFolderUrl(list)}feed.xml`;
}
