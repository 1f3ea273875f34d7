import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';
import type { OutboundMessage } from '../../../src/deliver/compose-message.js';
import type { FeedbackDeps } from '../../../src/feedback/apply-feedback.js';
import { DeliveryEventsMailer } from '../../../src/local-mode/delivery-events-mailer.js';
import type { Mailer } from '../../../src/ports.js';
import { FakeClock, testLists } from '../../support/fakes.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };
const AT = '2026-03-01T00:00:00Z';

function messageTo(email: string, subscriber: string): OutboundMessage {
  return {
    from: 'weekly@news.example.com',
    to: email,
    messageId: `<${subscriber}@news.example.com>`,
    raw: Buffer.from('Subject: x\r\n\r\nbody'),
    tags: { list: ISSUE.list, issue: ISSUE.id, delivery: subscriber },
  };
}

describe('local delivery events', () => {
  let ledger: MemoryLedger;
  let deps: FeedbackDeps;
  let accepted: number;
  const emulator: Mailer = {
    send: async () => ({ messageId: `local-${++accepted}` }),
  };

  beforeEach(async () => {
    ledger = new MemoryLedger();
    accepted = 0;
    deps = {
      subscribers: new MemorySubscriberStore(),
      ledger,
      feedback: ledger,
      lists: testLists,
      clock: new FakeClock(),
      breaker: DEFAULT_BREAKER_POLICY,
      confirmations: ledger,
    };
    await ledger.claimIssue(ISSUE, { renderedKey: 'r', source: 's', at: AT });
  });

  it('counts every message the embedded SES took as delivered, once each, without settling its claim', async () => {
    const mailer = new DeliveryEventsMailer(emulator, deps);
    const claim = await ledger.claimDelivery(ISSUE, 'sub-1', {
      at: AT,
      nowMs: Date.parse(AT),
      holder: 'test',
      until: Date.parse(AT) + 60_000,
    });
    expect(claim.state).toBe('claimed');
    await mailer.send(messageTo('ada@example.org', 'sub-1'));
    await mailer.send(messageTo('bo@example.org', 'sub-2'));
    expect((await ledger.issueHealth(ISSUE)).counts.delivered).toBe(2);
    // The send job records the emulator's answer itself: the event must not have done it first.
    expect((await ledger.deliveryStates(ISSUE, ['sub-1'])).get('sub-1')).toBe('claimed');
  });

  it('counts nothing for a message SES refused, and never fails a send that SES took', async () => {
    const refusing = new DeliveryEventsMailer({ send: async () => Promise.reject(new Error('refused')) }, deps);
    await expect(refusing.send(messageTo('ada@example.org', 'sub-1'))).rejects.toThrow('refused');
    expect((await ledger.issueHealth(ISSUE)).counts.delivered).toBe(0);

    const reported: Error[] = [];
    const full = new MemoryLedger();
    full.countFeedbackOnce = () => Promise.reject(new Error('disk full'));
    const broken: FeedbackDeps = { ...deps, feedback: full };
    const mailer = new DeliveryEventsMailer(emulator, broken, (error) => reported.push(error));
    await expect(mailer.send(messageTo('ada@example.org', 'sub-1'))).resolves.toEqual({ messageId: 'local-1' });
    expect(reported.map((e) => e.message)).toEqual(['disk full']);
  });
});
