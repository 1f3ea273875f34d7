/** The studio's confirm step, pure: the question it asks and the check of what was confirmed. */
import { describe, expect, it } from 'vitest';
import {
  checkConfirmation,
  confirmationFields,
  confirmationQuestion,
  describeStartTime,
  type SendConfirmation,
} from '../../../src/studio/send-confirmation.js';

const now: SendConfirmation = { list: 'weekly', listName: 'Weekly', recipients: 1234, start: 'now' };
const later: SendConfirmation = { ...now, start: '2026-12-24T07:00:00Z' };
const form = (c: SendConfirmation) => new URLSearchParams(confirmationFields(c)).toString();

describe('the confirm step before a send', () => {
  it('asks with the list’s name and how many subscribers get it', () => {
    expect(confirmationQuestion(now)).toBe('Send to 1,234 subscribers of Weekly?');
    expect(confirmationQuestion({ ...now, recipients: 1 })).toBe('Send to 1 subscriber of Weekly?');
    expect(confirmationQuestion(later)).toBe('Schedule for 1,234 subscribers of Weekly, to go out at 2026-12-24 07:00 UTC?');
  });

  it('shows a scheduled time in UTC and in a local time zone', () => {
    // The local part's punctuation is ICU's (it differs between Node versions); the day, hour and zone are ours.
    const berlin = describeStartTime('2026-12-24T07:00:00Z', 'Europe/Berlin');
    expect(berlin).toMatchObject({ iso: '2026-12-24T07:00:00Z', utc: '2026-12-24 07:00 UTC' });
    expect(berlin.local).toMatch(/^Thu,? 24 Dec 2026,? 08:00 Europe\/Berlin$/);
    const tokyo = describeStartTime('2026-07-01T23:30:15Z', 'Asia/Tokyo');
    expect(tokyo.utc).toBe('2026-07-01 23:30:15 UTC');
    expect(tokyo.local).toMatch(/^Thu,? 2 Jul 2026,? 08:30 Asia\/Tokyo$/);
  });

  it('lets through exactly what was confirmed', () => {
    expect(checkConfirmation(now, form(now))).toBeUndefined();
    expect(checkConfirmation(later, form(later))).toBeUndefined();
  });

  it('refuses an unconfirmed send with 428, quoting the question', () => {
    const refusal = checkConfirmation(now, '');
    expect(refusal).toMatchObject({ status: 428 });
    expect(refusal!.message).toContain('Send to 1,234 subscribers of Weekly?');
  });

  it('refuses a stale confirmation with 409: the list grew, the time passed, or the list changed', () => {
    expect(checkConfirmation({ ...now, recipients: 1240 }, form(now))?.message).toMatch(
      /1,240 subscribers of Weekly would get it now, not 1234/,
    );
    expect(checkConfirmation(now, form(later))?.message).toMatch(/send time changed.*it would go out at once/);
    expect(checkConfirmation(later, form(now))?.message).toMatch(/scheduled for 2026-12-24 07:00 UTC/);
    expect(checkConfirmation({ ...now, list: 'daily', listName: 'Daily' }, form(now))).toMatchObject({ status: 409 });
  });
});
