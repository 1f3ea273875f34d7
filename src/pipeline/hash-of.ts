/** A stable, well-spread 32-bit hash of a string (FNV-1a): for jitter and shard choice, not for security. */
export function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
