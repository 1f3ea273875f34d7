import { describe, expect, it } from 'vitest';
import { transition, type SubscriberEvent } from '../../../src/subscribers/status-transitions.js';
import type { SubscriberStatus } from '../../../src/model.js';

type Row = [SubscriberStatus | undefined, SubscriberEvent, SubscriberStatus | undefined, 'mail' | 'refused' | ''];

// Every status × every event: the status afterwards, and whether a confirmation mail goes out or the event is refused.
const TABLE: Row[] = [
  [undefined, 'import', 'subscribed', ''],
  [undefined, 'subscribe-request', 'pending', 'mail'],
  [undefined, 'confirm', undefined, ''],
  [undefined, 'unsubscribe', undefined, ''],
  [undefined, 'bounce-permanent', undefined, ''],
  [undefined, 'bounce-transient', undefined, ''],
  [undefined, 'complaint', undefined, ''],
  ['pending', 'import', 'subscribed', ''],
  ['pending', 'subscribe-request', 'pending', 'mail'],
  ['pending', 'confirm', 'subscribed', ''],
  ['pending', 'unsubscribe', 'unsubscribed', ''],
  ['pending', 'bounce-permanent', 'bounced', ''],
  ['pending', 'bounce-transient', 'pending', ''],
  ['pending', 'complaint', 'complained', ''],
  ['subscribed', 'import', 'subscribed', ''],
  ['subscribed', 'subscribe-request', 'subscribed', ''],
  ['subscribed', 'confirm', 'subscribed', ''],
  ['subscribed', 'unsubscribe', 'unsubscribed', ''],
  ['subscribed', 'bounce-permanent', 'bounced', ''],
  ['subscribed', 'bounce-transient', 'subscribed', ''],
  ['subscribed', 'complaint', 'complained', ''],
  ['unsubscribed', 'import', 'unsubscribed', 'refused'],
  ['unsubscribed', 'subscribe-request', 'pending', 'mail'],
  ['unsubscribed', 'confirm', 'unsubscribed', ''],
  ['unsubscribed', 'unsubscribe', 'unsubscribed', ''],
  ['unsubscribed', 'bounce-permanent', 'bounced', ''],
  ['unsubscribed', 'bounce-transient', 'unsubscribed', ''],
  ['unsubscribed', 'complaint', 'complained', ''],
  ['bounced', 'import', 'bounced', 'refused'],
  ['bounced', 'subscribe-request', 'bounced', 'refused'],
  ['bounced', 'confirm', 'bounced', ''],
  ['bounced', 'unsubscribe', 'bounced', ''],
  ['bounced', 'bounce-permanent', 'bounced', ''],
  ['bounced', 'bounce-transient', 'bounced', ''],
  ['bounced', 'complaint', 'complained', ''],
  ['complained', 'import', 'complained', 'refused'],
  ['complained', 'subscribe-request', 'complained', 'refused'],
  ['complained', 'confirm', 'complained', ''],
  ['complained', 'unsubscribe', 'complained', ''],
  ['complained', 'bounce-permanent', 'complained', ''],
  ['complained', 'bounce-transient', 'complained', ''],
  ['complained', 'complaint', 'complained', ''],
];

describe('subscriber status transitions', () => {
  it('covers every status × every event', () => expect(TABLE).toHaveLength(6 * 7));

  it.each(TABLE)('%s + %s → %s %s', (from, event, status, effect) => {
    const result = transition(from, event);
    expect(result.status).toBe(status);
    expect(result.sendConfirmation).toBe(effect === 'mail');
    expect(Boolean(result.refused)).toBe(effect === 'refused');
  });

  it('never un-suppresses: no event takes bounced or complained back to pending or subscribed', () => {
    for (const from of ['bounced', 'complained'] as const) {
      for (const event of [
        'import',
        'subscribe-request',
        'confirm',
        'unsubscribe',
        'bounce-permanent',
        'bounce-transient',
        'complaint',
      ] as const) {
        expect(['bounced', 'complained']).toContain(transition(from, event).status);
      }
    }
  });
});
