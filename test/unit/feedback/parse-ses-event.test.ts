import { describe, expect, it } from 'vitest';
import { parseSesEvent } from '../../../src/feedback/parse-ses-event.js';
import { sesEventsFromSns } from '../../../src/feedback/sns-records.js';
import { sesFixture, snsEvent } from '../../support/ses-events.js';

describe('parseSesEvent', () => {
  it('reads a permanent bounce with several recipients, normalized, with the issue from the tags', () => {
    const parsed = parseSesEvent(JSON.stringify(sesFixture('bounce-permanent')));
    expect(parsed).toEqual({
      ok: true,
      feedback: {
        kind: 'bounce-permanent',
        messageId: '0100017d-msg-bounce-perm',
        recipients: ['gone@example.org', 'alsogone@example.org'],
        list: 'weekly',
        issue: { list: 'weekly', id: '2026-03-02' },
      },
    });
  });

  it('reads a transient bounce in the notification shape (notificationType)', () => {
    const parsed = parseSesEvent(sesFixture('bounce-transient'));
    expect(parsed.ok && parsed.feedback.kind).toBe('bounce-transient');
    expect(parsed.ok && parsed.feedback.recipients).toEqual(['full@example.org']);
  });

  it('treats an undetermined bounce as transient: nobody is suppressed on a guess', () => {
    const event = sesFixture('bounce-permanent');
    event.bounce.bounceType = 'Undetermined';
    const parsed = parseSesEvent(event);
    expect(parsed.ok && parsed.feedback.kind).toBe('bounce-transient');
  });

  it('reads a complaint and a delivery', () => {
    const complaint = parseSesEvent(sesFixture('complaint'));
    const delivery = parseSesEvent(sesFixture('delivery'));
    expect(complaint.ok && [complaint.feedback.kind, complaint.feedback.recipients]).toEqual(['complaint', ['angry@example.org']]);
    expect(delivery.ok && [delivery.feedback.kind, delivery.feedback.recipients]).toEqual(['delivery', ['happy@example.org']]);
  });

  it('reads a reject from the mail destination', () => {
    const parsed = parseSesEvent({
      eventType: 'Reject',
      reject: { reason: 'Bad content' },
      mail: { messageId: 'm-1', destination: ['x@example.org'], tags: { list: ['weekly'] } },
    });
    expect(parsed.ok && parsed.feedback).toEqual({
      kind: 'reject',
      messageId: 'm-1',
      recipients: ['x@example.org'],
      list: 'weekly',
      issue: undefined,
    });
  });

  it('has no list or issue without tags (identity notifications)', () => {
    const parsed = parseSesEvent(sesFixture('complaint-untagged'));
    expect(parsed.ok && [parsed.feedback.list, parsed.feedback.issue]).toEqual([undefined, undefined]);
  });

  it('tolerates unknown fields and ignores event types it does not use, without throwing', () => {
    expect(parseSesEvent({ ...sesFixture('delivery'), brandNew: [1, 2] }).ok).toBe(true);
    // Opens and clicks are read since issue 12 (test/unit/engagement); rendering failures are not.
    expect(parseSesEvent({ eventType: 'Rendering Failure', mail: { messageId: 'm' }, failure: {} })).toEqual({
      ok: false,
      ignored: 'event type Rendering Failure is not used',
    });
    expect(parseSesEvent({ eventType: 'Open', mail: { messageId: 'm' }, open: {} })).toEqual({
      ok: false,
      ignored: 'Open without a timestamp',
    });
    expect(parseSesEvent('{not json')).toEqual({ ok: false, ignored: 'not JSON' });
    expect(parseSesEvent({ eventType: 'Bounce', bounce: { bounceType: 'Permanent' }, mail: {} })).toEqual({
      ok: false,
      ignored: 'Bounce without mail.messageId',
    });
    expect(
      parseSesEvent({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{}] }, mail: { messageId: 'm' } }),
    ).toEqual({
      ok: false,
      ignored: 'Bounce names no recipient',
    });
  });
});

describe('sesEventsFromSns', () => {
  const topic = 'arn:aws:sns:us-east-1:123456789012:newsbrief-feedback';

  it('reads every record of the configured topic and ignores a foreign topic', () => {
    const ours = snsEvent(topic, sesFixture('complaint'), sesFixture('delivery'));
    const foreign = snsEvent('arn:aws:sns:us-east-1:999999999999:someone-else', sesFixture('complaint'));
    const records = sesEventsFromSns({ Records: [...ours.Records, ...foreign.Records] }, topic);
    expect(records.map((r) => r.ok)).toEqual([true, true, false]);
    expect(records[2]).toMatchObject({ ok: false, ignored: expect.stringContaining('foreign topic') });
  });
});
