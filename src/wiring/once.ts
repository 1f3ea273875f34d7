/** The one way to say "once per cold start" in the wiring modules. */

/**
 * Returns a function that builds the value on its first call and hands back the same value after. A
 * promise that rejects is forgotten, so that the next call (a retried event) tries again instead of
 * failing for the rest of the container's life.
 */
export function once<T>(make: () => T): () => T {
  let made: { readonly value: T } | undefined;
  return () => {
    if (made) return made.value;
    const value = make();
    made = { value };
    if (value instanceof Promise) value.catch(() => (made = undefined));
    return value;
  };
}
