/**
 * Planning in pages that continue themselves: one plan message reads one page of a list's subscribed
 * members, enqueues jobs of at most 50 recipients and then the next page. A million subscribers are a
 * thousand short invocations, never one that nears Lambda's 15-minute limit. The same planner plans an
 * issue again (a plan message with `replan`) when local mode resumes a run that stopped.
 *
 * An issue with an audience plans only the members of each page who match it: the page is read as always
 * (its cursor advances over everyone), filtered here, and a page where nobody matches enqueues no job but
 * still continues. The ledger's `planned` count is then the number who matched.
 */
import { matchesAudience } from '../brief/audience.js';
import type { JobQueue, Ledger, SubscriberStore } from '../ports.js';
import type { PlanMessage, SendJob, Subscriber } from '../model.js';

/** What planning needs. */
export interface PlanDeps {
  readonly subscribers: SubscriberStore;
  readonly ledger: Ledger;
  readonly queue: JobQueue;
}

/** Page and job sizes. */
export interface PlanOptions {
  /** Subscribers read per plan message. */
  readonly pageSize?: number;
  /** Recipients per send job (≤ 50). */
  readonly jobSize?: number;
  /** True when the queue delivers this message again (SQS ApproximateReceiveCount > 1). */
  readonly redelivered?: boolean;
}

/** How one plan page ended. */
export type PlanResult =
  /** `recipients` matched the audience (all subscribed members when there is none) among `examined` subscribed members read. */
  | {
      readonly status: 'planned';
      readonly page: number;
      readonly recipients: number;
      readonly examined: number;
      readonly jobs: number;
      readonly last: boolean;
    }
  /** This page was planned before (a redelivered or duplicated message): nothing enqueued again. */
  | { readonly status: 'already-planned'; readonly page: number; readonly resumed: boolean }
  /** No such issue in the ledger: nothing to plan. */
  | { readonly status: 'unknown-issue'; readonly page: number };

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_JOB_SIZE = 50;
/**
 * A job's recipients as JSON stay under this many bytes: SQS takes at most 256 KiB per SendMessageBatch of ten,
 * and recipients with fields (merge tags) can be long. Ordinary jobs (~6 KiB) never reach it.
 */
export const MAX_JOB_BYTES = 24 * 1024;
/** A field value copied into a job is cut to this many characters: merge tags are for short values (a city, a plan). */
export const MAX_FIELD_VALUE_CHARS = 200;

/** Plans one page: jobs first, then the ledger's page mark, then the continuation. */
export async function planPage(deps: PlanDeps, message: PlanMessage, options: PlanOptions = {}): Promise<PlanResult> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const jobSize = Math.min(options.jobSize ?? MAX_JOB_SIZE, MAX_JOB_SIZE);
  const { issue, page } = message;

  const record = await deps.ledger.getIssue(issue);
  if (!record) return { status: 'unknown-issue', page };
  if (message.replan) return replanPage(deps, message, message.replan.joinedBy, pageSize, jobSize);
  if (record.planComplete || record.plannedPage >= page) {
    // A page marked but whose continuation never left (a crash in between) shows up as a redelivery: resume.
    // Fresh duplicates do not resume, so that a duplicate never grows into a second chain.
    const resume = options.redelivered === true && record.plannedPage === page && !record.planComplete && record.nextCursor !== undefined;
    if (resume) await deps.queue.enqueuePlan({ ...message, page: page + 1, cursor: record.nextCursor });
    return { status: 'already-planned', page, resumed: resume };
  }

  const { subscribers, next } = await deps.subscribers.pageSubscribed(issue.list, message.cursor, pageSize);
  const meantFor = subscribers.filter((s) => matchesAudience(s, message.audience));
  const jobs = jobsOf(message, meantFor, jobSize);
  // Jobs enqueued twice (this page redelivered before its mark) are harmless: each delivery is claimed before sending.
  if (jobs.length > 0) await deps.queue.enqueueSendJobs(jobs);
  const marked = await deps.ledger.markPagePlanned(issue, page, meantFor.length, next);
  if (!marked) return { status: 'already-planned', page, resumed: false };
  if (next !== undefined) await deps.queue.enqueuePlan({ ...message, page: page + 1, cursor: next });
  return {
    status: 'planned',
    page,
    recipients: meantFor.length,
    examined: subscribers.length,
    jobs: jobs.length,
    last: next === undefined,
  };
}

/**
 * Plans one page of an issue again: the members of the page who had joined by `joinedBy`, and the next
 * page. The ledger's marks stay as they are: the deliveries' claims decide who still needs the issue.
 */
async function replanPage(deps: PlanDeps, message: PlanMessage, joinedBy: string, pageSize: number, jobSize: number): Promise<PlanResult> {
  const { subscribers, next } = await deps.subscribers.pageSubscribed(message.issue.list, message.cursor, pageSize);
  // ISO 8601 timestamps in UTC compare as strings.
  const meantFor = subscribers.filter((s) => s.createdAt <= joinedBy && matchesAudience(s, message.audience));
  const jobs = jobsOf(message, meantFor, jobSize);
  if (jobs.length > 0) await deps.queue.enqueueSendJobs(jobs);
  if (next !== undefined) await deps.queue.enqueuePlan({ ...message, page: message.page + 1, cursor: next });
  return {
    status: 'planned',
    page: message.page,
    recipients: meantFor.length,
    examined: subscribers.length,
    jobs: jobs.length,
    last: next === undefined,
  };
}

/** The recipient's values of the fields the issue uses (nothing when it uses none, or the member has none of them). */
function fieldsFor(subscriber: Subscriber, names: readonly string[] | undefined): { attributes?: Record<string, string> } {
  if (!names || names.length === 0 || !subscriber.attributes) return {};
  const attributes: Record<string, string> = {};
  for (const name of names)
    if (Object.hasOwn(subscriber.attributes, name)) attributes[name] = subscriber.attributes[name]!.slice(0, MAX_FIELD_VALUE_CHARS);
  return Object.keys(attributes).length > 0 ? { attributes } : {};
}

/** Send jobs of at most `jobSize` recipients and about MAX_JOB_BYTES of recipients each. */
function jobsOf(message: PlanMessage, subscribers: readonly Subscriber[], jobSize: number): SendJob[] {
  const jobs: SendJob[] = [];
  let recipients: SendJob['recipients'][number][] = [];
  let bytes = 0;
  const flush = () => {
    if (recipients.length === 0) return;
    jobs.push({ format: 'newsbrief/send-job@1', issue: message.issue, renderedKey: message.renderedKey, recipients });
    recipients = [];
    bytes = 0;
  };
  for (const s of subscribers) {
    const recipient = { id: s.id, email: s.email, firstName: s.firstName, ...fieldsFor(s, message.fields) };
    // Only recipients with fields can be large; the others are counted at a generous constant.
    const size = recipient.attributes ? Buffer.byteLength(JSON.stringify(recipient)) : 300;
    if (recipients.length >= jobSize || (recipients.length > 0 && bytes + size > MAX_JOB_BYTES)) flush();
    recipients.push(recipient);
    bytes += size;
  }
  flush();
  return jobs;
}
