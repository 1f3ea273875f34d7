/**
 * The one place that names every environment variable newsbrief reads.
 * The CDK constructs set them and the runtime config reads them through these constants,
 * so the two cannot drift apart.
 */
export const ENV = {
  /** S3 bucket that holds briefs (briefs/), rendered artifacts (rendered/), reports (reports/) and the archive (archive/). */
  briefsBucket: 'NEWSBRIEF_BRIEFS_BUCKET',
  /** DynamoDB table of subscribers (pk list, sk normalized email). */
  subscribersTable: 'NEWSBRIEF_SUBSCRIBERS_TABLE',
  /** DynamoDB table of the ledger (issues and deliveries). */
  ledgerTable: 'NEWSBRIEF_LEDGER_TABLE',
  /** SQS queue URL of plan pages (each message plans one page of subscribers and enqueues its continuation). */
  planQueueUrl: 'NEWSBRIEF_PLAN_QUEUE_URL',
  /** SQS queue URL of send jobs (≤ 50 recipients each). */
  sendQueueUrl: 'NEWSBRIEF_SEND_QUEUE_URL',
  /** SES configuration set used for every send. */
  configurationSet: 'NEWSBRIEF_CONFIGURATION_SET',
  /** The SES configuration set of lists that track opens or clicks (send function). */
  trackedConfigurationSet: 'NEWSBRIEF_TRACKED_CONFIGURATION_SET',
  /** The SES configuration set of lists that track clicks but not opens: it publishes no OPEN, so SES adds no pixel (send function). */
  clicksOnlyConfigurationSet: 'NEWSBRIEF_CLICKS_ONLY_CONFIGURATION_SET',
  /** Optional override of the SES maximum send rate (messages per second, whole account). */
  maxSendRate: 'NEWSBRIEF_MAX_SEND_RATE',
  /** Reserved concurrency of the send function: the account rate is shared between this many workers. */
  sendConcurrency: 'NEWSBRIEF_SEND_CONCURRENCY',
  /** The lists configuration as JSON (the same document as config/lists.json): tests and runs without a lists table; a deployed stack sets listsTable instead. */
  listsJson: 'NEWSBRIEF_LISTS_JSON',
  /** DynamoDB table of the lists (pk `id`, the list as JSON in `document`); read through a cache (src/config/list-directory.ts). */
  listsTable: 'NEWSBRIEF_LISTS_TABLE',
  /** Optional: seconds a function keeps the lists it read (default 30, see LIST_CACHE_TTL_MS). */
  listsCacheSeconds: 'NEWSBRIEF_LISTS_CACHE_SECONDS',
  /** This deployment's unsubscribe endpoint: the unsubscribeBaseUrl of every list that sets none. */
  unsubscribeUrl: 'NEWSBRIEF_UNSUBSCRIBE_URL',
  /** This deployment's web archive: the archiveBaseUrl of every list that sets none. */
  archiveUrl: 'NEWSBRIEF_ARCHIVE_URL',
  /** Optional: where confirmation links point (a custom domain); the subscribe endpoint's own /confirm when unset. */
  confirmUrl: 'NEWSBRIEF_CONFIRM_URL',
  /** The mailbox that receives mail unsubscribes (an SES receipt rule); unset = messages carry no `mailto:` unsubscribe. */
  unsubscribeMailbox: 'NEWSBRIEF_UNSUBSCRIBE_MAILBOX',
  /** Secrets Manager ARN of the token signing keyring: JSON { "current": "<kid>", "<kid>": "<secret>", … } (old kids stay to verify old links). */
  keysSecretArn: 'NEWSBRIEF_KEYS_SECRET_ARN',
  /** Local path of the token signing keyring (local mode and CLI). */
  keysFile: 'NEWSBRIEF_KEYS_FILE',
  /** EventBridge Scheduler group of the one-time schedules that start scheduled issues. */
  scheduleGroup: 'NEWSBRIEF_SCHEDULE_GROUP',
  /** ARN of the function a schedule invokes to start its issue. */
  startFunctionArn: 'NEWSBRIEF_START_FUNCTION_ARN',
  /** ARN of the role EventBridge Scheduler assumes to invoke the start function. */
  schedulerRoleArn: 'NEWSBRIEF_SCHEDULER_ROLE_ARN',
  /** ARN of the queue that keeps scheduled starts Scheduler could not deliver. */
  scheduleDeadLetterArn: 'NEWSBRIEF_SCHEDULE_DEAD_LETTER_ARN',
  /** SNS topic ARN that SES feedback (bounces, complaints, deliveries, rejects) arrives on; others are ignored. */
  feedbackTopicArn: 'NEWSBRIEF_FEEDBACK_TOPIC_ARN',
  /** Circuit breaker: permanent bounces per message sent above which an issue stops (default 0.05; lists may override). */
  maxBounceRate: 'NEWSBRIEF_MAX_BOUNCE_RATE',
  /** Circuit breaker: complaints per message sent above which an issue stops (default 0.001; lists may override). */
  maxComplaintRate: 'NEWSBRIEF_MAX_COMPLAINT_RATE',
  /** Circuit breaker: messages sent before the bounce rate counts (default 200; lists may override). */
  breakerMinSample: 'NEWSBRIEF_BREAKER_MIN_SAMPLE',
  /** Circuit breaker: messages sent before the complaint rate counts (default 1000; lists may override). */
  breakerMinComplaintSample: 'NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE',
  /** Circuit breaker: complaints above which an issue stops before the complaint rate counts (default 10; lists may override). */
  maxComplaints: 'NEWSBRIEF_MAX_COMPLAINTS',
  /** Subscribe form: confirmation mails per list per hour (default 100); more posts get the same answer and no mail. */
  confirmationsPerListHour: 'NEWSBRIEF_CONFIRMATIONS_PER_LIST_HOUR',
  /** Subscribe form: confirmation mails per hour, all lists together (default 500). */
  confirmationsPerHour: 'NEWSBRIEF_CONFIRMATIONS_PER_HOUR',
  /** Local mode: send through this SES endpoint (a shared emulator, a proxy) instead of an embedded emulator. */
  sesEndpoint: 'NEWSBRIEF_SES_ENDPOINT',
  /** How long (seconds) a send without an answer waits for SES's Send event before it is sent again (default 120 on AWS, 0 locally). */
  unknownGraceSeconds: 'NEWSBRIEF_UNKNOWN_GRACE_SECONDS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
