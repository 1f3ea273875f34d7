/** The id source of stores in functions that never create subscribers (unsubscribe, feedback). */

/** An upsert from these functions would be a bug, so it fails loudly. */
export function noNewIds(): string {
  throw new Error('this function does not create subscribers');
}
