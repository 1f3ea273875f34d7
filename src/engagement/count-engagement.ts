/**
 * SES Open and Click events (or the studio's emulation of them) into an issue's engagement counters. Each
 * event is claimed by its key before it counts, so a redelivered notification counts once; a reader's first
 * open, first click and first click on a link are claimed too (by the delivery's subscriber id, never an
 * address), which is what makes the unique figures exact. A click is counted on the link's position in the
 * issue's link map; a link the issue never had is ignored, and so is an event of a list that does not track it.
 * Every counted click is also recorded per reader (link and time), so that a scanner following every link at
 * once is seen: the click that completes such a burst, and later ones in it, count as a machine's.
 */
import type { ListsConfig } from '../config/lists.js';
import type { IssueLink, IssueRef } from '../model.js';
import type { EngagementLedger } from '../ports.js';
import type { EngagementFeedback } from './engagement-event.js';
import { type EngagementKind, eventDelta, hourBucket, READER_CLAIM_PREFIX } from './engagement-counters.js';
import { isLinkSweep } from './machine-signals.js';

/** What counting engagement needs. */
export interface EngagementDeps {
  readonly ledger: EngagementLedger;
  /** The issue's link map as rendered; undefined when none was stored (then no click can be placed). */
  links(issue: IssueRef): Promise<readonly IssueLink[] | undefined>;
}

/** What one open or click did. */
export type EngagementOutcome =
  | {
      readonly counted: true;
      readonly kind: EngagementKind;
      readonly machine: boolean;
      /** True when the click was judged a machine's only by the "every link at once" rule (see isLinkSweep). */
      readonly sweep?: boolean | undefined;
      /** The reader's first of this kind (and flag) on this issue. */
      readonly firstForReader: boolean;
      readonly position?: number | undefined;
    }
  | { readonly counted: false; readonly duplicate: boolean; readonly reason: string };

/** Counts one open or click on its issue, once. */
export async function countEngagement(deps: EngagementDeps, lists: ListsConfig, feedback: EngagementFeedback): Promise<EngagementOutcome> {
  const event = feedback.engagement;
  const kind: EngagementKind | undefined = feedback.kind === 'open' ? 'open' : feedback.kind === 'click' ? 'click' : undefined;
  if (!event || !kind) return ignored(`${feedback.kind} is not an open or a click`);
  const issue = feedback.issue;
  const list = issue && lists.lists.get(issue.list);
  if (!issue || !list) return ignored('no issue tags of a known list');
  // SES adds its pixel to every message of the tracked configuration set: a list that tracks clicks only
  // still gets Open events, which are dropped here, uncounted.
  if (!(kind === 'open' ? list.tracking?.opens : list.tracking?.clicks)) return ignored(`list ${list.id} does not track ${kind}s`);

  let position: number | undefined;
  let linkCount = 0;
  if (kind === 'click') {
    const links = await deps.links(issue);
    position = links?.find((link) => link.url === event.link)?.position;
    if (position === undefined) return ignored('a link this issue does not have');
    linkCount = links!.length;
  }
  const atMs = Date.parse(event.at);
  const sentMs = event.sentAt !== undefined && !Number.isNaN(Date.parse(event.sentAt)) ? Date.parse(event.sentAt) : atMs;
  const reader = feedback.delivery ?? `message-${feedback.messageId}`;

  const eventKey = `engagement#${feedback.messageId}#${kind}#${event.at}${position !== undefined ? `#${position}` : ''}`;
  if (!(await deps.ledger.claimEngagement(issue, eventKey))) return { counted: false, duplicate: true, reason: 'counted before' };
  // Machine clicks are recorded too: a burst that starts inside the timing rule's seconds and goes on past them is one.
  const sweep =
    position !== undefined &&
    Number.isFinite(atMs) &&
    isLinkSweep(await deps.ledger.recordReaderClick(issue, reader, { position, atMs }), { position, atMs }, linkCount);
  const machine = event.machine || sweep;
  const firstForReader = await deps.ledger.claimEngagement(
    issue,
    `${READER_CLAIM_PREFIX}${kind}#${machine ? 'machine' : 'human'}#${reader}`,
  );
  const firstOnLink =
    position !== undefined && !machine
      ? await deps.ledger.claimEngagement(issue, `${READER_CLAIM_PREFIX}link-${position}#${reader}`)
      : false;
  await deps.ledger.addEngagement(
    issue,
    eventDelta({ kind, machine, hour: hourBucket(sentMs, atMs), position }, { reader: firstForReader, link: firstOnLink }),
  );
  return {
    counted: true,
    kind,
    machine,
    ...(sweep && !event.machine ? { sweep: true } : {}),
    firstForReader,
    ...(position !== undefined ? { position } : {}),
  };
}

function ignored(reason: string): EngagementOutcome {
  return { counted: false, duplicate: false, reason };
}
