/**
 * The brief's inline markup: `**bold**`, `_italic_` and `[text](url)`, nothing else.
 * Everything that is not markup is text, so `<`, `>` and `&` stay as typed. Parsing is ours alone:
 * no Markdown or HTML library ever sees brief text.
 */

export type InlineNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bold'; readonly children: readonly InlineNode[] }
  | { readonly kind: 'italic'; readonly children: readonly InlineNode[] }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly InlineNode[] };

/** Parses inline markup into nodes. Unmatched markers are plain text; it never throws. */
export function parseInline(source: string): InlineNode[] {
  return parseRange(source, 0, source.length, true);
}

function parseRange(src: string, start: number, end: number, linksAllowed: boolean): InlineNode[] {
  const nodes: InlineNode[] = [];
  let text = '';
  const flush = () => {
    if (text) nodes.push({ kind: 'text', text });
    text = '';
  };
  let i = start;
  while (i < end) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < end && '\\*_[]()'.includes(src[i + 1]!)) {
      // A backslash escapes a markup character, as in CommonMark.
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '*' && src[i + 1] === '*' && i + 2 < end && !/\s/.test(src[i + 2]!)) {
      const close = findClosingBold(src, i + 2, end);
      if (close !== -1) {
        flush();
        nodes.push({ kind: 'bold', children: parseRange(src, i + 2, close, linksAllowed) });
        i = close + 2;
        continue;
      }
    }
    if (ch === '_' && opensItalic(src, i, start)) {
      const close = findClosingItalic(src, i + 1, end);
      if (close !== -1) {
        flush();
        nodes.push({ kind: 'italic', children: parseRange(src, i + 1, close, linksAllowed) });
        i = close + 1;
        continue;
      }
    }
    if (ch === '[' && linksAllowed) {
      const link = matchLink(src, i, end);
      if (link) {
        flush();
        nodes.push({ kind: 'link', href: link.href, children: parseRange(src, i + 1, link.textEnd, false) });
        i = link.next;
        continue;
      }
    }
    text += ch;
    i += 1;
  }
  flush();
  return nodes;
}

function findClosingBold(src: string, from: number, end: number): number {
  for (let j = from; j + 1 < end; j++) {
    if (src[j] === '\\') {
      j++;
      continue;
    }
    if (src[j] === '*' && src[j + 1] === '*' && !/\s/.test(src[j - 1]!)) return j;
  }
  return -1;
}

const WORD = /[\p{L}\p{N}]/u;

// CommonMark: `_` opens emphasis only when not preceded by a letter or digit (so snake_case stays text).
function opensItalic(src: string, i: number, start: number): boolean {
  const before = i > start ? src[i - 1]! : ' ';
  const after = src[i + 1];
  return after !== undefined && !/\s/.test(after) && after !== '_' && !WORD.test(before);
}

function findClosingItalic(src: string, from: number, end: number): number {
  for (let j = from; j < end; j++) {
    if (src[j] === '\\') {
      j++;
      continue;
    }
    if (src[j] !== '_' || j === from) continue;
    const before = src[j - 1]!;
    const after = j + 1 < end ? src[j + 1]! : ' ';
    if (!/\s/.test(before) && !WORD.test(after) && after !== '_') return j;
  }
  return -1;
}

function matchLink(src: string, open: number, end: number): { textEnd: number; href: string; next: number } | undefined {
  let depth = 0;
  for (let j = open + 1; j < end; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (src[j + 1] !== '(' || j === open + 1) return undefined;
      // The target runs to the matching ')' so that URLs with balanced parentheses survive.
      let parens = 0;
      for (let k = j + 2; k < end; k++) {
        if (src[k] === '(') parens++;
        else if (src[k] === ')') {
          if (parens === 0) return { textEnd: j, href: src.slice(j + 2, k).trim(), next: k + 1 };
          parens--;
        }
      }
      return undefined;
    }
  }
  return undefined;
}

/** Every link target in the nodes, in reading order. */
export function linksOf(nodes: readonly InlineNode[]): string[] {
  return nodes.flatMap((node) =>
    node.kind === 'text' ? [] : node.kind === 'link' ? [node.href, ...linksOf(node.children)] : linksOf(node.children),
  );
}
