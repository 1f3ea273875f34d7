/**
 * Planning in pages that continue themselves: one plan message reads one page of a list's subscribed
 * members, enqueues jobs of at most 50 recipients and then the next page. A million subscribers are a
 * thousand short invocations, never one that nears Lambda's 15-minute limit. The same planner plans an
 * issue again (a plan message with `replan`) when local mode resumes a run that stopped.
 */
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
  | { readonly status: 'planned'; readonly page: number; readonly recipients: number; readonly jobs: number; readonly last: boolean }
  /** This page was planned before (a redelivered or duplicated message): nothing enqueued again. */
  | { readonly status: 'already-planned'; readonly page: number; readonly resumed: boolean }
  /** No such issue in the ledger: nothing to plan. */
  | { readonly status: 'unknown-issue'; readonly page: number };

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_JOB_SIZE = 50;

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
  const jobs = jobsOf(message, subscribers, jobSize);
  // Jobs enqueued twice (this page redelivered before its mark) are harmless: each delivery is claimed before sending.
  if (jobs.length > 0) await deps.queue.enqueueSendJobs(jobs);
  const marked = await deps.ledger.markPagePlanned(issue, page, subscribers.length, next);
  if (!marked) return { status: 'already-planned', page, resumed: false };
  if (next !== undefined) await deps.queue.enqueuePlan({ ...message, page: page + 1, cursor: next });
  return { status: 'planned', page, recipients: subscribers.length, jobs: jobs.length, last: next === undefined };
}

/**
 * Plans one page of an issue again: the members of the page who had joined by `joinedBy`, and the next
 * page. The ledger's marks stay as they are: the deliveries' claims decide who still needs the issue.
 */
async function replanPage(deps: PlanDeps, message: PlanMessage, joinedBy: string, pageSize: number, jobSize: number): Promise<PlanResult> {
  const { subscribers, next } = await deps.subscribers.pageSubscribed(message.issue.list, message.cursor, pageSize);
  // ISO 8601 timestamps in UTC compare as strings.
  const meantFor = subscribers.filter((s) => s.createdAt <= joinedBy);
  const jobs = jobsOf(message, meantFor, jobSize);
  if (jobs.length > 0) await deps.queue.enqueueSendJobs(jobs);
  if (next !== undefined) await deps.queue.enqueuePlan({ ...message, page: message.page + 1, cursor: next });
  return { status: 'planned', page: message.page, recipients: meantFor.length, jobs: jobs.length, last: next === undefined };
}

/** Send jobs of at most `jobSize` recipients each. */
function jobsOf(message: PlanMessage, subscribers: readonly Subscriber[], jobSize: number): SendJob[] {
  const jobs: SendJob[] = [];
  for (let i = 0; i < subscribers.length; i += jobSize) {
    jobs.push({
      format: 'newsbrief/send-job@1',
      issue: message.issue,
      renderedKey: message.renderedKey,
      recipients: subscribers.slice(i, i + jobSize).map((s) => ({ id: s.id, email: s.email, firstName: s.firstName })),
    });
  }
  return jobs;
}
