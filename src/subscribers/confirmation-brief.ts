/**
 * The confirmation mail as a tiny brief, so that it is rendered by the same templates as every issue
 * (the list's colours, postal address and unsubscribe link), in the list's language and direction with the
 * list's own wording (src/render/lifecycle-phrases.ts). It has no public web copy, so it offers none, and its
 * footer says why a person who has not subscribed got it. It is rendered per mail: the link is the only
 * content, and a link target cannot be a merge tag. Importing this module loads MJML.
 */
import type { ValidBrief } from '../brief/brief-schema.js';
import type { ListConfig } from '../config/lists.js';
import { lifecyclePhrasesFor } from '../render/lifecycle-phrases.js';
import { type RenderedIssue, type RenderOptions, renderIssue } from '../render/render-issue.js';

/** How the confirmation mail is rendered: there is no web copy of it (a "view in browser" link would be a 404). */
export const CONFIRMATION_RENDER_OPTIONS: RenderOptions = { webCopy: false };

// Paragraphs and the footer are inline markup; the phrases (a list's own wording included) are plain text,
// so their markup characters are escaped as typed, never turned into bold, italics or links.
const asInlineText = (text: string) => text.replace(/[\\*_[\]()]/g, (ch) => `\\${ch}`);

/** The brief of a confirmation mail for `list`, with the confirmation link as its one button. */
export function confirmationBrief(list: ListConfig, confirmUrl: string): ValidBrief {
  const words = lifecyclePhrasesFor(list.locale, list.phrases);
  const named = { list: list.displayName };
  return {
    version: 1,
    id: 'confirm-subscription',
    list: list.id,
    locale: words.locale,
    subject: words.text('confirmMailSubject', named),
    preheader: words.text('confirmMailPreheader'),
    stories: [
      {
        headline: words.text('confirmMailHeadline', named),
        paragraphs: [asInlineText(words.text('confirmMailRequest')), asInlineText(words.text('confirmMailIgnore'))],
        link: { text: words.text('confirmMailButton'), href: confirmUrl },
      },
    ],
    // Not "because you subscribed": the reader has not, yet.
    footer: { text: asInlineText(words.text('confirmMailWhy', named)) },
  } as ValidBrief;
}

/** Renders the confirmation mail (RenderConfirmation of the subscribe use-case). */
export function renderConfirmation(list: ListConfig, confirmUrl: string): Promise<RenderedIssue> {
  return renderIssue(confirmationBrief(list, confirmUrl), list, CONFIRMATION_RENDER_OPTIONS);
}
