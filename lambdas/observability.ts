/** Powertools logger and metrics shared by the handlers: one service, one namespace. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Structured JSON logs. */
export const logger = new Logger({ serviceName: 'newsbrief' });

/** CloudWatch EMF metrics in the `newsbrief` namespace (the alarms watch these names). */
export const metrics = new Metrics({ namespace: 'newsbrief', serviceName: 'newsbrief' });

/** Metric names the alarms and dashboards use. */
export const METRIC = {
  briefsRefused: 'BriefsRefused',
  briefsAccepted: 'BriefsAccepted',
  duplicateEvents: 'DuplicateBriefEvents',
  planned: 'RecipientsPlanned',
  sent: 'MessagesSent',
  sendFailures: 'SendFailures',
  unknownDeliveries: 'UnknownDeliveries',
  throttledJobs: 'ThrottledJobs',
  sendingPaused: 'SendingPaused',
  poisonJobs: 'PoisonJobs',
  unsubscribed: 'Unsubscribed',
  breakerTripped: 'CircuitBreakerTripped',
} as const;
