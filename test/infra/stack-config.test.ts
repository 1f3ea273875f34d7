import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STACK_CONFIG,
  LAMBDA_MB_PER_VCPU,
  loadStackConfig,
  SEND_CPU_MS_PER_MESSAGE,
  SEND_CPU_UTILIZATION,
  sendBatchSizeFor,
  sendFleetFor,
  sourceMapsFromContext,
  StackConfigError,
} from '../../lib/stack-config.js';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('loadStackConfig', () => {
  it('applies the defaults when no context is set', () => {
    expect(loadStackConfig(from({}))).toEqual({
      senderDomain: DEFAULT_STACK_CONFIG.senderDomain,
      listsFile: DEFAULT_STACK_CONFIG.listsFile,
      sendConcurrency: 10,
      sendBatchSize: 1,
      sendMemoryMb: 512,
    });
  });

  it('accepts -c strings and cdk.json numbers alike', () => {
    const config = loadStackConfig(
      from({
        senderDomain: 'Mail.Example.org',
        listsFile: 'ops/lists.json',
        maxSendRate: '14',
        sendConcurrency: 7,
        alarmEmail: 'ops@example.org',
      }),
    );
    expect(config).toEqual({
      senderDomain: 'mail.example.org',
      listsFile: 'ops/lists.json',
      maxSendRate: 14,
      sendConcurrency: 7,
      sendBatchSize: 1,
      sendMemoryMb: 512,
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
    [
      { maxSendRate: '5000', sendConcurrency: '10' },
      /^Context "sendConcurrency" \(10\) cannot reach "maxSendRate" \(5000\/s\): .* at least 50/,
    ],
    [
      { maxSendRate: '1000', sendMemory: '512' },
      /^Context "sendMemory" \(512 MB\) cannot reach "maxSendRate" \(1000\/s\) with 10 workers: each needs \d+ MB/,
    ],
    [{ sendMemory: '64' }, /^Context "sendMemory" is 64; expected a whole number of MB/],
    [{ sourceMaps: 'yes' }, /^Context "sourceMaps" is "yes"; expected true or false/],
  ])('refuses %j with one line naming the key', (context, message) => {
    const attempt = () => {
      sourceMapsFromContext(from(context));
      return loadStackConfig(from(context));
    };
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
    [200, 10, 16],
    [100, 10, 8],
    [1000, 10, 80],
    [100_000, 10, 100],
  ])(
    'takes as many send jobs per invocation as a worker finishes in time: rate %s, %i workers → %i',
    (maxSendRate, sendConcurrency, batch) => {
      expect(sendBatchSizeFor(maxSendRate, sendConcurrency)).toBe(batch);
    },
  );
});

describe('sendFleetFor', () => {
  it.each([14, 50, 200, 1000, 5000])(
    'sizes a fleet for %i/s whose workers together pace the whole quota, each within its CPU share',
    (rate) => {
      const fleet = sendFleetFor(rate);
      const perWorker = rate / fleet.sendConcurrency;
      expect(fleet.sendConcurrency).toBeGreaterThanOrEqual(2);
      expect(perWorker).toBeLessThanOrEqual(100);
      // CPU needed at that pace ÷ the CPU share Lambda gives the memory: within the planned utilization.
      expect((perWorker * SEND_CPU_MS_PER_MESSAGE) / 1000 / (fleet.sendMemoryMb / LAMBDA_MB_PER_VCPU)).toBeLessThanOrEqual(
        SEND_CPU_UTILIZATION,
      );
      expect(fleet.sendMemoryMb % 64).toBe(0);
      // An invocation's batch finishes inside its budget at the worker's pace.
      expect((fleet.sendBatchSize * 50) / perWorker).toBeLessThanOrEqual(40);
    },
  );

  it.each([
    [14, 2, 5, 512],
    [50, 2, 20, 512],
    [200, 2, 80, 1792],
    [1000, 10, 80, 1792],
    [5000, 50, 80, 1792],
  ])('%i/s → %i workers × batch %i, %i MB', (rate, workers, batch, memory) => {
    expect(sendFleetFor(rate)).toMatchObject({ sendConcurrency: workers, sendBatchSize: batch, sendMemoryMb: memory });
  });

  it('keeps an override that reaches the quota, and the defaults when the rate is read at run time', () => {
    expect(sendFleetFor(1000, { sendConcurrency: 20, sendMemoryMb: 2048 })).toMatchObject({ sendConcurrency: 20, sendMemoryMb: 2048 });
    expect(sendFleetFor(undefined)).toEqual({ sendConcurrency: 10, sendBatchSize: 1, sendMemoryMb: 512 });
  });

  it('source maps are off unless the context turns them on', () => {
    expect(sourceMapsFromContext(from({}))).toBe(false);
    expect(sourceMapsFromContext(from({ sourceMaps: 'true' }))).toBe(true);
    expect(sourceMapsFromContext(from({ sourceMaps: true }))).toBe(true);
  });
});

describe('the synthesized send function', () => {
  it('carries the fleet derived for the rate: memory, reserved concurrency, batch size, maximum concurrency, no source maps', async () => {
    const { synthTemplate } = await import('./synth-stack.js');
    const template = synthTemplate({ maxSendRate: 1000 }).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
    };
    const resources = Object.entries(template.Resources);
    const [sendId, send] = resources.find(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('newsbrief send:'),
    )!;
    const mapping = resources.find(
      ([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.FunctionName).includes(sendId),
    )![1];
    const fleet = sendFleetFor(1000);
    expect(send.Properties).toMatchObject({ MemorySize: fleet.sendMemoryMb, ReservedConcurrentExecutions: fleet.sendConcurrency });
    expect(mapping.Properties).toMatchObject({
      BatchSize: fleet.sendBatchSize,
      // Lambda refuses a batch above 10 without a batching window.
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: fleet.sendConcurrency },
    });
    expect(send.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
  }, 120_000);
});
