/**
 * The lists configuration: who sends each newsletter and how its links are built.
 * Parsed and checked here, once; the CLI, the local studio and the Lambdas all read it through this module.
 */
import { z } from 'zod';
import { accentContrastProblem } from './colour-contrast.js';
import { isSupportedLanguage, LANGUAGES, languageOf } from './languages.js';
import { phraseOverrideProblems } from './lifecycle-phrase-keys.js';
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
  /** Override of this deployment's unsubscribe endpoint (a custom domain in front of it); the stack's own when absent. */
  unsubscribeBaseUrl: httpsUrl.optional(),
  /** Refused: a `mailto:` unsubscribe must be received, so the deployment that receives it names its mailbox. */
  unsubscribeMailto: z
    .never({
      error:
        'is not a list setting: a mailto unsubscribe is only advertised where mail to it is received, so the deployment names the mailbox (CDK context "unsubscribeMailbox", see docs/deploy.md); remove it',
    })
    .optional(),
  /** Override of this deployment's web archive address; the stack's CloudFront domain when absent. */
  archiveBaseUrl: httpsUrl.optional(),
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
  /** Overrides of the circuit breaker's limits for this list (see src/breaker/circuit-breaker.ts). */
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
  /** The language of the list's lifecycle pages and confirmation mail (BCP 47, default "en"); ar, fa, he and ur read right to left. */
  locale: z
    .string()
    .refine((value) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value) && isSupportedLanguage(languageOf(value)), {
      error: (iss) =>
        `"${String(iss.input)}" is not a language newsbrief has phrases for; use one of ${LANGUAGES.join(', ')} (a region is fine: pt-BR)`,
    })
    .optional(),
  /** The list's own wording of lifecycle phrases, by key (see src/render/lifecycle-phrases.ts); each is text, with the phrase's {values}. */
  phrases: z
    .record(z.string(), z.string())
    .superRefine((value, ctx) => {
      for (const p of phraseOverrideProblems(value)) ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
    })
    .optional(),
  /**
   * Engagement tracking (issue 12): SES's open pixel and click redirects on AWS, the studio's locally. Off unless
   * the list asks, so that a list is lawful in strict jurisdictions without thought.
   */
  tracking: z.strictObject({ opens: z.boolean().default(false), clicks: z.boolean().default(false) }).optional(),
});

const ListsFileSchema = z.object({ lists: z.array(ListConfigSchema).min(1) });

/** One list as stored and edited: its public URLs are optional overrides of the deployment's endpoints. */
export type ListDefinition = z.output<typeof ListConfigSchema>;

/** One list as the use-cases see it: its public URLs resolved (its own override, else the deployment's endpoint). */
export type ListConfig = Omit<ListDefinition, 'unsubscribeMailto'> & {
  readonly unsubscribeBaseUrl: string;
  readonly archiveBaseUrl: string;
  /** The deployment's mailbox for mail unsubscribes (ListEndpoints); absent, messages carry no `mailto:`. */
  readonly unsubscribeMailto?: string | undefined;
};

/** The public endpoints of one deployment, used by every list that does not override them. */
export interface ListEndpoints {
  /** The unsubscribe endpoint (`?t=` is added). */
  readonly unsubscribeBaseUrl: string;
  /** The web archive (`<url>/<list>/<id>.html`). */
  readonly archiveBaseUrl: string;
  /** Where confirmation links point (`?t=` is added); the subscribe endpoint's own /confirm when absent. */
  readonly confirmBaseUrl?: string | undefined;
  /** The mailbox an SES receipt rule serves for mail unsubscribes; absent, no message advertises a `mailto:`. */
  readonly unsubscribeMailbox?: string | undefined;
}

/**
 * The example site's endpoints: what links point at where no deployment is known (previews rendered by the
 * CLI, tests). Local mode points them at the studio instead (localLists); a deployed stack passes its own.
 */
export const EXAMPLE_ENDPOINTS: ListEndpoints = {
  unsubscribeBaseUrl: 'https://news.example.com/unsubscribe',
  archiveBaseUrl: 'https://news.example.com/archive',
};

/** The host of the example configuration: a URL on it in a deployed list is a link nobody can follow. */
export const EXAMPLE_HOST = 'news.example.com';

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

/**
 * Parses a lists document (the contents of config/lists.json); throws ListsConfigError naming every problem.
 * Lists without URL overrides get `endpoints` (the example site's unless given).
 */
export function parseListsConfig(json: unknown, source = 'lists configuration', endpoints: ListEndpoints = EXAMPLE_ENDPOINTS): ListsConfig {
  return listsConfigOf(parseListDefinitions(json, source), endpoints);
}

/** Parses a lists document into its definitions (URL overrides left as written); throws ListsConfigError naming every problem. */
export function parseListDefinitions(json: unknown, source = 'lists configuration'): ListDefinition[] {
  const parsed = ListsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ListsConfigError(
      source,
      parsed.error.issues.map((i) => ({ pointer: toPointer(i.path), message: messageOf(json, i) })),
    );
  }
  const seen = new Set<string>();
  parsed.data.lists.forEach((list, index) => {
    if (seen.has(list.id))
      throw new ListsConfigError(source, [{ pointer: `/lists/${index}/id`, message: `duplicate list id "${list.id}"` }]);
    seen.add(list.id);
  });
  return parsed.data.lists;
}

/** A list with its URLs resolved: its own overrides first, then the deployment's endpoints. */
export function resolveList(list: ListDefinition, endpoints: ListEndpoints): ListConfig {
  const confirmBaseUrl = list.confirmBaseUrl ?? endpoints.confirmBaseUrl;
  const { unsubscribeMailto: _neverSetByAList, ...definition } = list;
  return {
    ...definition,
    unsubscribeBaseUrl: list.unsubscribeBaseUrl ?? endpoints.unsubscribeBaseUrl,
    archiveBaseUrl: list.archiveBaseUrl ?? endpoints.archiveBaseUrl,
    ...(confirmBaseUrl !== undefined ? { confirmBaseUrl } : {}),
    ...(endpoints.unsubscribeMailbox !== undefined ? { unsubscribeMailto: endpoints.unsubscribeMailbox } : {}),
  };
}

/** The lists by id, each resolved against `endpoints`. */
export function listsConfigOf(definitions: readonly ListDefinition[], endpoints: ListEndpoints): ListsConfig {
  return { lists: new Map(definitions.map((list) => [list.id, resolveList(list, endpoints)])) };
}

/** The fields of a list that hold a public URL. */
export type ListUrlField = 'unsubscribeBaseUrl' | 'archiveBaseUrl' | 'confirmBaseUrl' | 'archiveSubscribeUrl';

/** The URL fields of a list that still point at the example site (news.example.com): links nobody can follow. */
export function exampleUrlFieldsOf(list: ListDefinition): ListUrlField[] {
  const fields: readonly ListUrlField[] = ['unsubscribeBaseUrl', 'archiveBaseUrl', 'confirmBaseUrl', 'archiveSubscribeUrl'];
  return fields.filter((field) => {
    const value = list[field];
    if (value === undefined) return false;
    try {
      const host = new URL(value).hostname.toLowerCase();
      return host === EXAMPLE_HOST || host.endsWith(`.${EXAMPLE_HOST}`);
    } catch {
      return false;
    }
  });
}

// An accent colour, locale or phrase problem names the list by id as well as by index: each is chosen per newsletter.
function messageOf(json: unknown, issue: z.core.$ZodIssue): string {
  const [top, index, field] = issue.path;
  const id = top === 'lists' && typeof index === 'number' ? (json as { lists?: { id?: unknown }[] }).lists?.[index]?.id : undefined;
  const perList = field === 'accentColor' || field === 'locale' || field === 'phrases';
  return typeof id === 'string' && perList ? `list "${id}": ${issue.message}` : issue.message;
}

/** The bare address of a From value: `Name <a@b.c>` → `a@b.c`. */
export function addressOf(mailbox: string): string {
  return (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
}

/** The domain of an address or mailbox: the sender's domain for Message-IDs and List-Id. */
export function domainOf(mailbox: string): string {
  return addressOf(mailbox).split('@').pop()!.toLowerCase();
}
