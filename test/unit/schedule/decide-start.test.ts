import { describe, expect, it } from 'vitest';
import { atExpression, decideStart, scheduleNameOf } from '../../../src/schedule/decide-start.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

describe('decideStart', () => {
  it.each([
    ['no sendAt', undefined, { kind: 'now' }],
    ['a sendAt in the past', '2026-03-01T07:00:00Z', { kind: 'now' }],
    ['a sendAt under a minute ahead', '2026-03-02T09:00:59Z', { kind: 'now' }],
    ['a sendAt a minute ahead', '2026-03-02T09:01:00Z', { kind: 'scheduled', at: '2026-03-02T09:01:00Z' }],
    ['a sendAt with an offset, in UTC', '2026-03-03T07:00:00+01:00', { kind: 'scheduled', at: '2026-03-03T06:00:00Z' }],
    ['fractions of a second, rounded up', '2026-03-03T06:00:00.250Z', { kind: 'scheduled', at: '2026-03-03T06:00:01Z' }],
  ])('%s', (_name, sendAt, expected) => {
    expect(decideStart(sendAt, NOW)).toEqual(expected);
  });
});

describe('atExpression', () => {
  it('is at(yyyy-mm-ddThh:mm:ss) in UTC', () => {
    expect(atExpression('2026-03-03T06:00:00Z')).toBe('at(2026-03-03T06:00:00)');
  });
});

describe('scheduleNameOf', () => {
  it('is readable for ordinary ids and stays within 64 allowed characters for long ones', () => {
    expect(scheduleNameOf({ list: 'weekly', id: 'issue-12' })).toBe('weekly.issue-12');
    const long = scheduleNameOf({ list: 'a'.repeat(80), id: 'b'.repeat(80) });
    expect(long).toMatch(/^[0-9A-Za-z._-]{1,64}$/);
    expect(long).not.toBe(scheduleNameOf({ list: 'a'.repeat(80), id: `${'b'.repeat(79)}c` }));
  });
});
