/** The scheduled start's payload, parsed strictly: a schedule carries it for days, and versions change. */
import type { StartMessage } from '../model.js';

/** Raised for a payload that can never start anything; retrying does not help. */
export class InvalidStartMessageError extends Error {
  override readonly name = 'InvalidStartMessageError';
}

/** Parses the event a schedule delivers (an object, or its JSON). */
export function parseStartMessage(event: unknown): StartMessage {
  const value = (typeof event === 'string' ? safeJson(event) : event) as Record<string, unknown> | null;
  if (!value || typeof value !== 'object') throw new InvalidStartMessageError('start message: not an object');
  if (value.format !== 'newsbrief/start-issue@1')
    throw new InvalidStartMessageError(`start message: unknown format ${JSON.stringify(value.format)}`);
  const issue = value.issue as Record<string, unknown> | null;
  if (!issue || typeof issue.list !== 'string' || !issue.list || typeof issue.id !== 'string' || !issue.id)
    throw new InvalidStartMessageError('start message: issue {list, id} missing');
  if (typeof value.renderedKey !== 'string' || !value.renderedKey) throw new InvalidStartMessageError('start message: renderedKey missing');
  if (typeof value.version !== 'string' || !value.version) throw new InvalidStartMessageError('start message: version missing');
  return {
    format: 'newsbrief/start-issue@1',
    issue: { list: issue.list, id: issue.id },
    renderedKey: value.renderedKey,
    version: value.version,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
