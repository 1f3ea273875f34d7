/** The blob store of local mode: one file per key under the state folder (`.newsbrief/blobs/<key>`). */
import { mkdirSync, openSync, readSync, closeSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { BlobStore } from '../../ports.js';

/** Keys as paths below `root`; writes are atomic (temporary file, then rename), so readers never see half a file. */
export class FileBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  async get(key: string, options: { readonly maxBytes?: number } = {}): Promise<Uint8Array | undefined> {
    let fd: number;
    try {
      fd = openSync(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      const limit = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
      while (total < limit) {
        const chunk = Buffer.alloc(Math.min(64 * 1024, limit - total));
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        chunks.push(chunk.subarray(0, n));
        total += n;
      }
      return Buffer.concat(chunks);
    } finally {
      closeSync(fd);
    }
  }

  async put(key: string, body: Uint8Array | string, _contentType: string): Promise<void> {
    const path = this.pathOf(key);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, body);
    renameSync(temporary, path);
  }

  /** The file a key lives in; refuses keys that would leave the root. */
  pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(resolve(this.root) + sep)) throw new Error(`blob key "${key}" leaves the blob folder`);
    return join(path);
  }
}
