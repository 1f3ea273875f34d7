/**
 * The plain-text part, built from the brief's structure (never scraped from HTML): headings underlined,
 * bullets as "- ", links as "text (url)", lines wrapped at 76 columns with hanging indents.
 */
import type { ValidBrief } from '../brief/brief-schema.js';
import type { ListConfig } from '../config/lists.js';
import { escapePlainText } from './escape.js';
import { inlineToText, plainToText } from './inline-render.js';
import type { Phrases } from './phrases.js';
import type { SlotTable } from './slots.js';

const WIDTH = 76;

export interface PlainTextContext {
  readonly list: ListConfig;
  readonly phrases: Phrases;
  /** The public web copy; none for a mail that has none (no "view in browser" line then). */
  readonly webUrl: string | undefined;
  readonly slots: SlotTable;
}

/** The whole plain-text part, with slot markers where recipients' values go. */
export function buildPlainText(brief: ValidBrief, ctx: PlainTextContext): string {
  const { slots } = ctx;
  const blocks: string[] = [];
  if (brief.banner) {
    const name = plainToText(brief.banner.text, slots).toUpperCase();
    blocks.push(brief.banner.href ? `${name}\n${escapePlainText(brief.banner.href)}` : name);
  }
  if (brief.announcement) {
    blocks.push(wrap(`${plainToText(brief.announcement.text, slots)}: ${escapePlainText(brief.announcement.href)}`));
  }
  brief.stories.forEach((story, index) => {
    if (index > 0) blocks.push('-'.repeat(40));
    const headline = plainToText(story.headline, slots);
    const underline = (index === 0 ? '=' : '=').repeat(Math.min(visibleLength(headline), WIDTH));
    blocks.push(
      [story.kicker ? plainToText(story.kicker, slots).toUpperCase() : undefined, wrap(headline), underline].filter(Boolean).join('\n'),
    );
    if (story.standfirst) blocks.push(wrap(inlineToText(story.standfirst, slots)));
    if (story.image?.href) blocks.push(wrap(`[${plainToText(story.image.alt, slots)}] ${escapePlainText(story.image.href)}`));
    for (const paragraph of story.paragraphs ?? []) blocks.push(wrap(inlineToText(paragraph, slots)));
    for (const section of story.sections ?? []) {
      const heading = plainToText(section.heading, slots);
      blocks.push(`${wrap(heading)}\n${'-'.repeat(Math.min(visibleLength(heading), WIDTH))}`);
      blocks.push(section.bullets.map((bullet) => wrap(`- ${inlineToText(bullet, slots)}`, '  ')).join('\n'));
      for (const paragraph of section.paragraphs ?? []) blocks.push(wrap(inlineToText(paragraph, slots)));
    }
    if (story.link) blocks.push(wrap(`${plainToText(story.link.text, slots)}: ${escapePlainText(story.link.href)}`));
  });
  const why = brief.footer?.text ? inlineToText(brief.footer.text, slots) : ctx.phrases.whyReceiving(escapePlainText(ctx.list.displayName));
  const address = plainToText(brief.footer?.postalAddress ?? ctx.list.postalAddress, slots);
  blocks.push(
    [
      '--',
      wrap(why),
      wrap(address),
      ctx.webUrl !== undefined ? `${ctx.phrases.viewInBrowser}: ${escapePlainText(ctx.webUrl)}` : undefined,
      `${ctx.phrases.unsubscribe}: ${slots.marker({ kind: 'unsubscribeUrl' })}`,
    ]
      .filter((line) => line !== undefined)
      .join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}

// A slot marker stands for a value of unknown length; count it as a short word.
function visibleLength(text: string): number {
  return text.replace(/\uE000\d+\uE001/g, 'xxxxx').length;
}

/** Wraps at WIDTH columns on spaces; words longer than a line (URLs) are never broken. */
function wrap(text: string, indent = ''): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && visibleLength(candidate) > WIDTH) {
          lines.push(line);
          line = indent + word;
        } else line = candidate;
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}
