/**
 * The `mailto:` of List-Unsubscribe: an SES receipt rule invokes this function with the parsed headers of each
 * mail to the unsubscribe mailbox, and the token in its subject unsubscribes its reader (mail-unsubscribe.ts).
 * A mail without a valid token is logged and dropped: answering it would only feed backscatter. A failure
 * throws, so that Lambda retries the event; unsubscribing again is harmless.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SESEvent } from 'aws-lambda';
import { unsubscribeByMail } from '../src/subscribers/mail-unsubscribe.js';
import { unsubscribeDeps } from '../src/wiring/aws/unsubscribe.js';
import { logger, METRIC, metrics } from './observability.js';

/** Unsubscribes the reader each received mail's subject names. */
export const handler = async (event: SESEvent): Promise<void> => {
  const deps = await unsubscribeDeps();
  try {
    for (const record of event.Records ?? []) {
      const mail = record.ses?.mail;
      const outcome = await unsubscribeByMail(deps, mail?.commonHeaders?.subject ?? '');
      if (outcome.kind === 'unsubscribed') {
        metrics.addMetric(METRIC.unsubscribed, MetricUnit.Count, 1);
        logger.info('unsubscribed by mail', { sesMessageId: mail?.messageId, list: outcome.list.id });
      } else {
        logger.warn('unsubscribe mail ignored', {
          sesMessageId: mail?.messageId,
          reason: outcome.kind === 'invalid' ? outcome.reason : outcome.kind,
        });
      }
    }
  } finally {
    metrics.publishStoredMetrics();
  }
};
