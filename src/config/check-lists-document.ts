/**
 * The lists document's checker, written by hand: zod cost every function ~440 KiB of bundle and its load time
 * on each cold start, for one small object. The messages are zod 4's own for type and range problems (what the
 * lists configuration reported before), and every problem is reported at once, each with its path.
 */
import { accentContrastProblem } from './colour-contrast.js';
import { isSupportedLanguage, LANGUAGES, languageOf } from './languages.js';
import { phraseOverrideProblems } from './lifecycle-phrase-keys.js';
import { checkLinkTarget } from './link-target.js';

/** The circuit breaker limits a list may override (see src/breaker/circuit-breaker.ts). */
export interface ListBreakerOverrides {
  maxBounceRate?: number | undefined;
  maxComplaintRate?: number | undefined;
  minSample?: number | undefined;
  minComplaintSample?: number | undefined;
  maxComplaints?: number | undefined;
}

/** One list as stored and edited: its public URLs are optional overrides of the deployment's endpoints. */
export interface ListDefinition {
  /** Lower-case letters, digits and hyphens. */
  id: string;
  displayName: string;
  /** RFC 5322 mailbox: `Name <address@domain>` or a bare address. */
  from: string;
  replyTo?: string | undefined;
  postalAddress: string;
  /** Override of this deployment's unsubscribe endpoint (a custom domain in front of it); the stack's own when absent. */
  unsubscribeBaseUrl?: string | undefined;
  /** Refused: a `mailto:` unsubscribe must be received, so the deployment that receives it names its mailbox. */
  unsubscribeMailto?: undefined;
  /** Override of this deployment's web archive address; the stack's CloudFront domain when absent. */
  archiveBaseUrl?: string | undefined;
  /** Links, kicker, banner and button; must read at 4.5:1 on white (see colour-contrast.ts). */
  accentColor: string;
  proofRecipients: string[];
  /** Where confirmation links of the subscribe form point (`?t=` is added); the subscribe endpoint's own /confirm when absent. */
  confirmBaseUrl?: string | undefined;
  /** Overrides of the circuit breaker's limits for this list. */
  breaker?: ListBreakerOverrides | undefined;
  /** Where the public web copy's footer sends readers to join; the list's archive index when absent. */
  archiveSubscribeUrl?: string | undefined;
  /** The language of the list's lifecycle pages and confirmation mail (BCP 47, default "en"); ar, fa, he and ur read right to left. */
  locale?: string | undefined;
  /** The list's own wording of lifecycle phrases, by key (see src/render/lifecycle-phrases.ts); each is text, with the phrase's {values}. */
  phrases?: Record<string, string> | undefined;
  /**
   * Engagement tracking (issue 12): SES's open pixel and click redirects on AWS, the studio's locally. Off unless
   * the list asks, so that a list is lawful in strict jurisdictions without thought.
   */
  tracking?: { opens: boolean; clicks: boolean } | undefined;
}

/** One problem of a lists document: its path (keys and indexes) and what is wrong. */
export interface ListsDocumentIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A checked lists document: its lists (defaults filled in, unknown top-level keys dropped), or every problem. */
export type ListsDocumentCheck =
  | { readonly ok: true; readonly lists: ListDefinition[] }
  | { readonly ok: false; readonly issues: ListsDocumentIssue[] };

/** Checks a lists document (`{ "lists": [...] }`) and reports every problem at once. */
export function checkListsDocument(json: unknown): ListsDocumentCheck {
  const issues: ListsDocumentIssue[] = [];
  const lists: ListDefinition[] = [];
  if (!isObject(json)) issues.push(typeIssue([], 'object', json));
  else {
    const value = json.lists;
    if (!Array.isArray(value)) issues.push(typeIssue(['lists'], 'array', value));
    else {
      value.forEach((list, index) => {
        const checked = checkList(list, ['lists', index], issues);
        if (checked) lists.push(checked);
      });
      if (value.length < 1) issues.push({ path: ['lists'], message: 'Too small: expected array to have >=1 items' });
    }
  }
  return issues.length === 0 ? { ok: true, lists } : { ok: false, issues };
}

type Path = readonly (string | number)[];
type Field = (value: unknown, path: Path, issues: ListsDocumentIssue[]) => unknown;

const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const ONE_LINE = /^[^\r\n]*$/;
const MAILBOX = /<?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
// zod 4's z.email(): what proofRecipients accepted before, so that no stored list stops validating.
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

const MAILTO_IS_NOT_A_LIST_SETTING =
  'is not a list setting: a mailto unsubscribe is only advertised where mail to it is received, so the deployment names the mailbox (CDK context "unsubscribeMailbox", see docs/deploy.md); remove it';

/** A string matching every `[pattern, message]`; each pattern that fails is reported (as zod's checks were). */
function text(patterns: readonly (readonly [RegExp, string])[], options: { minLength?: number } = {}): Field {
  return (value, path, issues) => {
    if (typeof value !== 'string') return void issues.push(typeIssue(path, 'string', value));
    if (options.minLength !== undefined && value.length < options.minLength)
      issues.push({ path, message: `Too small: expected string to have >=${options.minLength} characters` });
    for (const [pattern, message] of patterns) if (!pattern.test(value)) issues.push({ path, message });
    return value;
  };
}

/** A string that `rule` accepts (undefined) or refuses (the reason); the rule runs once the value is a string. */
function refinedText(rule: (value: string) => string | undefined, patterns: readonly (readonly [RegExp, string])[] = []): Field {
  const base = text(patterns);
  return (value, path, issues) => {
    if (base(value, path, issues) === undefined) return undefined;
    const why = rule(value as string);
    if (why !== undefined) issues.push({ path, message: why });
    return value;
  };
}

const oneLine = text([[ONE_LINE, 'must be one line']], { minLength: 1 });
const email = text([[EMAIL, 'Invalid email address']]);
const httpsUrl = refinedText((value) => checkLinkTarget(value, ['https:', 'http:']));

/** A finite number within the bounds, an integer if asked; the first failure is reported, as zod did. */
function number(bounds: { gt?: number; lt?: number; min?: number; int?: boolean }): Field {
  return (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return void issues.push(typeIssue(path, 'number', value));
    if (bounds.int && !Number.isInteger(value)) return void issues.push({ path, message: 'Invalid input: expected int, received number' });
    if (bounds.gt !== undefined && !(value > bounds.gt)) issues.push({ path, message: `Too small: expected number to be >${bounds.gt}` });
    if (bounds.min !== undefined && !(value >= bounds.min))
      issues.push({ path, message: `Too small: expected number to be >=${bounds.min}` });
    if (bounds.lt !== undefined && !(value < bounds.lt)) issues.push({ path, message: `Too big: expected number to be <${bounds.lt}` });
    return value;
  };
}

const boolean: Field = (value, path, issues) => (typeof value === 'boolean' ? value : void issues.push(typeIssue(path, 'boolean', value)));

/** `field`, or absent (undefined). */
function optional(field: Field): Field {
  return (value, path, issues) => (value === undefined ? undefined : field(value, path, issues));
}

/** `field`, or `fallback()` when absent. */
function withDefault(field: Field, fallback: () => unknown): Field {
  return (value, path, issues) => (value === undefined ? fallback() : field(value, path, issues));
}

/**
 * An object with exactly these keys (others are refused): the output holds the keys in the shape's order, those
 * absent from the input only when a default fills them.
 */
function strictObject(shape: Readonly<Record<string, Field>>): Field {
  return (value, path, issues) => {
    if (!isObject(value)) return void issues.push(typeIssue(path, 'object', value));
    const output: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const result = field(value[key], [...path, key], issues);
      if (result !== undefined || key in value) output[key] = result;
    }
    const unknown = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
    if (unknown.length > 0)
      issues.push({ path, message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}` });
    return output;
  };
}

const accentColor = withDefault(
  refinedText(
    (value) => (COLOUR.test(value) ? accentContrastProblem(value.toLowerCase()) : undefined),
    [[COLOUR, 'must be a colour such as #1565c0']],
  ),
  () => '#1565c0',
);

const proofRecipients = withDefault(
  (value, path, issues) => {
    if (!Array.isArray(value)) return void issues.push(typeIssue(path, 'array', value));
    for (const [index, item] of value.entries()) email(item, [...path, index], issues);
    return [...value];
  },
  () => [],
);

const locale = optional((value, path, issues) => {
  if (typeof value !== 'string') return void issues.push(typeIssue(path, 'string', value));
  if (!(LOCALE.test(value) && isSupportedLanguage(languageOf(value))))
    issues.push({
      path,
      message: `"${value}" is not a language newsbrief has phrases for; use one of ${LANGUAGES.join(', ')} (a region is fine: pt-BR)`,
    });
  return value;
});

// The phrases' own rules run once every value is text, as zod's refinement did.
const phrases = optional((value, path, issues) => {
  if (!isPlainObject(value)) return void issues.push(typeIssue(path, 'record', value));
  const record = value as Record<string, unknown>;
  const before = issues.length;
  for (const [key, phrase] of Object.entries(record))
    if (typeof phrase !== 'string') issues.push(typeIssue([...path, key], 'string', phrase));
  if (issues.length === before) for (const p of phraseOverrideProblems(record)) issues.push({ path: [...path, p.key], message: p.message });
  return { ...record };
});

const checkList = strictObject({
  id: text([[ID, 'must be lower-case letters, digits and hyphens']]),
  displayName: oneLine,
  from: text(
    [
      [ONE_LINE, 'must be one line'],
      [MAILBOX, 'must be an address such as "Name <news@example.com>"'],
    ],
    { minLength: 1 },
  ),
  replyTo: optional(oneLine),
  postalAddress: oneLine,
  unsubscribeBaseUrl: optional(httpsUrl),
  unsubscribeMailto: optional((_, path, issues) => void issues.push({ path, message: MAILTO_IS_NOT_A_LIST_SETTING })),
  archiveBaseUrl: optional(httpsUrl),
  accentColor,
  proofRecipients,
  confirmBaseUrl: optional(httpsUrl),
  breaker: optional(
    strictObject({
      maxBounceRate: optional(number({ gt: 0, lt: 1 })),
      maxComplaintRate: optional(number({ gt: 0, lt: 1 })),
      minSample: optional(number({ int: true, min: 1 })),
      minComplaintSample: optional(number({ int: true, min: 1 })),
      maxComplaints: optional(number({ int: true, min: 0 })),
    }),
  ),
  archiveSubscribeUrl: optional(httpsUrl),
  locale,
  phrases,
  tracking: optional(strictObject({ opens: withDefault(boolean, () => false), clicks: withDefault(boolean, () => false) })),
}) as (value: unknown, path: Path, issues: ListsDocumentIssue[]) => ListDefinition | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): boolean {
  if (!isObject(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// zod 4's wording, so that a problem reads as it did: "Invalid input: expected string, received number".
function typeIssue(path: Path, expected: string, value: unknown): ListsDocumentIssue {
  return { path, message: `Invalid input: expected ${expected}, received ${typeNameOf(value)}` };
}

function typeNameOf(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null && typeof prototype.constructor === 'function')
      return prototype.constructor.name;
  }
  return typeof value;
}
