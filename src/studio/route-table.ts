/**
 * The studio's router: a table of method + path pattern → handler, matched in order. A pattern is a path
 * whose `:name` segments capture one URL-decoded segment each (`/brief/:file/email.html`); a segment that
 * decodes to a path separator never matches, so a parameter is always one name, never a path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The methods the studio answers (HEAD is answered as GET, without a body). */
export type Method = 'GET' | 'POST';

/** What a handler is given. */
export interface RouteRequest {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** The pattern's `:name` segments, decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/** Handles one matched request; resolves when it has answered. */
export type RouteHandler = (route: RouteRequest) => Promise<void> | void;

/** One row of the table. */
export interface Route {
  readonly method: Method;
  readonly path: string;
  readonly handler: RouteHandler;
}

/** What the table says about a request. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  /** The path exists, with other methods: answer 405 with these in `Allow`. */
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly Method[] }
  | { readonly kind: 'not-found' };

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** A compiled route table. */
export class RouteTable {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
  }

  /** Finds the route for a method and a (still URL-encoded) path. */
  match(method: string, path: string): RouteMatch {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allow = new Set<Method>();
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      const params = decodeParams(names, found.slice(1));
      if (!params) continue;
      if (route.method === wanted) return { kind: 'found', route, params };
      allow.add(route.method);
    }
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function decodeParams(names: readonly string[], values: readonly (string | undefined)[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const value = safeDecode(values[i] ?? '');
    if (value === undefined) return undefined;
    params[name] = value;
  }
  return params;
}

function safeDecode(value: string): string | undefined {
  try {
    const decoded = decodeURIComponent(value);
    return decoded === '' || decoded.includes('/') || decoded.includes('\\') ? undefined : decoded;
  } catch {
    return undefined;
  }
}
