/** Queue message bodies: built by the planner, parsed (strictly) by the consumers. */
import type { IssueRef, PlanMessage, SendJob } from '../model.js';

/** Serializes a send job for the queue. */
export function sendJobBody(job: SendJob): string {
  return JSON.stringify(job);
}

/** Parses a send queue body; throws PoisonJobError when it can never be processed. */
export function parseSendJob(body: string): SendJob {
  const value = parseObject(body, 'send job');
  if (value.format !== 'newsbrief/send-job@1') throw new PoisonJobError(`send job: unknown format ${JSON.stringify(value.format)}`);
  const issue = parseIssueRef(value.issue, 'send job');
  if (typeof value.renderedKey !== 'string' || !value.renderedKey) throw new PoisonJobError('send job: renderedKey missing');
  if (!Array.isArray(value.recipients) || value.recipients.length === 0) throw new PoisonJobError('send job: recipients missing');
  const recipients = value.recipients.map((r: unknown, i: number) => {
    const o = r as Record<string, unknown> | null;
    if (!o || typeof o.id !== 'string' || !o.id || typeof o.email !== 'string' || !o.email.includes('@')) {
      throw new PoisonJobError(`send job: recipient ${i} needs an id and an email`);
    }
    if (o.firstName !== undefined && typeof o.firstName !== 'string')
      throw new PoisonJobError(`send job: recipient ${i} has a non-string firstName`);
    return { id: o.id, email: o.email, firstName: o.firstName as string | undefined };
  });
  return { format: 'newsbrief/send-job@1', issue, renderedKey: value.renderedKey, recipients };
}

/** Serializes a plan page for the queue. */
export function planMessageBody(message: PlanMessage): string {
  return JSON.stringify(message);
}

/** Parses a plan queue body; throws PoisonJobError when it can never be processed. */
export function parsePlanMessage(body: string): PlanMessage {
  const value = parseObject(body, 'plan message');
  if (value.format !== 'newsbrief/plan-page@1') throw new PoisonJobError(`plan message: unknown format ${JSON.stringify(value.format)}`);
  const issue = parseIssueRef(value.issue, 'plan message');
  if (typeof value.renderedKey !== 'string' || !value.renderedKey) throw new PoisonJobError('plan message: renderedKey missing');
  if (!Number.isInteger(value.page) || (value.page as number) < 0)
    throw new PoisonJobError('plan message: page must be a whole number ≥ 0');
  if (value.cursor !== undefined && typeof value.cursor !== 'string') throw new PoisonJobError('plan message: cursor must be a string');
  const replan = value.replan as { joinedBy?: unknown } | undefined;
  if (replan !== undefined && (replan === null || typeof replan.joinedBy !== 'string'))
    throw new PoisonJobError('plan message: replan needs joinedBy');
  const message: PlanMessage = {
    format: 'newsbrief/plan-page@1',
    issue,
    renderedKey: value.renderedKey,
    page: value.page as number,
    cursor: value.cursor as string | undefined,
  };
  return replan ? { ...message, replan: { joinedBy: replan.joinedBy as string } } : message;
}

function parseObject(body: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new PoisonJobError(`${what}: the body is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new PoisonJobError(`${what}: the body is not a JSON object`);
  return value as Record<string, unknown>;
}

function parseIssueRef(value: unknown, what: string): IssueRef {
  const o = value as Record<string, unknown> | null;
  if (!o || typeof o.list !== 'string' || !o.list || typeof o.id !== 'string' || !o.id)
    throw new PoisonJobError(`${what}: issue {list, id} missing`);
  return { list: o.list, id: o.id };
}

/** A queue message that can never be processed (malformed body): let the queue dead-letter it. */
export class PoisonJobError extends Error {
  override readonly name = 'PoisonJobError';
}
