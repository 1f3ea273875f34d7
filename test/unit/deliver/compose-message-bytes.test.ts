/**
 * composeMessage frames the parts itself (no MailComposer streams): for every fixture brief and readers
 * with ASCII, non-ASCII, long and missing names, its bytes must equal MailComposer's own build() of the
 * same message, with the boundary, Message-ID and date fixed.
 */
import { describe, expect, it } from 'vitest';
import { composeMessage, composeMessageWithMailComposer, type ComposeInput } from '../../../src/deliver/compose-message.js';
import { personalize, unsubscribeLinks } from '../../../src/deliver/personalize.js';
import { parseKeyring } from '../../../src/deliver/tokens.js';
import { exampleFiles, LISTS, renderedFixture } from '../../support/fixtures.js';

const keyring = parseKeyring({ current: 'k1', k1: 'z'.repeat(48) });
const date = new Date('2026-11-30T07:00:00Z');
const readers = [
  { id: 'sub-ascii', email: 'ada@example.com', firstName: 'Ada' },
  { id: 'sub-utf8', email: 'zoe@example.org', firstName: 'Zoë 山田 «ذكي»' },
  { id: 'sub-none', email: 'anon+tag@example.net' },
  { id: 'sub-long', email: 'long.address.of.a.reader@sub.domain.example.com', firstName: `Bartholomew ${'Q'.repeat(90)} "the quoted"` },
];

describe('composeMessage bytes', () => {
  it.each(exampleFiles('valid'))('%s: equal to MailComposer byte for byte, for every kind of reader', async (file) => {
    // The issue as the renderer makes it (test/fixtures/rendered): this test is about the message's bytes.
    const issue = renderedFixture(file.replace(/\.json$/, ''));
    const list = LISTS.lists.get(issue.list)!;
    for (const recipient of readers) {
      const links = unsubscribeLinks(list, recipient, keyring);
      const input: ComposeInput = {
        issue,
        list,
        recipient,
        content: personalize(issue, recipient, links.url),
        unsubscribe: links,
        date,
        baseBoundary: 'fixedboundary01',
      };
      const [ours, reference] = await Promise.all([composeMessage(input), composeMessageWithMailComposer(input)]);
      expect(ours.raw.toString('utf8')).toBe(reference.raw.toString('utf8'));
      expect(ours.raw.equals(reference.raw)).toBe(true);
      expect(ours.messageId).toBe(reference.messageId);
    }
  });
});
