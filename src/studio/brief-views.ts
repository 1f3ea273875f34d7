/**
 * What the studio's pages show about one brief file: where it stands (valid, scheduled, sending, sent), what
 * a send would do (the confirm step's list, count and time), and a started issue's pause / cancel state.
 */
import { describeAudience } from '../brief/audience.js';
import { countAudience } from '../pipeline/count-audience.js';
import { decideStart } from '../schedule/decide-start.js';
import type { CatalogEntry } from './brief-catalog.js';
import { describeStartTime, type SendConfirmation } from './send-confirmation.js';
import type { StudioContext } from './studio-context.js';
import type { BriefRow, BriefStatus, IssueControlView, ScheduledView } from './studio-pages.js';
import type { StudioSends } from './studio-sends.js';

/** Reads the views of brief files from the studio's stores. */
export class BriefViews {
  constructor(
    private readonly ctx: StudioContext,
    private readonly sends: StudioSends,
  ) {}

  /** The index row of a file. */
  async rowOf(entry: CatalogEntry): Promise<BriefRow> {
    const { status, sentSummary } = await this.statusOf(entry);
    const p = entry.preview;
    return {
      file: entry.file,
      status,
      sentSummary,
      subject: p.ok ? p.subject : undefined,
      issueId: p.ok ? p.brief.id : undefined,
      listName: p.ok ? p.list.displayName : undefined,
      problemCount: p.ok ? 0 : p.problems.length,
      renderMs: p.renderMs,
    };
  }

  /** The schedule waiting for this file's issue, if there is one. */
  pendingScheduleOf(entry: CatalogEntry): ScheduledView | undefined {
    if (!entry.preview.ok) return undefined;
    const { list, id } = entry.preview.brief;
    return this.ctx.scheduled?.().find((s) => s.list === list && s.id === id);
  }

  /** What sending this file now would do, as the confirm step states it; undefined for an invalid brief. */
  async confirmationOf(entry: CatalogEntry): Promise<SendConfirmation | undefined> {
    const preview = entry.preview;
    if (!preview.ok) return undefined;
    const { list, id, sendAt, audience } = preview.brief;
    // Counted, never read whole: the store's counts by status, or the audience counted page by page.
    const [recipients, record] = await Promise.all([
      audience
        ? countAudience(this.ctx.store, list, audience).then((count) => count.matched)
        : this.ctx.store.countByStatus(list).then((counts) => counts.subscribed),
      this.ctx.store.getIssue({ list, id }),
    ]);
    // A started issue continues at once whatever its sendAt says (intake treats it as a duplicate).
    const start = record ? { kind: 'now' as const } : decideStart(sendAt, this.ctx.clock.now());
    return {
      list,
      listName: preview.list.displayName,
      recipients,
      start: start.kind === 'now' ? 'now' : start.at,
      ...(audience ? { audience: describeAudience(audience) } : {}),
    };
  }

  /** A started issue's state for its Pause / Resume / Cancel buttons; undefined before it starts. */
  async controlOf(entry: CatalogEntry): Promise<IssueControlView | undefined> {
    if (!entry.preview.ok) return undefined;
    const issue = { list: entry.preview.brief.list, id: entry.preview.brief.id };
    const [record, health] = await Promise.all([this.ctx.store.getIssue(issue), this.ctx.store.issueHealth(issue)]);
    if (!record) return undefined;
    const { planned, sent, failed, unknown } = record.counts;
    return {
      paused: record.pause,
      breaker: health.breaker,
      cancelledAt: record.cancelledAt,
      unfinished: !record.planComplete || sent + failed + unknown < planned,
    };
  }

  private async statusOf(entry: CatalogEntry): Promise<{ status: BriefStatus; sentSummary?: string | undefined }> {
    if (!entry.preview.ok) return { status: 'invalid' };
    if (this.sends.isRunning(entry.file)) return { status: 'sending' };
    const record = await this.ctx.store.getIssue({ list: entry.preview.brief.list, id: entry.preview.brief.id });
    if (!record) {
      const pending = this.pendingScheduleOf(entry);
      return pending
        ? { status: 'scheduled', sentSummary: `scheduled for ${describeStartTime(pending.at, this.ctx.timeZone).utc}` }
        : { status: 'valid' };
    }
    const when = record.claimedAt.slice(0, 16).replace('T', ' ');
    const state = record.cancelledAt ? ', cancelled' : record.pause ? ', paused' : '';
    return {
      status: 'sent',
      sentSummary: `sent to ${record.counts.sent} on ${when} UTC${record.counts.failed ? `, ${record.counts.failed} failed` : ''}${state}`,
    };
  }
}
