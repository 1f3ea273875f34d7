import { describe, expect, it } from 'vitest';
import { checkConfigurationSet } from '../../../src/doctor/configuration-set-check.js';

const destination = { name: 'feedback', enabled: true, eventTypes: ['send', 'bounce', 'complaint', 'delivery'], kind: 'sns' };

describe('checkConfigurationSet', () => {
  it('is ok with an enabled destination for bounces and complaints', () => {
    expect(checkConfigurationSet('nb', { name: 'nb', eventDestinations: [destination] }, 'us-east-1').map((f) => f.status)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it('fails a missing set', () => {
    const [f] = checkConfigurationSet('nb', undefined, 'us-east-1');
    expect(f).toMatchObject({ check: 'configuration-set', status: 'fail', fix: expect.stringContaining('cdk deploy') });
  });

  it('fails a set whose only destination is disabled or misses complaints', () => {
    const disabled = checkConfigurationSet('nb', { name: 'nb', eventDestinations: [{ ...destination, enabled: false }] }, 'us-east-1');
    expect(disabled[1]).toMatchObject({
      check: 'event-destination',
      status: 'fail',
      summary: expect.stringContaining('feedback (disabled'),
    });
    const partial = checkConfigurationSet(
      'nb',
      { name: 'nb', eventDestinations: [{ ...destination, eventTypes: ['bounce'] }] },
      'us-east-1',
    );
    expect(partial[1]?.status).toBe('fail');
  });

  it('warns that it did not check without a name', () => {
    expect(checkConfigurationSet(undefined, undefined, 'us-east-1')).toEqual([expect.objectContaining({ status: 'warn' })]);
  });
});
