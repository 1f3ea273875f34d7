/**
 * From bytes to a valid brief, or to every problem at once. Pure: the caller reads the file
 * (at most MAX_BRIEF_BYTES + 1 bytes) and passes the configured list ids in.
 */
import type { z } from 'zod';
import { BriefSchema, isValidId, MAX_BRIEF_BYTES, type ValidBrief } from './brief-schema.js';
import { type Problem, toPointer } from '../config/problems.js';

export type BriefResult = { readonly ok: true; readonly brief: ValidBrief } | { readonly ok: false; readonly problems: readonly Problem[] };

export interface ParseOptions {
  /** Ids of the configured lists; a brief for any other list is refused. */
  readonly knownLists: readonly string[];
  /** The object key or file name the brief came from; gives the id when the brief has none. */
  readonly sourceName?: string;
}

/** Deeper than any real brief (about 6 levels); refusing early keeps a hostile document cheap. */
const MAX_NESTING = 32;

/** Parses and validates a brief given as raw bytes or text. Never throws for bad input. */
export function parseBrief(input: string | Uint8Array, options: ParseOptions): BriefResult {
  const decoded = decode(input);
  if (!decoded.ok) return decoded;
  const json = parseJson(decoded.text);
  if (!json.ok) return json;
  const duplicates = duplicateKeys(decoded.text);
  const result = validateBrief(json.value, options);
  if (duplicates.length === 0) return result;
  return { ok: false, problems: sortProblems([...duplicates, ...(result.ok ? [] : result.problems)]) };
}

type Frame = { readonly path: PropertyKey[] } & ({ kind: 'object'; keys: Set<string>; key?: string } | { kind: 'array'; index: number });

/**
 * Every key that appears twice in one object of a well-formed JSON text, with its pointer. JSON.parse keeps
 * the last and drops the first without a word; an editor who pasted a field twice must hear which one.
 */
export function duplicateKeys(text: string): Problem[] {
  const problems: Problem[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  const childPath = (): PropertyKey[] => {
    const top = stack.at(-1);
    if (!top) return [];
    return top.kind === 'object' ? [...top.path, top.key ?? ''] : [...top.path, top.index];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          problems.push({
            pointer: toPointer([...top.path, key]),
            message: `"${key}" is given twice in the same object, and only the last would count: keep the one you mean and remove the other`,
          });
        }
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ kind: 'object', path: childPath(), keys: new Set() });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ kind: 'array', path: childPath(), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'object') expectKey = true;
      else if (top) top.index++;
    }
  }
  return problems;
}

/** Validates an already-parsed JSON value as a brief. */
export function validateBrief(value: unknown, options: ParseOptions): BriefResult {
  const parsed = BriefSchema.safeParse(value, { reportInput: true });
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.flatMap(toProblems);
  const brief = parsed.success ? parsed.data : undefined;

  const list = (value as { list?: unknown } | null)?.list;
  if (typeof list === 'string' && isValidId(list) && !options.knownLists.includes(list)) {
    problems.push({ pointer: '/list', message: `unknown list "${list}" (configured lists: ${options.knownLists.join(', ') || 'none'})` });
  }

  const givenId = (value as { id?: unknown } | null)?.id;
  let id = typeof givenId === 'string' ? givenId : undefined;
  if (givenId === undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    id = idFromSourceName(options.sourceName);
    if (id === undefined) {
      problems.push({
        pointer: '/id',
        message: `is absent and the file name ${options.sourceName ? `"${baseName(options.sourceName)}" ` : ''}does not make a valid id; add "id" (lower-case letters, digits and hyphens)`,
      });
    }
  }

  if (problems.length > 0 || !brief || id === undefined) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, brief: { ...brief, id } };
}

/** Derives an issue id from a file name or object key: `briefs/2026/Oracle TikTok.json` → `oracle-tiktok`. */
export function idFromSourceName(sourceName: string | undefined): string | undefined {
  if (!sourceName) return undefined;
  const stem = baseName(sourceName).replace(/(\.brief)?\.json$/i, '');
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return isValidId(slug) ? slug : undefined;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function decode(input: string | Uint8Array): { ok: true; text: string } | { ok: false; problems: Problem[] } {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > MAX_BRIEF_BYTES) {
    return refuse(
      '',
      `the brief is larger than ${MAX_BRIEF_BYTES / 1024} KiB (${Math.ceil(bytes / 1024)} KiB or more); split it or shorten it`,
    );
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return refuse('', 'the brief is not valid UTF-8 text; save it as UTF-8');
    }
  }
  // Editors on Windows save with a byte-order mark; it is not part of the JSON.
  return { ok: true, text: text.replace(/^\uFEFF/, '') };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING) return refuse('', `the document is nested ${depth} levels deep; a brief needs fewer than ${MAX_NESTING}`);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const { line, column } = positionOf(text, errorOffset((error as Error).message, text));
    const reason = (error as Error).message
      .replace(/\s*in JSON at position \d+.*$/, '')
      .replace(/^Unexpected end of JSON input$/, 'the document ends too early (is it cut short?)');
    return refuse('', `not valid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

/** Maximum bracket depth, ignoring brackets inside strings. Linear and allocation-free. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > MAX_NESTING) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

function errorOffset(message: string, text: string): number {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : text.length;
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

function refuse(pointer: string, message: string): { ok: false; problems: Problem[] } {
  return { ok: false, problems: [{ pointer, message }] };
}

const FIELD_NAMES = [
  'version',
  'id',
  'list',
  'subject',
  'preheader',
  'locale',
  'banner',
  'announcement',
  'stories',
  'footer',
  'sendAt',
  'text',
  'href',
  'imageUrl',
  'alt',
  'kicker',
  'headline',
  'standfirst',
  'image',
  'paragraphs',
  'sections',
  'link',
  'url',
  'heading',
  'bullets',
  'postalAddress',
  '$schema',
  'darkImageUrl',
  'audience',
  'tags',
  'fields',
];
// Names editors reach for that are too far from ours for a spelling suggestion.
const ALIASES: Record<string, string> = {
  logo: 'imageUrl',
  logoDark: 'darkImageUrl',
  darkLogo: 'darkImageUrl',
  imageUrlDark: 'darkImageUrl',
  preview: 'preheader',
  language: 'locale',
  lang: 'locale',
  segment: 'audience',
  recipients: 'audience',
};

function toProblems(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const suggestion = Object.hasOwn(ALIASES, key) ? ALIASES[key] : closest(key, FIELD_NAMES);
      return {
        pointer: toPointer([...issue.path, key]),
        message: `is not a field of the brief format${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; remove it`,
      };
    });
  }
  if (issue.code === 'invalid_type' && !/^(is required|must be)/.test(issue.message)) {
    const input = (issue as { input?: unknown }).input;
    const message =
      input === undefined
        ? 'is required'
        : `must be ${issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    return [{ pointer: toPointer(issue.path), message }];
  }
  return [{ pointer: toPointer(issue.path), message: issue.message }];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// Document order reads best: sort by pointer, keeping the schema's order for equal pointers.
function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, index) => ({ p, index }))
    .sort((x, y) => (x.p.pointer === y.p.pointer ? x.index - y.index : 0))
    .map(({ p }) => p);
}
