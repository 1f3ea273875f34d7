/**
 * The public subscribe endpoint behind a Lambda function URL: the form, double opt-in, the confirmation link.
 * Confirmation links point at this URL's /confirm unless the list names its own confirmBaseUrl.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { functionUrlResult, readFunctionUrlRequest } from '../src/wiring/aws/function-url.js';
import { LIFECYCLE_PAGE_HEADERS } from '../src/subscribers/lifecycle-page.js';
import { subscribeEndpoint } from '../src/subscribers/subscribe-endpoint.js';
import { subscribeDeps } from '../src/wiring/aws/subscribe.js';
import { logger, METRIC, metrics } from './observability.js';

/** One request: route, run the use-case, render the page. */
export const handler = async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  const request = readFunctionUrlRequest(event);
  const defaultConfirmBaseUrl = `https://${event.requestContext.domainName}/confirm`;
  const page = await subscribeEndpoint({ ...(await subscribeDeps()), defaultConfirmBaseUrl }, request);
  if (page.status >= 500) logger.warn('subscribe endpoint could not answer', { status: page.status, path: request.path });
  if (page.refused) {
    // The reader saw the ordinary answer; only the operator learns that no confirmation mail went out, and why.
    logger.warn('confirmation mail refused', { ...page.refused });
    metrics.addDimension('refused', page.refused.by);
    metrics.addMetric(METRIC.confirmationsRefused, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  }
  return functionUrlResult(page.status, LIFECYCLE_PAGE_HEADERS, page.html);
};
