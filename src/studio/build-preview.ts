/**
 * What the studio shows for one brief file: its problems, or the issue rendered once and filled for a
 * sample reader (HTML, text, the complete .eml). The same functions as a real send, so a preview is the mail.
 */
import type { Problem } from '../config/problems.js';
import { parseBrief } from '../brief/parse-brief.js';
import type { ValidBrief } from '../brief/brief-schema.js';
import type { ListsConfig, ListConfig } from '../config/lists.js';
import { composeMessage } from '../deliver/compose-message.js';
import { personalize, unsubscribeLinks } from '../deliver/personalize.js';
import type { Recipient } from '../model.js';
import type { Keyring } from '../deliver/tokens.js';
import { renderIssue, renderedIssueProblems, type RenderedIssue } from '../render/render-issue.js';

/** The reader every preview is filled for. */
export const SAMPLE_READER: Recipient = { id: 'sample-reader', email: 'reader@example.com', firstName: 'Alex' };

/** A brief that renders: everything the preview pages show, and the issue a send starts from. */
export interface ValidPreview {
  readonly ok: true;
  readonly brief: ValidBrief;
  readonly list: ListConfig;
  readonly issue: RenderedIssue;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly eml: Buffer;
  /** How long validation, MJML and MIME took, in milliseconds. */
  readonly renderMs: number;
}

/** A brief that does not: every problem with its JSON Pointer. */
export interface InvalidPreview {
  readonly ok: false;
  readonly problems: readonly Problem[];
  readonly renderMs: number;
}

export type Preview = ValidPreview | InvalidPreview;

/** What a preview needs from the world. */
export interface PreviewContext {
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly now: () => Date;
  readonly sample?: Recipient;
}

/** Validates, renders once and fills the issue for the sample reader. Never throws for a bad brief. */
export async function buildPreview(bytes: Uint8Array, sourceName: string, context: PreviewContext): Promise<Preview> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const result = parseBrief(bytes, { knownLists: [...context.lists.lists.keys()], sourceName });
  if (!result.ok) return { ok: false, problems: result.problems, renderMs: elapsed() };
  const brief = result.brief;
  const list = context.lists.lists.get(brief.list)!;
  try {
    const recipient = context.sample ?? SAMPLE_READER;
    const issue = await renderIssue(brief, list);
    const problems = renderedIssueProblems(issue);
    if (problems.length > 0) return { ok: false, problems, renderMs: elapsed() };
    const links = unsubscribeLinks(list, recipient, context.keyring);
    const content = personalize(issue, recipient, links.url);
    const message = await composeMessage({ issue, list, recipient, content, unsubscribe: links, date: context.now() });
    return {
      ok: true,
      brief,
      list,
      issue,
      subject: content.subject,
      html: content.html,
      text: content.text,
      eml: message.raw,
      renderMs: elapsed(),
    };
  } catch (error) {
    // The validator should have caught it; shown as a problem of the whole document rather than a crash.
    return { ok: false, problems: [{ pointer: '', message: `could not be rendered: ${(error as Error).message}` }], renderMs: elapsed() };
  }
}
