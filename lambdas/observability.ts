/** Powertools logger and metrics shared by the handlers: one service, one namespace. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../src/config/metric-names.js';

/** Structured JSON logs. */
export const logger = new Logger({ serviceName: 'newsbrief' });

/** CloudWatch EMF metrics in the `newsbrief` namespace (the alarms watch these names). */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'newsbrief' });

/** Metric names, shared with the CDK alarms. */
export { METRIC } from '../src/config/metric-names.js';
