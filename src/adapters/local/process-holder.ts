/**
 * Who holds a local delivery claim: this process, named so that another process can tell whether it still
 * runs. A `kill -9` leaves claims behind; the next `send` or studio start sees their process gone and
 * resolves them at once instead of waiting for their lease.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

const PREFIX = 'local';

/** A holder id for this process: `local:<host>:<pid>:<nonce>`. */
export function localHolderId(): string {
  return `${PREFIX}:${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * True when the holder is a process of this machine that no longer runs. Holders of other machines (a
 * shared folder) and pids that were reused are not judged here: their lease decides.
 */
export function isLocalHolderGone(holder: string): boolean {
  const [prefix, host, pidText] = holder.split(':');
  if (prefix !== PREFIX || host !== hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user. ESRCH: there is no such process.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
