import { composeReaderMessage } from '../../../src/deliver/reader-message.js';
import { describe, expect, it } from 'vitest';
import { configurationSetFor } from '../../../src/adapters/aws/ses-mailer.js';
import { parseKeyring } from '../../../src/deliver/tokens.js';
import { LISTS, renderedFixture } from '../../support/fixtures.js';

const SETS = { plain: 'plain', tracked: 'tracked', clicksOnly: 'clicks-only' };

/** The message composed for a list that tracks `tracking`, of an issue rendered for tracking when `rendered`. */
async function messageFor(tracking: { opens: boolean; clicks: boolean } | undefined, rendered: boolean) {
  const fixture = renderedFixture('oracle-tiktok');
  const issue = rendered ? { ...fixture, links: [{ position: 1, url: 'https://example.org/', text: 'A' }] } : fixture;
  const list = { ...LISTS.lists.get(fixture.list)!, ...(tracking ? { tracking } : {}) };
  const recipient = { id: 'sub-7', email: 'ada@example.com' };
  const keyring = parseKeyring({ current: 'k1', k1: 'z'.repeat(48) });
  return composeReaderMessage({ issue, list, recipient, keyring, date: new Date('2026-11-30T07:00:00Z') });
}

describe('the configuration set of a message', () => {
  it('sends a clicks-only list with the set that publishes no opens (no pixel), an opens list with the tracked set', async () => {
    expect(configurationSetFor(await messageFor({ opens: false, clicks: true }, true), SETS)).toBe('clicks-only');
    // An issue rendered for tracking, sent after its list stopped tracking: no pixel for a list that tracks no opens now.
    expect(configurationSetFor(await messageFor(undefined, true), SETS)).toBe('clicks-only');
    expect(configurationSetFor(await messageFor({ opens: true, clicks: true }, true), SETS)).toBe('tracked');
    expect(configurationSetFor(await messageFor({ opens: true, clicks: false }, true), SETS)).toBe('tracked');
  });

  it('sends an issue not rendered for tracking (an untracked list, a proof) with the plain set', async () => {
    expect(configurationSetFor(await messageFor(undefined, false), SETS)).toBe('plain');
    expect(configurationSetFor(await messageFor({ opens: false, clicks: true }, false), SETS)).toBe('plain');
  });

  it('falls back to the tracked set, then the plain one, when a deployment lacks the set asked for', () => {
    expect(configurationSetFor({ tracked: true, clicksOnly: true }, { plain: 'plain', tracked: 'tracked' })).toBe('tracked');
    expect(configurationSetFor({ tracked: true, clicksOnly: true }, { plain: 'plain' })).toBe('plain');
    expect(configurationSetFor({ tracked: true }, { plain: undefined })).toBeUndefined();
  });
});
