/**
 * Brief → email, once per issue: MJML from the templates, compiled to HTML, plus the plain-text part and
 * the subject, each split at its personalization slots. What comes out is all that sending needs.
 */
import type { ValidBrief } from '../brief/brief-schema.js';
import { isRightToLeft } from '../config/languages.js';
import { ARCHIVE_PATHS, archiveUrlOf } from '../config/bucket-layout.js';
import type { Problem } from '../config/problems.js';
import type { ListConfig } from '../config/lists.js';
import type { Audience } from '../model.js';
import { emailLayout } from '../../templates/email-layout.js';
import { announcementBlock, bannerBlock, footerBlock, proofNoticeBlock, storyBlock } from '../../templates/partials.js';
import { themeFor, type Theme } from '../../templates/theme.js';
import { escapeHtml } from './escape.js';
import { inlineToHtml, plainToHtml, plainToText } from './inline-render.js';
import { leadPreview } from './lead-preview.js';
import { compileMjml } from './mjml-engine.js';
import { phrasesFor } from './phrases.js';
import { buildPlainText } from './plain-text.js';
import { compileTemplate, SlotTable, type Template } from './slots.js';
import { issueLinks, markUntrackedLinks } from './issue-links.js';
import type { IssueLink } from '../model.js';

/** An issue rendered once: the templates every recipient's message is filled from. Serializable as JSON. */
export interface RenderedIssue {
  readonly format: 'newsbrief/rendered-issue@1';
  readonly list: string;
  readonly id: string;
  readonly locale: string;
  readonly subject: Template;
  readonly html: Template;
  readonly text: Template;
  /** The public web copy of this issue ("view in browser"). */
  readonly webUrl: string;
  readonly sendAt?: string | undefined;
  /** The issue's links by position, when its list tracks opens or clicks (what engagement counts name links by). */
  readonly links?: readonly IssueLink[] | undefined;
  /** Who the issue is for (the brief's audience; absent: every subscribed member): planning reads it from here. */
  readonly audience?: Audience | undefined;
}

/** Gmail clips a message whose HTML passes 102 KiB, hiding the rest, footer and unsubscribe link included. */
export const MAX_HTML_BYTES = 102 * 1024;
// What a recipient's values add at most per slot (an unsubscribe URL with its token is ~200 bytes).
const SLOT_ALLOWANCE_BYTES = 320;

/** Why a rendered issue cannot go out as it is (none when it can): today, only its size. */
export function renderedIssueProblems(issue: RenderedIssue): Problem[] {
  const bytes = issue.html.parts.reduce((n, part) => n + Buffer.byteLength(part), 0) + issue.html.slots.length * SLOT_ALLOWANCE_BYTES;
  if (bytes <= MAX_HTML_BYTES) return [];
  return [
    {
      pointer: '/stories',
      message: `renders to ${Math.ceil(bytes / 1024)} KiB of HTML; Gmail clips emails over ${MAX_HTML_BYTES / 1024} KiB and hides the footer with its unsubscribe link: shorten the stories or split the issue`,
    },
  ];
}

/** The web archive address of an issue (its page's path under the list's archiveBaseUrl, as the archive publishes it). */
export function webUrlOf(list: ListConfig, issueId: string): string {
  return archiveUrlOf(list.archiveBaseUrl, ARCHIVE_PATHS.page(list.id, issueId));
}

/** How to render. */
export interface RenderOptions {
  /** A proof for the list's proof recipients: `[PROOF] ` before the subject and a banner saying so. */
  readonly proof?: boolean | undefined;
  /** false: the mail has no public web copy (the confirmation mail), so its footer offers none. Default true. */
  readonly webCopy?: boolean | undefined;
}

/** What a proof's subject starts with. */
export const PROOF_SUBJECT_PREFIX = '[PROOF] ';
/** What a proof's banner and text part say. */
export const PROOF_NOTICE = 'PROOF: a test send to the proof recipients of this list. Subscribers have not received this.';

/** The language an issue is written in: the brief's own, else its list's (an Arabic list's briefs need not repeat it), else English. */
export function issueLocale(brief: ValidBrief, list: ListConfig): string {
  return brief.locale ?? list.locale ?? 'en';
}

/** Builds the issue's MJML; `slots` collects the personalization slots it uses. Pure and synchronous. */
export function buildMjml(brief: ValidBrief, list: ListConfig, slots: SlotTable, options: RenderOptions = {}): string {
  const locale = issueLocale(brief, list);
  const rtl = isRightToLeft(locale);
  const theme = themeFor(list.accentColor);
  const phrases = phrasesFor(locale);
  const linkStyle = `color:${theme.accent};text-decoration:underline;`;
  const inline = (text: string) => inlineToHtml(text, slots, linkStyle);
  const plain = (text: string) => plainToHtml(text, slots);
  const singleStory = brief.stories.length === 1;

  const card = [
    brief.announcement
      ? announcementBlock({
          textHtml: plain(brief.announcement.text),
          hrefHtml: escapeHtml(brief.announcement.href),
          theme,
          arrow: rtl ? '←' : '→',
        })
      : '',
    ...brief.stories.map((story, index) =>
      storyBlock({
        kickerHtml: story.kicker ? plain(story.kicker) : undefined,
        headlineHtml: plain(story.headline),
        headlineTag: singleStory ? 'h1' : 'h2',
        standfirstHtml: story.standfirst ? inline(story.standfirst) : undefined,
        image: story.image
          ? {
              urlHtml: escapeHtml(story.image.url),
              altHtml: plain(story.image.alt),
              hrefHtml: story.image.href ? escapeHtml(story.image.href) : undefined,
            }
          : undefined,
        bodyHtml: storyBodyHtml(story, { inline, plain, theme, rtl, sectionTag: singleStory ? 'h2' : 'h3' }),
        link: story.link ? { textHtml: plain(story.link.text), hrefHtml: escapeHtml(story.link.href) } : undefined,
        theme,
        separated: index > 0,
      }),
    ),
  ].join('\n');

  // Without a banner, the list's name stands in: every issue shows whose newsletter it is.
  const banner = bannerBlock({
    textHtml: brief.banner ? plain(brief.banner.text) : escapeHtml(list.displayName),
    hrefHtml: brief.banner?.href ? escapeHtml(brief.banner.href) : undefined,
    imageUrlHtml: brief.banner?.imageUrl ? escapeHtml(brief.banner.imageUrl) : undefined,
    darkImageUrlHtml: brief.banner?.darkImageUrl ? escapeHtml(brief.banner.darkImageUrl) : undefined,
    altHtml: brief.banner?.alt ? plain(brief.banner.alt) : undefined,
    theme,
  });

  const footer = footerBlock({
    whyHtml: brief.footer?.text ? inline(brief.footer.text) : phrases.whyReceiving(escapeHtml(list.displayName)),
    postalAddressHtml: plain(brief.footer?.postalAddress ?? list.postalAddress),
    ...(options.webCopy === false
      ? {}
      : { viewInBrowserHtml: escapeHtml(phrases.viewInBrowser), webUrlHtml: escapeHtml(webUrlOf(list, brief.id)) }),
    // A slot, not text: the same render becomes the archive page, where the link invites readers to subscribe.
    unsubscribeHtml: slots.marker({ kind: 'listActionLabel', unsubscribe: phrases.unsubscribe, subscribe: phrases.subscribe }),
    unsubscribeUrlHtml: slots.marker({ kind: 'unsubscribeUrl' }),
    theme,
  });

  return emailLayout({
    lang: escapeHtml(locale),
    dir: rtl ? 'rtl' : 'ltr',
    theme,
    titleHtml: plain(brief.subject),
    preheaderHtml: plain(leadPreview(brief)),
    bannerMjml: options.proof ? proofNoticeBlock({ textHtml: escapeHtml(PROOF_NOTICE) }) + banner : banner,
    cardMjml: card,
    footerMjml: footer,
  });
}

interface BodyStyle {
  inline: (text: string) => string;
  plain: (text: string) => string;
  theme: Theme;
  rtl: boolean;
  sectionTag: 'h2' | 'h3';
}

function storyBodyHtml(story: ValidBrief['stories'][number], s: BodyStyle): string | undefined {
  const paragraph = (text: string) => `<p style="margin:0 0 16px;">${s.inline(text)}</p>`;
  // Hanging indent on the reading side; bullets move to the right in right-to-left languages.
  const listStyle = s.rtl ? 'margin:0 0 16px;padding:0 22px 0 0;' : 'margin:0 0 16px;padding:0 0 0 22px;';
  const itemStyle = s.rtl ? 'margin:0 0 10px;padding:0 4px 0 0;' : 'margin:0 0 10px;padding:0 0 0 4px;';
  const parts = [
    ...(story.paragraphs ?? []).map(paragraph),
    ...(story.sections ?? []).map(
      (section) =>
        `<${s.sectionTag} style="margin:24px 0 10px;font-size:19px;line-height:1.3;font-weight:700;color:${s.theme.text};">${s.plain(section.heading)}</${s.sectionTag}>` +
        `<ul style="${listStyle}">${section.bullets.map((b) => `<li style="${itemStyle}">${s.inline(b)}</li>`).join('')}</ul>` +
        (section.paragraphs ?? []).map(paragraph).join(''),
    ),
  ];
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Renders an issue once: MJML → HTML, plain text and subject, split at their slots. */
export async function renderIssue(brief: ValidBrief, list: ListConfig, options: RenderOptions = {}): Promise<RenderedIssue> {
  const slots = new SlotTable();
  const locale = issueLocale(brief, list);
  const webUrl = webUrlOf(list, brief.id);
  const compiled = await compileMjml(buildMjml(brief, list, slots, options));
  // A tracking list's links are numbered for its click counts, and those SES must leave alone are marked.
  const tracked = !options.proof && (list.tracking?.opens === true || list.tracking?.clicks === true);
  const html = tracked ? markUntrackedLinks(compiled, list.tracking?.clicks === true) : compiled;
  const body = buildPlainText(brief, { list, phrases: phrasesFor(locale), webUrl: options.webCopy === false ? undefined : webUrl, slots });
  const text = options.proof ? `${PROOF_NOTICE}\n\n${body}` : body;
  // Validation refuses CR/LF in subjects; fillTemplate's header escape guards the recipients' values.
  const subject = (options.proof ? PROOF_SUBJECT_PREFIX : '') + plainToText(brief.subject, slots);
  return {
    format: 'newsbrief/rendered-issue@1',
    list: list.id,
    id: brief.id,
    locale,
    subject: compileTemplate(subject, slots, 'header'),
    html: compileTemplate(html, slots, 'html'),
    text: compileTemplate(text, slots, 'text'),
    webUrl,
    sendAt: brief.sendAt,
    ...(tracked ? { links: issueLinks(html) } : {}),
    ...(brief.audience ? { audience: brief.audience } : {}),
  };
}
