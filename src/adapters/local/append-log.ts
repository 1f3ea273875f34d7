/**
 * The JSON-lines log that local mode kept its state in before its database (`store.jsonl`): every change a
 * line appended under an exclusive lock file, after catching up with the lines others appended. Kept only
 * to read an old state folder once, for its move into the database (append-log-import.ts).
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Raised when the lock stays held by a live writer for longer than the wait limit. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
}

/** A lock older than this was left by a crashed process: no transaction holds it for seconds. */
const STALE_LOCK_MS = 10_000;
const WAIT_LIMIT_MS = 15_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** An append-only log of JSON records, replayed into memory by `apply`. */
export class AppendLog<R> {
  private offset = 0;
  private readonly lockPath: string;

  constructor(
    readonly path: string,
    private readonly apply: (record: R) => void,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.lockPath = `${path}.lock`;
  }

  /** Catches up with the file, then runs `fn`; the records it returns are appended and applied. */
  transact<T>(fn: () => { readonly append?: readonly R[]; readonly result: T }): T {
    this.lock();
    try {
      const fd = openSync(this.path, 'a+');
      try {
        this.catchUp(fd);
        const { append = [], result } = fn();
        if (append.length > 0) {
          const bytes = Buffer.from(append.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
          writeSync(fd, bytes);
          this.offset += bytes.length;
          append.forEach(this.apply);
        }
        return result;
      } finally {
        closeSync(fd);
      }
    } finally {
      this.unlock();
    }
  }

  /** Replays whatever other processes appended since the last look. */
  refresh(): void {
    if (!existsSync(this.path) || statSync(this.path).size === this.offset) return;
    this.transact(() => ({ result: undefined }));
  }

  private catchUp(fd: number): void {
    const size = fstatSync(fd).size;
    if (size <= this.offset) return;
    const buffer = Buffer.alloc(size - this.offset);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, this.offset + read);
      if (n === 0) break;
      read += n;
    }
    const end = buffer.lastIndexOf(0x0a) + 1;
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      if (line.trim() !== '') this.apply(JSON.parse(line) as R);
    }
    this.offset += end;
    // A line without its newline was cut short by a crash; we hold the lock, so nobody is still writing it.
    if (end < buffer.length) ftruncateSync(fd, this.offset);
  }

  private lock(): void {
    const started = Date.now();
    for (;;) {
      try {
        closeSync(openSync(this.lockPath, 'wx'));
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      try {
        if (Date.now() - statSync(this.lockPath).mtimeMs > STALE_LOCK_MS) unlinkSync(this.lockPath);
      } catch {
        // Released or removed by someone else meanwhile: just try again.
      }
      if (Date.now() - started > WAIT_LIMIT_MS) throw new StoreBusyError(`${this.lockPath} has been locked for ${WAIT_LIMIT_MS / 1000} s`);
      Atomics.wait(sleeper, 0, 0, 2);
    }
  }

  private unlock(): void {
    try {
      unlinkSync(this.lockPath);
    } catch {
      // Already gone (removed as stale by another process): nothing to release.
    }
  }
}
