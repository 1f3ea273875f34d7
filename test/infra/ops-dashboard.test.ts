/** The operations dashboard: each widget graphs the metrics it names, of the stack's own queues and functions. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_POLICY } from '../../src/config/breaker-policy.js';
import { METRIC, METRICS_NAMESPACE } from '../../src/config/metric-names.js';
import { baseId } from './function-grants.js';
import { synthTemplate } from './synth-stack.js';

type Json = Record<string, any>;

// The dashboard body is an Fn::Join of JSON text and tokens; tokens become `<QueueBaseId.QueueName>`-style text.
function dashboardBody(template: Json): { widgets: Json[] } {
  const dashboards = Object.values(template.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0]!.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[])
          .map((part) => {
            if (typeof part === 'string') return part;
            const p = part as Json;
            if (p.Ref) return `<${String(p.Ref).startsWith('AWS::') ? p.Ref : baseId(p.Ref)}>`;
            if (p['Fn::GetAtt']) return `<${baseId(p['Fn::GetAtt'][0])}.${p['Fn::GetAtt'][1]}>`;
            return '<?>';
          })
          .join('');
  return JSON.parse(text);
}

const template = synthTemplate({ maxSendRate: '14' }).toJSON() as Json;
const { widgets } = dashboardBody(template);
const widget = (title: RegExp) => {
  const found = widgets.find((w) => title.test(w.properties?.title ?? ''));
  if (!found) throw new Error(`no widget titled ${title}`);
  return found.properties as Json;
};
/** Every metric line of a widget as `Namespace MetricName dim=value …` (math expressions by their expression). */
const linesOf = (properties: Json): string[] =>
  (properties.metrics as unknown[][]).map((row) => {
    const options = (typeof row[row.length - 1] === 'object' ? row[row.length - 1] : {}) as Json;
    if (options.expression) return `expr ${options.expression}`;
    const fields = row.filter((f) => typeof f === 'string') as string[];
    const [namespace, name, ...dims] = fields[0] === '.' ? fields : fields;
    const pairs: string[] = [];
    for (let i = 0; i < dims.length; i += 2) pairs.push(`${dims[i]}=${dims[i + 1]}`);
    return [namespace, name, ...pairs].join(' ');
  });
const resources = template.Resources as Record<string, Json>;
const idsOf = (type: string, pattern: RegExp) =>
  Object.entries(resources)
    .filter(([id, r]) => r.Type === type && pattern.test(id))
    .map(([id]) => baseId(id));

describe('operations dashboard', () => {
  it('graphs sends per second (ours and the account’s) against the SES rate from maxSendRate', () => {
    const sends = widget(/^Sends per second/);
    const lines = linesOf(sends);
    expect(lines).toEqual(
      expect.arrayContaining([
        `${METRICS_NAMESPACE} ${METRIC.sent} service=newsbrief`,
        'AWS/SES Send',
        'expr sent / PERIOD(sent)',
        'expr ses / PERIOD(ses)',
      ]),
    );
    expect(sends.annotations.horizontal).toEqual([expect.objectContaining({ value: 14, yAxis: 'left' })]);
  });

  it('leaves the quota line out when the rate is read from SES at run time', () => {
    const { widgets: plain } = dashboardBody(synthTemplate().toJSON() as Json);
    const sends = plain.find((w) => /^Sends per second/.test(w.properties?.title ?? ''))!.properties;
    expect(sends.annotations?.horizontal ?? []).toEqual([]);
  });

  it('graphs depth and age of the oldest message of the plan and send queues', () => {
    const lines = linesOf(widget(/^Queue depth/));
    for (const queue of ['PipelinePlanQueue', 'PipelineSendQueue']) {
      expect(lines).toContain(`AWS/SQS ApproximateNumberOfMessagesVisible QueueName=<${queue}.QueueName>`);
      expect(lines).toContain(`AWS/SQS ApproximateAgeOfOldestMessage QueueName=<${queue}.QueueName>`);
    }
  });

  it('counts issues in flight by the plan queue’s messages, beside issues accepted, paused and stopped', () => {
    const lines = linesOf(widget(/^Issues in flight/));
    expect(lines).toContain('expr visible + inflight');
    for (const name of [METRIC.briefsAccepted, METRIC.issuesPaused, METRIC.breakerTripped])
      expect(lines).toContain(`${METRICS_NAMESPACE} ${name} service=newsbrief`);
  });

  it('draws the bounce and complaint rates against the breaker’s limits', () => {
    const rates = widget(/^Bounce and complaint rates/);
    expect(linesOf(rates)).toEqual(['AWS/SES Reputation.BounceRate', 'AWS/SES Reputation.ComplaintRate']);
    expect(rates.annotations.horizontal).toEqual([
      expect.objectContaining({ value: DEFAULT_BREAKER_POLICY.maxBounceRate, yAxis: 'left' }),
      expect.objectContaining({ value: DEFAULT_BREAKER_POLICY.maxComplaintRate, yAxis: 'right' }),
    ]);
  });

  it('graphs every dead-letter queue of the stack', () => {
    const lines = linesOf(widget(/^Dead-letter queues/));
    const deadLetterQueues = idsOf('AWS::SQS::Queue', /DeadLetter/);
    expect(deadLetterQueues.length).toBeGreaterThanOrEqual(6);
    expect(lines.sort()).toEqual(
      deadLetterQueues.map((id) => `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=<${id}.QueueName>`).sort(),
    );
  });

  it('graphs errors and throttles of every newsbrief function', () => {
    const functions = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Description ?? '').startsWith('newsbrief'))
      .map(([id]) => baseId(id));
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [title, metric] of [
      [/^Function errors/, 'Errors'],
      [/^Function throttles/, 'Throttles'],
    ] as const)
      expect(linesOf(widget(title)).sort()).toEqual(functions.map((id) => `AWS/Lambda ${metric} FunctionName=<${id}>`).sort());
  });

  it('names only metrics the handlers emit in its own namespace', () => {
    const custom = widgets
      .filter((w) => w.properties?.metrics)
      .flatMap((w) => linesOf(w.properties))
      .filter((line) => line.startsWith(`${METRICS_NAMESPACE} `))
      .map((line) => line.split(' ')[1]);
    expect(custom.length).toBeGreaterThan(3);
    expect(custom.filter((name) => !(Object.values(METRIC) as string[]).includes(name!))).toEqual([]);
  });

  it('shows every alarm, and its URL is a stack output', () => {
    const status = widgets.find((w) => w.type === 'alarm')!.properties;
    expect(status.alarms).toHaveLength(idsOf('AWS::CloudWatch::Alarm', /./).length);
    expect(JSON.stringify(template.Outputs.DashboardUrl.Value)).toContain('#dashboards/dashboard/');
  });
});
