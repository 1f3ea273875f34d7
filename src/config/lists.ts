/**
 * The lists configuration: who sends each newsletter and how its links are built.
 * Parsed and checked here, once; the CLI, the local studio and the Lambdas all read it through this module.
 */
import { z } from 'zod';
import { accentContrastProblem } from './colour-contrast.js';
import { checkLinkTarget } from './link-target.js';
import { type Problem, toPointer } from './problems.js';

const httpsUrl = z.string().superRefine((value, ctx) => {
  const why = checkLinkTarget(value, ['https:', 'http:']);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});
const oneLine = z
  .string()
  .min(1)
  .regex(/^[^\r\n]*$/, 'must be one line');

const ListConfigSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lower-case letters, digits and hyphens'),
  displayName: oneLine,
  /** RFC 5322 mailbox: `Name <address@domain>` or a bare address. */
  from: oneLine.regex(/<?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/, 'must be an address such as "Name <news@example.com>"'),
  replyTo: oneLine.optional(),
  postalAddress: oneLine,
  unsubscribeBaseUrl: httpsUrl,
  unsubscribeMailto: z.email().optional(),
  archiveBaseUrl: httpsUrl,
  /** Links, kicker, banner and button; must read at 4.5:1 on white (see colour-contrast.ts). */
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #1565c0')
    .superRefine((value, ctx) => {
      const why = /^#[0-9a-fA-F]{6}$/.test(value) ? accentContrastProblem(value.toLowerCase()) : undefined;
      if (why) ctx.addIssue({ code: 'custom', message: why });
    })
    .default('#1565c0'),
  proofRecipients: z.array(z.email()).default([]),
  /** Where confirmation links of the subscribe form point (`?t=` is added); the subscribe endpoint's own /confirm when absent. */
  confirmBaseUrl: httpsUrl.optional(),
  /** Overrides of the circuit breaker's limits for this list (see src/feedback/circuit-breaker.ts). */
  breaker: z
    .strictObject({
      maxBounceRate: z.number().gt(0).lt(1).optional(),
      maxComplaintRate: z.number().gt(0).lt(1).optional(),
      minSample: z.number().int().min(1).optional(),
      minComplaintSample: z.number().int().min(1).optional(),
      maxComplaints: z.number().int().min(0).optional(),
    })
    .optional(),
  /** Where the public web copy's footer sends readers to join; the list's archive index when absent. */
  archiveSubscribeUrl: httpsUrl.optional(),
});

const ListsFileSchema = z.object({ lists: z.array(ListConfigSchema).min(1) });

/** One configured list. */
export type ListConfig = z.output<typeof ListConfigSchema>;

/** All configured lists, by id. */
export interface ListsConfig {
  readonly lists: ReadonlyMap<string, ListConfig>;
}

/** Raised when the lists configuration is unusable; the message names every bad field. */
export class ListsConfigError extends Error {
  override readonly name = 'ListsConfigError';
  constructor(
    source: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${source}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
  }
}

/** Parses a lists document (the contents of config/lists.json); throws ListsConfigError naming every problem. */
export function parseListsConfig(json: unknown, source = 'lists configuration'): ListsConfig {
  const parsed = ListsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ListsConfigError(
      source,
      parsed.error.issues.map((i) => ({ pointer: toPointer(i.path), message: messageOf(json, i) })),
    );
  }
  const lists = new Map<string, ListConfig>();
  parsed.data.lists.forEach((list, index) => {
    if (lists.has(list.id))
      throw new ListsConfigError(source, [{ pointer: `/lists/${index}/id`, message: `duplicate list id "${list.id}"` }]);
    lists.set(list.id, list);
  });
  return { lists };
}

// An accent colour problem names the list by id as well as by index: the colour is chosen per newsletter.
function messageOf(json: unknown, issue: z.core.$ZodIssue): string {
  const [top, index, field] = issue.path;
  const id = top === 'lists' && typeof index === 'number' ? (json as { lists?: { id?: unknown }[] }).lists?.[index]?.id : undefined;
  return typeof id === 'string' && field === 'accentColor' ? `list "${id}": ${issue.message}` : issue.message;
}

/** The bare address of a From value: `Name <a@b.c>` → `a@b.c`. */
export function addressOf(mailbox: string): string {
  return (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
}

/** The domain of an address or mailbox: the sender's domain for Message-IDs and List-Id. */
export function domainOf(mailbox: string): string {
  return addressOf(mailbox).split('@').pop()!.toLowerCase();
}
