/**
 * Render-once economics: MJML latency (cold and warm), per-recipient personalization and MIME throughput,
 * and a full MJML render per recipient for comparison — all on the seed brief, in one process.
 */
import { performance } from 'node:perf_hooks';
import { loadListsFile, DEFAULT_LISTS_FILE } from '../src/adapters/local/files.js';
import { parseBrief } from '../src/brief/parse-brief.js';
import { readFileSync } from 'node:fs';
import type { Recipient } from '../src/model.js';
import { parseKeyring } from '../src/deliver/tokens.js';

export interface RenderBenchResult {
  readonly coldImportMs: number;
  readonly coldRenderMs: number;
  readonly warmRenderMedianMs: number;
  readonly htmlBytes: number;
  readonly personalizePerSecond: number;
  readonly mimePerSecond: number;
  readonly fullRenderPerSecond: number;
  readonly personalizeVsFullRender: number;
  /** Complete messages per second (MIME included) when MJML renders per recipient: what render-once saves, honestly. */
  readonly renderPerRecipientMessagesPerSecond: number;
  /** Complete messages per second of a conventional render-once sender: Handlebars over the same HTML, then MailComposer. */
  readonly handlebarsMailComposerPerSecond: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function recipients(count: number): Recipient[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `sub-${i.toString(36).padStart(8, '0')}`,
    email: `reader${i}@example.com`,
    firstName: i % 3 === 0 ? undefined : `Reader ${i}`,
  }));
}

/** Runs the render benchmark on the seed brief. */
export async function runRenderBench({
  personalizeCount = 50_000,
  mimeCount = 3_000,
  fullRenderCount = 60,
} = {}): Promise<RenderBenchResult> {
  const lists = loadListsFile(DEFAULT_LISTS_FILE);
  const seed = readFileSync(new URL('../test/fixtures/oracle-tiktok.brief.json', import.meta.url));
  const parsed = parseBrief(seed, { knownLists: [...lists.lists.keys()] });
  if (!parsed.ok) throw new Error('the seed brief no longer validates');
  // Give the seed a merge tag so that personalization does real substitution.
  const brief = {
    ...parsed.brief,
    stories: parsed.brief.stories.map((s, i) => (i === 0 ? { ...s, standfirst: `{{firstName|Hello}}: ${s.standfirst}` } : s)),
  };
  const list = lists.lists.get(brief.list)!;
  const keyring = parseKeyring({ current: 'bench', bench: 'b'.repeat(48) });

  let started = performance.now();
  const { renderIssue } = await import('../src/render/render-issue.js');
  const coldImportMs = performance.now() - started;
  started = performance.now();
  const issue = await renderIssue(brief, list);
  const coldRenderMs = performance.now() - started;

  const warm: number[] = [];
  for (let i = 0; i < 50; i++) {
    started = performance.now();
    await renderIssue(brief, list);
    warm.push(performance.now() - started);
  }

  const { personalize, unsubscribeLinks } = await import('../src/deliver/personalize.js');
  const { composeMessage } = await import('../src/deliver/compose-message.js');
  const readers = recipients(personalizeCount);
  let bytes = 0;
  started = performance.now();
  for (const reader of readers) {
    const content = personalize(issue, reader, unsubscribeLinks(list, reader, keyring).url);
    bytes += content.html.length + content.text.length + content.subject.length;
  }
  const personalizePerSecond = personalizeCount / ((performance.now() - started) / 1000);
  if (bytes === 0) throw new Error('personalization produced nothing');

  const date = new Date('2026-11-30T07:00:00Z');
  let rawBytes = 0;
  started = performance.now();
  for (const reader of readers.slice(0, mimeCount)) {
    const links = unsubscribeLinks(list, reader, keyring);
    const message = await composeMessage({
      issue,
      list,
      recipient: reader,
      content: personalize(issue, reader, links.url),
      unsubscribe: links,
      date,
    });
    rawBytes += message.raw.length;
  }
  const mimePerSecond = mimeCount / ((performance.now() - started) / 1000);
  if (rawBytes === 0) throw new Error('MIME produced nothing');

  // What render-per-recipient would cost: the brief with the reader's name baked in, through MJML each time.
  started = performance.now();
  for (const reader of readers.slice(0, fullRenderCount)) {
    const own = { ...brief, subject: `${brief.subject} for ${reader.firstName ?? 'you'}` };
    await renderIssue(own, list);
  }
  const fullRenderPerSecond = fullRenderCount / ((performance.now() - started) / 1000);
  // A whole message that way: the render, then the same MIME as ours.
  const renderPerRecipientMessagesPerSecond = 1 / (1 / fullRenderPerSecond + 1 / mimePerSecond);

  // A conventional render-once sender, for the honest comparison: the same rendered HTML and text as Handlebars
  // templates (a variable at each of our slots, HTML-escaped by Handlebars), then nodemailer's MailComposer with
  // the same headers. Per message it does what newsbrief does; the difference is our own substitution and framing.
  const { default: Handlebars } = await import('handlebars');
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const asHandlebars = (parts: readonly string[]) =>
    Handlebars.compile(parts.map((part, i) => (i === 0 ? '' : `{{v${i - 1}}}`) + part.replace(/\{\{/g, '\\{{')).join(''));
  const htmlTemplate = asHandlebars(issue.html.parts);
  const textTemplate = asHandlebars(issue.text.parts);
  const valuesOf = (reader: Recipient, url: string) => {
    const slotText = (slot: (typeof issue.html.slots)[number]) =>
      slot.kind === 'firstName' ? (reader.firstName ?? slot.fallback) : slot.kind === 'email' ? reader.email : url;
    return {
      html: Object.fromEntries(issue.html.slots.map((slot, i) => [`v${i}`, slotText(slot)])),
      text: Object.fromEntries(issue.text.slots.map((slot, i) => [`v${i}`, slotText(slot)])),
    };
  };
  let conventionalBytes = 0;
  started = performance.now();
  for (const reader of readers.slice(0, mimeCount)) {
    const url = unsubscribeLinks(list, reader, keyring).url;
    const values = valuesOf(reader, url);
    const raw = await new MailComposer({
      from: list.from,
      to: reader.email,
      subject: brief.subject,
      date,
      html: htmlTemplate(values.html),
      text: textTemplate(values.text),
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    })
      .compile()
      .build();
    conventionalBytes += raw.length;
  }
  const handlebarsMailComposerPerSecond = mimeCount / ((performance.now() - started) / 1000);
  if (conventionalBytes === 0) throw new Error('the conventional sender produced nothing');

  return {
    coldImportMs,
    coldRenderMs,
    warmRenderMedianMs: median(warm),
    htmlBytes: issue.html.parts.reduce((n, p) => n + Buffer.byteLength(p), 0),
    personalizePerSecond,
    mimePerSecond,
    fullRenderPerSecond,
    personalizeVsFullRender: personalizePerSecond / fullRenderPerSecond,
    renderPerRecipientMessagesPerSecond,
    handlebarsMailComposerPerSecond,
  };
}
