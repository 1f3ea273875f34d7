/** Polling for what a test waits on, with no deadline of its own: the test's timeout (stretched by patience) ends it. */

/** Reads until `ok` accepts the value and returns it, waiting 20 ms and then up to 500 ms between reads. */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean): Promise<T> {
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, delay));
  }
}
