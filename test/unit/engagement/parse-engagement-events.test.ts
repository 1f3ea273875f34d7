import { describe, expect, it } from 'vitest';
import { parseSesEvent } from '../../../src/feedback/parse-ses-event.js';
import { isMachineClick, isMachineOpen } from '../../../src/engagement/machine-signals.js';
import { engagementFixture } from '../../support/engagement-events.js';

describe('parseSesEvent on SES Open and Click events', () => {
  it('reads a tagged Open: its issue, reader, times, and a human verdict, without the IP or user agent', () => {
    const parsed = parseSesEvent(JSON.stringify(engagementFixture('open')));
    expect(parsed).toEqual({
      ok: true,
      feedback: {
        kind: 'open',
        messageId: '0100017d-msg-open',
        recipients: ['happy@example.org'],
        list: 'weekly',
        issue: { list: 'weekly', id: '2026-03-02' },
        delivery: 'sub-happy-0001',
        engagement: { at: '2026-03-02T11:30:24.044Z', sentAt: '2026-03-02T09:00:00.000Z', machine: false },
      },
    });
    expect(JSON.stringify(parsed)).not.toMatch(/192\.0\.2\.1|iPhone/);
  });

  it('flags an Apple Mail Privacy Protection open (bare Mozilla/5.0 from 17.0.0.0/8) as a machine open', () => {
    const parsed = parseSesEvent(engagementFixture('open-apple-privacy'));
    expect(parsed.ok && parsed.feedback.engagement).toEqual({
      at: '2026-03-02T09:00:41.000Z',
      sentAt: '2026-03-02T09:00:00.000Z',
      machine: true,
    });
  });

  it('reads an Open without the configuration set tags as belonging to no issue', () => {
    const parsed = parseSesEvent(engagementFixture('open-untagged'));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.feedback.issue).toBeUndefined();
    expect(parsed.ok && parsed.feedback.kind).toBe('open');
  });

  it('reads a Click with its original link, ampersands and all', () => {
    const parsed = parseSesEvent(engagementFixture('click'));
    expect(parsed.ok && parsed.feedback.engagement).toEqual({
      at: '2026-03-02T11:31:02.570Z',
      sentAt: '2026-03-02T09:00:00.000Z',
      machine: false,
      link: 'https://example.com/story-one?utm_source=weekly&ref=1',
    });
  });

  it('flags a click 3 seconds after the send as a link scanner', () => {
    const parsed = parseSesEvent(engagementFixture('click-scanner'));
    expect(parsed.ok && parsed.feedback.engagement?.machine).toBe(true);
  });

  it('ignores a Click without a link and an Open without a timestamp', () => {
    const click = engagementFixture('click');
    delete click.click.link;
    expect(parseSesEvent(click)).toEqual({ ok: false, ignored: 'Click without a link' });
    const open = engagementFixture('open');
    open.open.timestamp = 'yesterday';
    expect(parseSesEvent(open)).toEqual({ ok: false, ignored: 'Open without a timestamp' });
  });
});

describe('machine signals', () => {
  it('tells Apple proxies and tools from mail clients', () => {
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0', ipAddress: '104.28.1.1' })).toBe(true);
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15', ipAddress: '17.1.2.3' })).toBe(true);
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0 (Windows NT 10.0) Thunderbird/115.0', ipAddress: '203.0.113.9' })).toBe(false);
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' })).toBe(
      false,
    );
  });

  it('flags a click by its timing or a scanner user agent', () => {
    const sent = Date.parse('2026-03-02T09:00:00Z');
    expect(isMachineClick({}, sent, sent + 9_999)).toBe(true);
    expect(isMachineClick({}, sent, sent + 10_000)).toBe(false);
    expect(isMachineClick({ userAgent: 'Mimecast URL Protect' }, sent, sent + 3_600_000)).toBe(true);
    expect(isMachineClick({ userAgent: 'python-requests/2.31' }, undefined, undefined)).toBe(true);
  });
});
