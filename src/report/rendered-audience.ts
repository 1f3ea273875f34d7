/**
 * Who an issue was for, read from its rendered issue (`rendered/<list>/<id>/issue.json`), where intake keeps
 * the brief's audience and planning reads it: the report says the same as what was planned, with no copy in
 * the ledger that could differ from it.
 */
import type { Audience } from '../model.js';
import type { BlobStore } from '../ports.js';

/** A rendered issue is a few hundred KiB at most; a larger object is not one, and is not read whole. */
const MAX_RENDERED_BYTES = 4 * 1024 * 1024;

/** What the rendered issue says about its audience: `{}` for the whole list; undefined when it cannot be read. */
export async function renderedAudience(
  blobs: Pick<BlobStore, 'get'>,
  renderedKey: string,
): Promise<{ readonly audience?: Audience } | undefined> {
  const bytes = await blobs.get(renderedKey, { maxBytes: MAX_RENDERED_BYTES });
  if (!bytes) return undefined;
  let rendered: { audience?: unknown };
  try {
    rendered = JSON.parse(Buffer.from(bytes).toString('utf8')) as { audience?: unknown };
  } catch {
    return undefined;
  }
  if (typeof rendered !== 'object' || rendered === null) return undefined;
  const audience = rendered.audience;
  if (audience === undefined) return {};
  // Intake validated it against the schema; only its shape is checked here, so that a damaged object reads as unknown.
  return isAudienceShape(audience) ? { audience } : undefined;
}

function isAudienceShape(value: unknown): value is Audience {
  if (typeof value !== 'object' || value === null) return false;
  const { tags, fields } = value as { tags?: unknown; fields?: unknown };
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) return false;
  if (fields === undefined) return true;
  if (typeof fields !== 'object' || fields === null) return false;
  return Object.values(fields).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));
}
