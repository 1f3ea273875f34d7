/** The configuration set every message is sent with, and an enabled event destination for bounces and complaints. */
import { type Finding, finding } from './finding.js';
import type { ConfigurationSetFacts } from './sender-account.js';

/** Feedback the pipeline cannot do without: bounces and complaints suppress addresses and feed the circuit breaker. */
export const REQUIRED_EVENT_TYPES = ['bounce', 'complaint'] as const;

/** One finding for the set, one for its event destination; `name` undefined: nobody said which set (not checked). */
export function checkConfigurationSet(name: string | undefined, facts: ConfigurationSetFacts | undefined, region: string): Finding[] {
  if (name === undefined) {
    return [
      finding(
        'configuration-set',
        'warn',
        'Configuration set not checked: no stack or --configuration-set given.',
        'run `newsbrief doctor --stack <stack name>` (output ConfigurationSetName), or pass --configuration-set NAME.',
      ),
    ];
  }
  if (!facts) {
    return [
      finding(
        'configuration-set',
        'fail',
        `SES in ${region} has no configuration set ${name}: every send would fail with ConfigurationSetDoesNotExist.`,
        `deploy the stack (\`npx cdk deploy\`) in ${region}, or check --region and the stack output ConfigurationSetName.`,
      ),
    ];
  }
  const set = finding('configuration-set', 'ok', `Configuration set ${name} exists.`);
  const feeding = facts.eventDestinations.filter((d) => d.enabled && REQUIRED_EVENT_TYPES.every((t) => d.eventTypes.includes(t)));
  if (feeding.length > 0) {
    const d = feeding[0]!;
    return [set, finding('event-destination', 'ok', `Event destination ${d.name} (${d.kind}) receives ${d.eventTypes.join(', ')}.`)];
  }
  const seen = facts.eventDestinations.map(
    (d) => `${d.name} (${d.enabled ? 'enabled' : 'disabled'}: ${d.eventTypes.join(', ') || 'no events'})`,
  );
  return [
    set,
    finding(
      'event-destination',
      'fail',
      `No enabled event destination of ${name} receives bounces and complaints${seen.length ? `; found ${seen.join(', ')}` : ''}: bounced and complaining addresses would be mailed again.`,
      `deploy the stack again (it adds the SNS destination feeding the feedback function), or in the console: Amazon SES → Configuration sets → ${name} → Event destinations → enable bounce and complaint events to the stack's FeedbackTopicArn.`,
    ),
  ];
}
