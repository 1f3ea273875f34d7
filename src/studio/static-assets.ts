/**
 * The studio's stylesheet and script, served from files in ./assets. Read once when the studio starts; the
 * pages link them with a content hash in the query, so a browser may keep a linked copy for good, and
 * an edited file gets a new link on the next start.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { respondNotFound, SECURITY_HEADERS } from './http-respond.js';

/** The studio's own asset folder. */
export const ASSETS_DIR = new URL('./assets/', import.meta.url);

/** The files the pages link, by name. */
export const ASSET_NAMES = ['studio.css', 'studio.js'] as const;

/** One of the studio's assets. */
export type AssetName = (typeof ASSET_NAMES)[number];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A short content hash: the ETag, and the `v` of the linked URL. */
  readonly version: string;
}

/** The loaded assets: their versioned URLs for the pages, and the handler that serves them. */
export class StaticAssets {
  private readonly assets: ReadonlyMap<string, Asset>;

  constructor(folder: URL = ASSETS_DIR) {
    this.assets = new Map(
      ASSET_NAMES.map((name) => {
        const body = readFileSync(new URL(name, folder));
        const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
        return [name, { body, contentType: CONTENT_TYPES[extname(name)]!, version }];
      }),
    );
  }

  /** The URL a page links an asset by: its path with the content hash as `v`. */
  urlOf(name: AssetName): string {
    return `/assets/${name}?v=${this.assets.get(name)!.version}`;
  }

  /**
   * Answers a GET of `/assets/<name>`: kept for a year when asked for by the current hash (the URL changes
   * with the content), otherwise revalidated by ETag each time; 304 when the browser's copy is current.
   */
  serve(response: ServerResponse, name: string, query: URLSearchParams, ifNoneMatch: string | undefined): void {
    const asset = this.assets.get(name);
    if (!asset) {
      respondNotFound(response);
      return;
    }
    const etag = `"${asset.version}"`;
    const headers = {
      'content-type': asset.contentType,
      'cache-control': query.get('v') === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      ...SECURITY_HEADERS,
    };
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(asset.body.length) });
    response.end(asset.body);
  }
}
