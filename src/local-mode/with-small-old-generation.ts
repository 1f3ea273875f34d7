/**
 * A local send's heap, kept near what it uses. V8 lets the old generation grow to up to four times what survived
 * its last full collection before it collects again; a send's survivors are about 65 MiB (modules, the embedded
 * SES's newest parsed messages), so a 20,000-message send's heap reached 250 MiB near its end and the process
 * 440 MiB. Growing by half at most keeps the heap near 100 MiB (peak RSS 267 MiB) for a few more concurrent
 * collections. Only while sending: an import's batches fill the old generation with rows that die at once, and
 * the same limit there cost a quarter more CPU (61k → 49k rows per CPU-second at 1M).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How far the old generation may grow past its last full collection's survivors while a send runs (percent). */
const GROWING_PERCENT_WHILE_SENDING = 50;

let running = 0;

/** Runs `fn` with V8's old generation kept small (sends in one process share it: the last one to end restores V8's own rule). */
export async function withSmallOldGeneration<T>(fn: () => Promise<T>): Promise<T> {
  // Read at every full collection, so a flag set now takes effect at the next one; 0 is V8's default (its own rule).
  if (running++ === 0) {
    setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT_WHILE_SENDING}`);
    // The limit in force was set by the last full collection, under V8's own rule (after an import in the same
    // process: far above what a send keeps): one collection now puts the new rule in force from the start.
    collectGarbage();
  }
  try {
    return await fn();
  } finally {
    if (--running === 0) setFlagsFromString('--heap-growing-percent=0');
  }
}

let collect: (() => void) | undefined;

/** A full garbage collection (V8's `gc`, exposed for a new context only, once). */
function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
