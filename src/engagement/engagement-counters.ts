/**
 * The engagement counters as stored (flat names, `[A-Za-z0-9_]` so that every store takes them as they are,
 * DynamoDB attribute names included) and the one fold that turns them into EngagementCounts. Pure.
 */
import type { EngagementCounts, EngagementTally, HourEngagement, IssueLink, LinkEngagement, ReaderClick } from '../model.js';

/** Hours after a message's send that are counted one by one; later events go to one bucket. */
export const ENGAGEMENT_HOURS = 48;

/** What one counted event is. */
export type EngagementKind = 'open' | 'click';

/** The stored counter names. */
export const COUNTER = {
  total: (kind: EngagementKind, machine: boolean) => `e_${kind}${machine ? '_machine' : ''}`,
  unique: (kind: EngagementKind, machine: boolean) => `e_${kind}${machine ? '_machine' : ''}_unique`,
  linkTotal: (position: number) => `e_link_${position}`,
  linkUnique: (position: number) => `e_link_${position}_unique`,
  linkMachine: (position: number) => `e_link_${position}_machine`,
  hour: (kind: EngagementKind, hour: number) => `e_hour_${hour}_${kind}`,
  later: (kind: EngagementKind) => `e_later_${kind}`,
} as const;

/**
 * Claims of a reader's first open, click or click on a link start with this: they must live as long as the issue
 * is read (stores may keep them longer than event claims, which only have to outlive redeliveries).
 */
export const READER_CLAIM_PREFIX = 'engagement#reader#';

/**
 * A reader's recorded click (see EngagementLedger.recordReaderClick), in stores that keep it as a claim key:
 * `engagement#click-at#<reader>#<position>#<ms>`. Only as long as an event's claim: the rule reads seconds.
 */
export const READER_CLICK_PREFIX = 'engagement#click-at#';

/** The claim key that records `click` of `reader`. */
export function readerClickKey(reader: string, click: ReaderClick): string {
  return `${READER_CLICK_PREFIX}${reader}#${click.position}#${click.atMs}`;
}

/** The recorded clicks among `keys` (claim keys of one reader under `${READER_CLICK_PREFIX}${reader}#`): the latest time per link. */
export function latestReaderClicks(keys: Iterable<string>): ReaderClick[] {
  const latest = new Map<number, number>();
  for (const key of keys) {
    // Position and time are the last two parts; a reader id never has to be split.
    const parts = key.split('#');
    const position = Number(parts.at(-2));
    const atMs = Number(parts.at(-1));
    if (!Number.isInteger(position) || !Number.isFinite(atMs)) continue;
    if (atMs > (latest.get(position) ?? -Infinity)) latest.set(position, atMs);
  }
  return [...latest].map(([position, atMs]) => ({ position, atMs }));
}

/** Whether a stored attribute or counter name is an engagement counter (the `e_` prefix). */
export const isEngagementCounter = (name: string): boolean => /^e_[A-Za-z0-9_]+$/.test(name);

/** The hour bucket of an event `atMs` after a message sent at `sentMs` (ENGAGEMENT_HOURS for later ones; 0 for clock skew). */
export function hourBucket(sentMs: number, atMs: number): number {
  const hour = Math.floor(Math.max(0, atMs - sentMs) / 3_600_000);
  return Math.min(hour, ENGAGEMENT_HOURS);
}

/** One counted event's place: its kind, its flag, its hour, and its link's position (clicks). */
export interface CountedEvent {
  readonly kind: EngagementKind;
  readonly machine: boolean;
  readonly hour: number;
  readonly position?: number | undefined;
}

/** The counters one event adds; `first` says whether it is the reader's first of its kind (and of its link). */
export function eventDelta(event: CountedEvent, first: { readonly reader: boolean; readonly link: boolean }): Record<string, number> {
  const delta: Record<string, number> = { [COUNTER.total(event.kind, event.machine)]: 1 };
  if (first.reader) delta[COUNTER.unique(event.kind, event.machine)] = 1;
  if (event.position !== undefined) {
    if (event.machine) delta[COUNTER.linkMachine(event.position)] = 1;
    else {
      delta[COUNTER.linkTotal(event.position)] = 1;
      if (first.link) delta[COUNTER.linkUnique(event.position)] = 1;
    }
  }
  // The timeline shows people: machine events happen at delivery and would only draw the send's shape.
  if (!event.machine) delta[event.hour >= ENGAGEMENT_HOURS ? COUNTER.later(event.kind) : COUNTER.hour(event.kind, event.hour)] = 1;
  return delta;
}

/** EngagementCounts from the stored counters and the issue's link map. */
export function foldEngagement(
  counters: Readonly<Record<string, number>>,
  links: readonly IssueLink[],
  tracking: EngagementCounts['tracking'],
): EngagementCounts {
  const n = (name: string) => Number(counters[name] ?? 0);
  const tally = (kind: EngagementKind, machine: boolean): EngagementTally => ({
    total: n(COUNTER.total(kind, machine)),
    unique: n(COUNTER.unique(kind, machine)),
  });
  const hourly: HourEngagement[] = Array.from({ length: ENGAGEMENT_HOURS }, (_, hour) => ({
    hour,
    opens: n(COUNTER.hour('open', hour)),
    clicks: n(COUNTER.hour('click', hour)),
  }));
  const linkRows: LinkEngagement[] = links.map((link) => ({
    ...link,
    total: n(COUNTER.linkTotal(link.position)),
    unique: n(COUNTER.linkUnique(link.position)),
    machine: n(COUNTER.linkMachine(link.position)),
  }));
  return {
    tracking,
    opens: tally('open', false),
    clicks: tally('click', false),
    machineOpens: tally('open', true),
    machineClicks: tally('click', true),
    links: linkRows,
    hourly,
    later: { opens: n(COUNTER.later('open')), clicks: n(COUNTER.later('click')) },
  };
}
