/**
 * The confirmation mail as a tiny brief, so that it is rendered by the same templates as every issue
 * (the list's colours, footer, postal address and unsubscribe link). It is rendered per mail: the link is
 * the only content, and a link target cannot be a merge tag. Importing this module loads MJML.
 */
import type { ValidBrief } from '../brief/brief-schema.js';
import type { ListConfig } from '../config/lists.js';
import { type RenderedIssue, renderIssue } from '../render/render-issue.js';

/** The brief of a confirmation mail for `list`, with the confirmation link as its one button. */
export function confirmationBrief(list: ListConfig, confirmUrl: string): ValidBrief {
  return {
    version: 1,
    id: 'confirm-subscription',
    list: list.id,
    subject: `Confirm your subscription to ${list.displayName}`,
    preheader: 'One click and you are on the list.',
    stories: [
      {
        headline: `Please confirm your subscription to ${list.displayName}`,
        paragraphs: [
          'Someone, hopefully you, asked to receive this newsletter at this address. Confirm with the button below; the link works for seven days.',
          'If it was not you, ignore this mail: you will not be added and we will not write again.',
        ],
        link: { text: 'Yes, subscribe me', href: confirmUrl },
      },
    ],
  } as ValidBrief;
}

/** Renders the confirmation mail (RenderConfirmation of the subscribe use-case). */
export function renderConfirmation(list: ListConfig, confirmUrl: string): Promise<RenderedIssue> {
  return renderIssue(confirmationBrief(list, confirmUrl), list);
}
