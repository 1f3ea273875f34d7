/**
 * Which opens and clicks a machine made, judged from one event when it is parsed; only the verdict is kept,
 * never the IP address or user agent it was judged from. Heuristics, as careful senders use them:
 * - Apple Mail Privacy Protection fetches every image of every mail through Apple's proxies, read or not:
 *   their requests carry the bare user agent `Mozilla/5.0` and come from Apple's network (17.0.0.0/8).
 * - Link scanners (Microsoft Defender Safe Links, Mimecast, Proofpoint, Barracuda…) follow links within
 *   seconds of delivery, before any person could, often with a tool's user agent.
 * - "Every link at once": a scanner follows all of a message's links in one burst, often later than the
 *   timing rule's first seconds (a gateway that holds mail, Safe Links re-checking). One reader's clicks covering
 *   nearly every link of the issue within SWEEP_WINDOW_MS are a machine's (isLinkSweep), judged from the few
 *   clicks the engagement ledger keeps per reader (link position and time only).
 */
import type { ReaderClick } from '../model.js';

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

/** A reader's clicks within this span that cover nearly every link of the issue are a scanner's. */
export const SWEEP_WINDOW_MS = 30_000;

/** The "every link at once" rule needs at least this many distinct links… */
export const SWEEP_MIN_LINKS = 3;

/** …and at least this share of the tracked links. */
export const SWEEP_SHARE = 0.8;

/**
 * Whether `click` completes, or falls inside, a burst of one reader's clicks on at least SWEEP_MIN_LINKS distinct
 * links and SWEEP_SHARE of the issue's `linkCount` tracked links within SWEEP_WINDOW_MS; `clicks` are the
 * reader's recorded clicks (a time per link). Only the click that completes the burst and later ones are judged
 * by it: the burst's earlier clicks were counted when they came, before the burst could be seen.
 */
export function isLinkSweep(clicks: readonly ReaderClick[], click: ReaderClick, linkCount: number): boolean {
  if (linkCount < SWEEP_MIN_LINKS) return false;
  // 1e-9 keeps a product like 0.8 × 5 from rounding up past the whole number it is meant to be.
  const needed = Math.max(SWEEP_MIN_LINKS, Math.ceil(SWEEP_SHARE * linkCount - 1e-9));
  // This click's own time stands for its link: a store may hold an older or newer one.
  const times = [...clicks.filter((c) => c.position !== click.position), click].filter(
    (c) => Math.abs(c.atMs - click.atMs) <= SWEEP_WINDOW_MS,
  );
  if (new Set(times.map((c) => c.position)).size < needed) return false;
  // Some span of SWEEP_WINDOW_MS holding this click holds enough links: try each click as the span's start.
  return times.some((start) => {
    if (start.atMs > click.atMs || click.atMs - start.atMs > SWEEP_WINDOW_MS) return false;
    const inSpan = times.filter((c) => c.atMs >= start.atMs && c.atMs - start.atMs <= SWEEP_WINDOW_MS);
    return new Set(inSpan.map((c) => c.position)).size >= needed;
  });
}
