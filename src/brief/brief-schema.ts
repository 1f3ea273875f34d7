/**
 * Brief format v1: the one definition of what editors may write (see BRIEF-FORMAT.md).
 * Types, validation and the published JSON Schema (brief.schema.json) all come from here.
 */
import { z } from 'zod';
import { linksOf, parseInline } from './inline-markup.js';
import { checkLinkTarget } from '../config/link-target.js';
import { checkMergeTags } from './merge-tags.js';
import { FIELD_NAME_PATTERN, FIELD_NAME_RULE, isValidTag, normalizeTag, TAG_PATTERN, TAG_RULE, TAGS_FIELD } from './audience.js';
import { isSupportedLanguage, LANGUAGES, languageOf } from '../config/languages.js';

/** The largest brief we read, in bytes. */
export const MAX_BRIEF_BYTES = 256 * 1024;
export const SUPPORTED_VERSIONS = [1] as const;
export { isRightToLeft, isSupportedLanguage, LANGUAGES, type Language, languageOf, RTL_LANGUAGES } from '../config/languages.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
const ID_RULE = 'lower-case letters, digits and hyphens, starting with a letter or digit, at most 80 characters';
// C0 controls and DEL; tab and newline are tolerated in body text, never in one-line fields.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const LINE_BREAK = /[\r\n\t\u2028\u2029]/;
// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what follows them: a subject can
// be made to display other than it reads. The marks U+200E/U+200F change no order and stay allowed.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

type Ctx = z.core.$RefinementCtx<string>;

function refuseMergeTagErrors(value: string, ctx: Ctx): void {
  for (const message of checkMergeTags(value)) ctx.addIssue({ code: 'custom', message });
}

function refuseControls(value: string, ctx: Ctx, singleLine: boolean): void {
  if (singleLine && LINE_BREAK.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be one line: line breaks (CR, LF) and tabs are not allowed' });
  } else if (CONTROL.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must not contain control characters' });
  }
  const bidi = singleLine ? BIDI_CONTROL.exec(value) : null;
  if (bidi) {
    const code = bidi[0].codePointAt(0)!.toString(16).toUpperCase();
    ctx.addIssue({
      code: 'custom',
      message: `must not contain the bidirectional control character U+${code} (at character ${bidi.index + 1}): it can make the text display in another order than it reads; remove it (right-to-left text needs none, and the marks U+200E and U+200F are allowed)`,
    });
  }
}

function nonEmpty(value: string, ctx: Ctx): boolean {
  if (value.trim() === '') {
    ctx.addIssue({ code: 'custom', message: 'must be a non-empty string' });
    return false;
  }
  return true;
}

/** A one-line text field (headline, heading, link text…): no markup, merge tags allowed. */
function plainText(description: string, max: number, { optionalEmpty = false } = {}) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((value, ctx) => {
      if (!optionalEmpty && !nonEmpty(value, ctx)) return;
      refuseControls(value, ctx, true);
      refuseMergeTagErrors(value, ctx);
    })
    .describe(description);
}

/** A body text field: inline markup (**bold**, _italic_, [text](url)) and merge tags. */
function inlineText(description: string, max = 10_000) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((value, ctx) => {
      if (!nonEmpty(value, ctx)) return;
      refuseControls(value, ctx, false);
      refuseMergeTagErrors(value, ctx);
      for (const href of linksOf(parseInline(value))) {
        const why = checkLinkTarget(href);
        if (why) ctx.addIssue({ code: 'custom', message: `link ${why}` });
        else if (href.includes('{{')) ctx.addIssue({ code: 'custom', message: 'merge tags are not allowed inside a link target' });
      }
    })
    .describe(`${description} Inline markup: **bold**, _italic_, [text](https://…).`);
}

/** A link target: https, http or mailto. */
function href(description: string, schemes: readonly string[] = ['https:', 'http:', 'mailto:']) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .max(2048, { error: 'must be at most 2048 characters' })
    .superRefine((value, ctx) => {
      const why = checkLinkTarget(value, schemes);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    })
    .describe(description);
}

const httpsImage = (description: string) => href(description, ['https:']);

function idString(description: string) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .regex(ID_PATTERN, { error: (iss) => `"${String(iss.input)}" is not a valid identifier (${ID_RULE})` })
    .describe(description);
}

const Link = z.strictObject({
  text: plainText('The link text; it should make sense on its own ("Read the full story").', 200),
  href: href('Where the link goes: https:, http: or mailto:.'),
});

const Banner = z
  .strictObject({
    text: plainText("The newsletter's name as shown at the top; also the image's fallback.", 100),
    href: href('Where the banner links to.').optional(),
    imageUrl: httpsImage('A logo image (https only); the text shows when images are blocked.').optional(),
    darkImageUrl: httpsImage(
      "The logo for dark mode (https only), e.g. light lettering for a logo with dark lettering on a transparent background; shown instead of imageUrl where the reader's mail app is dark. Without it, imageUrl is shown on a light plate in dark mode.",
    ).optional(),
    alt: plainText('Alternative text of the banner image.', 200).optional(),
  })
  .superRefine((banner, ctx) => {
    if (banner.imageUrl !== undefined && banner.alt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['alt'], message: 'is required when imageUrl is set (describe the image for screen readers)' });
    }
    if (banner.darkImageUrl !== undefined && banner.imageUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['darkImageUrl'],
        message: 'needs imageUrl, the logo for light mode, beside it (set both, or neither)',
      });
    }
  })
  .describe('The identity strip at the top of the email.');

const Image = z
  .strictObject({
    url: httpsImage('The image (https only).'),
    alt: plainText('What the image shows, for screen readers and blocked images.', 300),
    href: href('Where the image links to.').optional(),
  })
  .describe("A story's picture.");

const Section = z
  .strictObject({
    heading: plainText('The section heading ("Why does this matter?").', 200),
    bullets: z
      .array(inlineText('One bullet.'), { error: 'must be a list of strings' })
      .min(1, { error: 'must have at least 1 bullet' })
      .max(20, { error: 'must have at most 20 bullets' }),
    paragraphs: z.array(inlineText('A paragraph after the bullets.'), { error: 'must be a list of strings' }).optional(),
  })
  .describe('A titled list of bullets.');

const Story = z
  .strictObject({
    kicker: plainText('A short label above the headline.', 100).optional(),
    headline: plainText('The headline.', 300),
    standfirst: inlineText('One-sentence summary under the headline.', 1000).optional(),
    image: Image.optional(),
    paragraphs: z.array(inlineText('A lead paragraph.'), { error: 'must be a list of strings' }).optional(),
    sections: z.array(Section, { error: 'must be a list of sections' }).optional(),
    link: Link.optional().describe("The story's call to action (one button)."),
  })
  .describe('One story.');

const Locale = z
  .string({ error: 'must be a string' })
  .superRefine((value, ctx) => {
    let wellFormed = false;
    try {
      wellFormed = Intl.getCanonicalLocales(value).length === 1 && !/[^A-Za-z0-9-]/.test(value);
    } catch {
      /* not a tag */
    }
    if (!wellFormed) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a BCP 47 language tag (for example en, en-GB, ar, pt-BR)` });
    } else if (!isSupportedLanguage(languageOf(value))) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}": newsbrief has no footer words in this language yet, so its footer would be English; use one of ${LANGUAGES.join(', ')} (a region is fine: pt-BR), or add the language to src/render/phrases.ts`,
      });
    }
  })
  .meta({ pattern: `^(${LANGUAGES.join('|')})(-[A-Za-z0-9]{1,8})*$` })
  .describe(`BCP 47 language tag, default "en"; the language is one of ${LANGUAGES.join(', ')}; ar, he, fa and ur render right-to-left.`);

const AudienceTag = z
  .string({ error: 'must be a string' })
  .superRefine((value, ctx) => {
    if (!isValidTag(normalizeTag(value))) ctx.addIssue({ code: 'custom', message: `"${value}" is not a tag (${TAG_RULE})` });
  })
  .meta({ pattern: TAG_PATTERN.source.replace('[a-z0-9]', '[A-Za-z0-9]').replace('[a-z0-9_.:-]', '[A-Za-z0-9_.:-]') })
  .describe('A tag; compared case-insensitively.');

const AudienceValue = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must be a non-empty string' })
  .max(100, { error: 'must be at most 100 characters' })
  .describe("One value of the field; compared case-insensitively with the member's, after trimming.");

/**
 * Who the issue goes to: members with any of `tags` AND, for each of `fields`, one of its values. Intake
 * refuses an audience that matches no subscribed member, so that a typo never sends to nobody (or, worse,
 * is read as everyone).
 */
const AudienceSchema = z
  .strictObject({
    tags: z
      .array(AudienceTag, { error: 'must be a list of tags' })
      .min(1, { error: 'must have at least 1 tag (or leave "tags" out)' })
      .max(50, { error: 'must have at most 50 tags' })
      .optional()
      .describe('The member has ANY of these tags.'),
    fields: z
      .record(
        z.string().regex(FIELD_NAME_PATTERN),
        z
          .array(AudienceValue, { error: 'must be a list of values' })
          .min(1, { error: 'must have at least 1 value' })
          .max(50, { error: 'must have at most 50 values' }),
        {
          error: (iss) =>
            iss.code === 'invalid_key'
              ? `is not a field name usable in an audience (${FIELD_NAME_RULE})`
              : 'must be an object of field names, each with a list of values',
        },
      )
      .optional()
      .describe("The member's field has one of these values, for EACH field named (country: [DE, AT])."),
  })
  .superRefine((audience, ctx) => {
    if (audience.tags === undefined && (audience.fields === undefined || Object.keys(audience.fields).length === 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'names no tags and no fields: leave "audience" out to send to the whole list, or say who the issue is for',
      });
    }
    const names = Object.keys(audience.fields ?? {});
    if (names.length > 10) ctx.addIssue({ code: 'custom', path: ['fields'], message: `names ${names.length} fields; at most 10` });
    if (names.includes(TAGS_FIELD))
      ctx.addIssue({
        code: 'custom',
        path: ['fields', TAGS_FIELD],
        message: 'is where tags are kept: write "tags": [...] beside "fields" instead',
      });
  })
  .describe(
    'Who the issue is for (absent: every subscribed member): ANY of `tags`, and ALL of `fields`, each field with one of its values. Example: {"tags": ["premium"], "fields": {"country": ["DE", "AT"]}}.',
  );

/** The brief, as editors write it. */
export const BriefSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editors may point this at brief.schema.json for completion; ignored.'),
    version: z
      .literal(1, {
        error: (iss) => `version ${JSON.stringify(iss.input)} is not supported (supported versions: ${SUPPORTED_VERSIONS.join(', ')})`,
      })
      .describe('Format version: 1.'),
    id: idString('Names the issue within its list; derived from the file name when absent.').optional(),
    list: idString('The id of a configured subscriber list.'),
    subject: plainText('The subject line.', 200),
    preheader: plainText('The inbox preview line (plain text); when absent or empty, the first sentences of the first story.', 250, {
      optionalEmpty: true,
    }).optional(),
    locale: Locale.optional(),
    banner: Banner.optional(),
    announcement: Link.optional().describe('A quiet link shown above the headline.'),
    stories: z
      .array(Story, { error: (iss) => (iss.input === undefined ? 'is required' : 'must be a list of stories') })
      .min(1, { error: 'must have at least 1 story' })
      .max(20, { error: 'must have at most 20 stories' }),
    footer: z
      .strictObject({
        text: inlineText('Why the reader gets this.', 2000).optional(),
        postalAddress: plainText("The sender's postal address; the list's configured one when absent.", 300).optional(),
      })
      .optional(),
    audience: AudienceSchema.optional(),
    sendAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-30T07:00:00+00:00' })
      .optional()
      .describe('When to send (ISO 8601 with offset); in the past or absent: now.'),
  })
  .describe('A newsbrief brief: one issue of one newsletter.');

export type Brief = z.infer<typeof BriefSchema>;
export type Story = Brief['stories'][number];
export type StorySection = NonNullable<Story['sections']>[number];
export type StoryLink = z.infer<typeof Link>;
/** A brief that passed validation, with its id settled. */
export type ValidBrief = Brief & { readonly id: string };

/** Checks an id against the format's id pattern. */
export function isValidId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The JSON Schema editors point `$schema` at (draft 2020-12). */
export function briefJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(BriefSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: 'https://newsbrief.dev/schema/brief-v1.json', title: 'newsbrief brief, version 1', ...schema };
}
