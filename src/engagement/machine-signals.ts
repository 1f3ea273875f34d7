/**
 * Which opens and clicks a machine made, judged from one event when it is parsed; only the verdict is kept,
 * never the IP address or user agent it was judged from. Heuristics, as careful senders use them:
 * - Apple Mail Privacy Protection fetches every image of every mail through Apple's proxies, read or not:
 *   their requests carry the bare user agent `Mozilla/5.0` and come from Apple's network (17.0.0.0/8).
 * - Link scanners (Microsoft Defender Safe Links, Mimecast, Proofpoint, Barracuda…) follow links within
 *   seconds of delivery, before any person could, often with a tool's user agent.
 * "Every link at once" (a scanner following all links in one burst) needs several events and is not judged
 * here; the timing rule catches most of those bursts, which happen at delivery.
 */

/** Clicks this soon after the message was sent are a scanner's. */
export const SCANNER_WINDOW_MS = 10_000;

/** User agents of link scanners, security gateways and HTTP tools (never a person's mail client). */
const SCANNER_AGENT =
  /bot\b|crawler|spider|python-requests|curl\/|wget\/|go-http-client|java\/|okhttp|headless|barracuda|mimecast|proofpoint|safelinks|symantec|forcepoint|trendmicro|fireeye|zscaler/i;

/** What an open or click event says about who made it (not stored). */
export interface EventOrigin {
  readonly userAgent?: string | undefined;
  readonly ipAddress?: string | undefined;
}

/** Whether an open was made by a machine: Apple's privacy proxy, or a tool. */
export function isMachineOpen(origin: EventOrigin): boolean {
  const agent = origin.userAgent?.trim();
  return agent === 'Mozilla/5.0' || isAppleNetwork(origin.ipAddress) || (agent !== undefined && SCANNER_AGENT.test(agent));
}

/** Whether a click was made by a machine: within SCANNER_WINDOW_MS of the send, or by a scanner's user agent. */
export function isMachineClick(origin: EventOrigin, sentMs: number | undefined, atMs: number | undefined): boolean {
  if (sentMs !== undefined && atMs !== undefined && atMs - sentMs < SCANNER_WINDOW_MS) return true;
  const agent = origin.userAgent?.trim();
  return agent !== undefined && SCANNER_AGENT.test(agent);
}

// Apple owns 17.0.0.0/8 (IPv4); its proxies' IPv6 ranges are not a stable published list, so the agent decides there.
function isAppleNetwork(ip: string | undefined): boolean {
  return ip !== undefined && /^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip.trim());
}
