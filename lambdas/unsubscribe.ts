/**
 * The unsubscribe link behind a Lambda function URL: GET shows the page, RFC 8058's one-click POST
 * unsubscribes. No authentication by design (RFC 8058 forbids requiring any); the signed token is the key.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { functionUrlResult, readFunctionUrlRequest } from '../src/wiring/aws/function-url.js';
import { LIFECYCLE_PAGE_HEADERS, unsubscribePage } from '../src/subscribers/lifecycle-page.js';
import { unsubscribe } from '../src/subscribers/unsubscribe.js';
import { unsubscribeDeps } from '../src/wiring/aws/unsubscribe.js';
import { logger, METRIC, metrics } from './observability.js';

/** One request: parse, run the use-case, render the page. */
export const handler = async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  const request = readFunctionUrlRequest(event);
  const deps = await unsubscribeDeps();
  const outcome = await unsubscribe(deps, { method: request.method, token: request.query.t ?? '' });
  if (outcome.kind === 'invalid') logger.warn('unsubscribe link refused', { reason: outcome.reason });
  if (outcome.kind === 'unsubscribed') {
    metrics.addMetric(METRIC.unsubscribed, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  }
  const page = unsubscribePage(outcome, deps.lists);
  return functionUrlResult(page.status, LIFECYCLE_PAGE_HEADERS, page.html);
};
