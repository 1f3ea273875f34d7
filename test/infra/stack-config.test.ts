import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK_CONFIG, loadStackConfig, sendBatchSizeFor, StackConfigError } from '../../lib/stack-config.js';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('loadStackConfig', () => {
  it('applies the defaults when no context is set', () => {
    expect(loadStackConfig(from({}))).toEqual({
      senderDomain: DEFAULT_STACK_CONFIG.senderDomain,
      listsFile: DEFAULT_STACK_CONFIG.listsFile,
      sendConcurrency: 10,
      sendBatchSize: 1,
    });
  });

  it('accepts -c strings and cdk.json numbers alike', () => {
    const config = loadStackConfig(
      from({ senderDomain: 'Mail.Example.org', listsFile: 'ops/lists.json', maxSendRate: '14', sendConcurrency: 7, alarmEmail: 'ops@example.org' }),
    );
    expect(config).toEqual({
      senderDomain: 'mail.example.org',
      listsFile: 'ops/lists.json',
      maxSendRate: 14,
      sendConcurrency: 7,
      sendBatchSize: 1,
      alarmEmail: 'ops@example.org',
    });
  });

  it('treats empty strings as unset', () => {
    expect(loadStackConfig(from({ maxSendRate: '', alarmEmail: ' ' }))).not.toHaveProperty('maxSendRate');
  });

  it.each([
    [{ senderDomain: 'not a domain' }, /^Context "senderDomain" is "not a domain"; expected a domain name/],
    [{ maxSendRate: 'fast' }, /^Context "maxSendRate" is "fast"; expected a positive number/],
    [{ maxSendRate: '0' }, /^Context "maxSendRate" is 0; expected a positive number/],
    [{ sendConcurrency: '1' }, /^Context "sendConcurrency" is 1; expected a whole number from 2 to 1000/],
    [{ sendConcurrency: '2.5' }, /^Context "sendConcurrency" is 2.5; expected a whole number from 2 to 1000/],
    [{ alarmEmail: 'ops' }, /^Context "alarmEmail" is "ops"; expected an e-mail address/],
    [{ listsFile: 42 }, /^Context "listsFile" is 42; expected a string/],
    [{ maxSendRate: '5', sendConcurrency: '10' }, /^Context "sendConcurrency" \(10\) must not exceed "maxSendRate" \(5\)/],
  ])('refuses %j with one line naming the key', (context, message) => {
    const attempt = () => loadStackConfig(from(context));
    expect(attempt).toThrow(StackConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it.each([
    [undefined, 10, 1],
    [14, 7, 1],
    [200, 10, 10],
    [100, 10, 8],
    [1000, 10, 10],
  ])('takes as many send jobs per invocation as a worker finishes in time: rate %s, %i workers → %i', (maxSendRate, sendConcurrency, batch) => {
    expect(sendBatchSizeFor(maxSendRate, sendConcurrency)).toBe(batch);
  });
});
