/** EventBridge Scheduler → startScheduledIssue: a scheduled issue's time has come. */
import { parseStartMessage } from '../src/schedule/parse-start-message.js';
import { startScheduledIssue, type StartResult } from '../src/schedule/start-issue.js';
import { startDeps } from '../src/wiring/aws/start.js';
import { logger } from './observability.js';

/** A thrown error makes Scheduler retry (then dead-letter); starting is idempotent by the ledger claim. */
export const handler = async (event: unknown): Promise<StartResult> => {
  const message = parseStartMessage(event);
  const result = await startScheduledIssue(await startDeps(), message);
  logger.info(`scheduled start ${result.status}`, { ...result });
  return result;
};
