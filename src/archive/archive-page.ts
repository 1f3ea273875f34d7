/**
 * The public web copy of an issue: the one render of the email, filled for nobody. Every merge tag gets
 * its fallback (the address none), no token is made, and the footer's unsubscribe link becomes an
 * invitation to subscribe, so that the page holds no subscriber's data and can be shared.
 */
import type { ListConfig } from '../config/lists.js';
import type { RenderedIssue } from '../render/render-issue.js';
import { fillTemplate, type SlotValues } from '../render/slots.js';
import { archiveIndexUrl } from './archive-urls.js';

/** Where the public copy's footer link leads: the configured subscribe page, else the list's archive index. */
export function subscribePageOf(list: ListConfig): string {
  // index.html by name: CloudFront's default root object applies to the root only, not to folders.
  return list.archiveSubscribeUrl ?? archiveIndexUrl(list);
}

/** The slot values of the public audience: no name, no address, the subscribe page instead of a token. */
export function publicValues(list: ListConfig): SlotValues {
  return { email: '', unsubscribeUrl: subscribePageOf(list), audience: 'public' };
}

/** The archive page of an issue (HTML), with all personal data left out. */
export function archivePage(issue: RenderedIssue, list: ListConfig): string {
  return fillTemplate(issue.html, publicValues(list));
}

/** The issue's title as the public sees it (merge tags at their fallbacks). */
export function archiveTitle(issue: RenderedIssue, list: ListConfig): string {
  return fillTemplate(issue.subject, publicValues(list));
}
