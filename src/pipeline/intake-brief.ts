/**
 * Intake: a brief dropped under briefs/ becomes a rendered issue that starts now (claimed, archived, first
 * plan page enqueued) or at its sendAt (one schedule per issue), or a problem report and nothing sent.
 * Renders (MJML) here and only here: the send side never imports this.
 */
import { MAX_BRIEF_BYTES } from '../brief/brief-schema.js';
import { parseBrief } from '../brief/parse-brief.js';
import { formatProblems } from '../brief/problems.js';
import type { Problem } from '../config/problems.js';
import type { ListsConfig } from '../config/lists.js';
import { archivePage, publicValues } from '../archive/archive-page.js';
import type { ListConfig } from '../config/lists.js';
import { renderIssue, renderedIssueProblems, type RenderedIssue } from '../render/render-issue.js';
import { fieldNamesOf, fillTemplate } from '../render/slots.js';
import type { BlobStore, Clock, IssueScheduler, JobQueue, Ledger, SubscriberStore } from '../ports.js';
import { describeAudience } from '../brief/audience.js';
import { countAudience } from './count-audience.js';
import type { IssueRef } from '../model.js';
import { decideStart } from '../schedule/decide-start.js';
import { retireSchedule, scheduleIssue } from '../schedule/schedule-issue.js';
import { startIssue } from '../schedule/start-issue.js';
import { isBriefKey, renderedKeyOf, renderedPrefixOf, reportKeyOf } from '../config/bucket-layout.js';

/** What intake needs. */
export interface IntakeDeps {
  readonly blobs: BlobStore;
  readonly ledger: Ledger;
  readonly queue: JobQueue;
  readonly lists: ListsConfig;
  readonly clock: Clock;
  /** Starts issues whose sendAt is ahead, at that time. */
  readonly scheduler: IssueScheduler;
  /**
   * The list's members, to refuse a brief whose audience matches nobody. Every deployment passes it; without
   * it that check is skipped (planning still sends only to the audience: to nobody, never to everyone).
   */
  readonly subscribers?: Pick<SubscriberStore, 'pageSubscribed'> | undefined;
}

/** How one brief event ended. */
export type IntakeResult =
  /** Not a brief (another prefix or suffix, or the object is gone): nothing done. */
  | { readonly status: 'ignored'; readonly key: string; readonly reason: string }
  /** Invalid: a report was written, nothing sent. */
  | { readonly status: 'refused'; readonly key: string; readonly reportKey: string; readonly problems: readonly Problem[] }
  /** The issue was claimed before (a duplicate event or a re-upload): nothing sent again. */
  | { readonly status: 'duplicate'; readonly key: string; readonly issue: IssueRef }
  /** Claimed and planning started. */
  | { readonly status: 'accepted'; readonly key: string; readonly issue: IssueRef; readonly renderedKey: string }
  /**
   * Rendered now, starting at `at` (ISO 8601 UTC). `replaced`: an earlier upload of this issue was scheduled
   * (from `previousSource`, for `previousAt`); this newest upload replaced its content and schedule.
   */
  | {
      readonly status: 'scheduled';
      readonly key: string;
      readonly issue: IssueRef;
      readonly renderedKey: string;
      readonly at: string;
      readonly replaced?: { readonly previousSource: string; readonly previousAt: string } | undefined;
    };

/** The JSON document written to reports/ when a brief is refused. */
export interface ProblemReport {
  readonly format: 'newsbrief/problem-report@1';
  readonly source: string;
  readonly at: string;
  readonly problems: readonly Problem[];
  /** The same problems as the CLI prints them. */
  readonly text: string;
}

/** Handles one created object; `key` is already decoded (see decodeEventKey). */
export async function intakeBrief(deps: IntakeDeps, key: string): Promise<IntakeResult> {
  if (!isBriefKey(key)) return { status: 'ignored', key, reason: 'not a briefs/**.json key' };
  // One byte over the limit is enough to tell that a brief is too large without reading all of it.
  const bytes = await deps.blobs.get(key, { maxBytes: MAX_BRIEF_BYTES + 1 });
  if (!bytes) return { status: 'ignored', key, reason: 'the object no longer exists' };

  const at = new Date(deps.clock.now()).toISOString();
  const refuse = async (problems: readonly Problem[]): Promise<IntakeResult> => {
    const reportKey = reportKeyOf(key);
    const report: ProblemReport = { format: 'newsbrief/problem-report@1', source: key, at, problems, text: formatProblems(key, problems) };
    await deps.blobs.put(reportKey, JSON.stringify(report, null, 2), 'application/json');
    return { status: 'refused', key, reportKey, problems };
  };
  const parsed = parseBrief(bytes, { knownLists: [...deps.lists.lists.keys()], sourceName: key });
  if (!parsed.ok) return refuse(parsed.problems);

  const brief = parsed.brief;
  const list = deps.lists.lists.get(brief.list)!;
  const issue: IssueRef = { list: brief.list, id: brief.id };
  // Checked before rendering so that a re-upload never overwrites the artifacts of an issue being sent.
  if (await deps.ledger.getIssue(issue)) return { status: 'duplicate', key, issue };
  if (brief.audience && deps.subscribers) {
    // Stops at the first match: a list of any size costs one page unless the audience is (nearly) empty.
    const reach = await countAudience(deps.subscribers, brief.list, brief.audience, { stopAt: 1 });
    if (reach.matched === 0) {
      return refuse([
        {
          pointer: '/audience',
          message: `matches none of the ${reach.examined} subscribed members of "${brief.list}" (${describeAudience(brief.audience)}): check the tags and field values, or leave "audience" out to send to the whole list`,
        },
      ]);
    }
  }

  const rendered = await renderIssue(brief, list);
  const renderProblems = [...renderedIssueProblems(rendered), ...fieldProblems(rendered)];
  if (renderProblems.length > 0) return refuse(renderProblems);
  const renderedKey = renderedKeyOf(issue);
  await storeArtifacts(deps.blobs, issue, rendered, list);

  const start = decideStart(brief.sendAt, deps.clock.now());
  if (start.kind === 'scheduled') {
    const scheduled = await scheduleIssue(deps, { issue, renderedKey, source: key, at: start.at });
    if (scheduled.status === 'already-started') return { status: 'duplicate', key, issue };
    return {
      status: 'scheduled',
      key,
      issue,
      renderedKey,
      at: scheduled.at,
      ...(scheduled.replaced ? { replaced: scheduled.replaced } : {}),
    };
  }
  const started = await startIssue(deps, { issue, renderedKey, source: key });
  if (started.status !== 'started') return { status: 'duplicate', key, issue };
  // An earlier upload may have scheduled this issue for later; this one sends now, so that schedule goes.
  await retireSchedule(deps, issue);
  return { status: 'accepted', key, issue, renderedKey };
}

/** Send jobs carry each recipient's used fields: a bounded number keeps every job within SQS's message size. */
export const MAX_MERGE_FIELDS = 20;

function fieldProblems(rendered: RenderedIssue): Problem[] {
  const names = fieldNamesOf(rendered.subject, rendered.html, rendered.text);
  if (names.length <= MAX_MERGE_FIELDS) return [];
  return [{ pointer: '', message: `uses ${names.length} different {{fields.…}} merge tags; at most ${MAX_MERGE_FIELDS}` }];
}

// The issue JSON is what send jobs read; the HTML/text copies (filled for nobody) are for people. The public
// archive page is published when the issue starts, never before (a scheduled issue stays unpublished until then).
async function storeArtifacts(blobs: BlobStore, issue: IssueRef, rendered: RenderedIssue, list: ListConfig): Promise<void> {
  const prefix = renderedPrefixOf(issue);
  await Promise.all([
    blobs.put(renderedKeyOf(issue), JSON.stringify(rendered), 'application/json'),
    blobs.put(`${prefix}email.html`, archivePage(rendered, list), 'text/html; charset=utf-8'),
    blobs.put(`${prefix}email.txt`, fillTemplate(rendered.text, publicValues(list)), 'text/plain; charset=utf-8'),
  ]);
}
