/**
 * The embedded store of local mode: subscribers, ledger, feedback and confirmation claims in one SQLite
 * database under the state folder. Every check-and-write is one write transaction, so the claims are as
 * idempotent as DynamoDB's conditional writes, also across processes (the studio and a `newsbrief send` in
 * another terminal). The delivery rules are the shared pure transitions; rows keep the ports' records as
 * JSON beside the columns that are searched, so pages come from an index by cursor and counts are queries.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { StatementSync } from 'node:sqlite';
import { latestReaderClicks, READER_CLICK_PREFIX, readerClickKey } from '../../engagement/engagement-counters.js';
import { addFeedback, ZERO_FEEDBACK } from '../../feedback/feedback-counts.js';
import type {
  BreakerOverride,
  BreakerTrip,
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryState,
  FeedbackCounter,
  FeedbackCounts,
  IssueClaim,
  IssueCounts,
  IssueHealth,
  IssuePause,
  IssueRecord,
  IssueRef,
  ReaderClick,
  Subscriber,
  SubscriberInput,
  SubscriberPage,
  SubscriberStatus,
} from '../../model.js';
import { newIssueRecord } from '../../model.js';
import { addCounts, claimTransition, type CountsDelta, completeTransition, releasable } from '../../pipeline/delivery-record.js';
import type {
  ConfirmationThrottle,
  DeliveryCompletion,
  EngagementLedger,
  FeedbackLedger,
  KeyRepair,
  Ledger,
  MemberFilter,
  SubscriberAdmin,
  SubscriberLookup,
  SubscriberStore,
  WindowBudget,
  WindowCount,
} from '../../ports.js';
import { FIELD_NAME_PATTERN, normalizeTag, TAGS_FIELD } from '../../brief/audience.js';
import { emailKey } from '../../subscribers/email-address.js';
import { matchesMemberFilter, prefixRange } from '../../subscribers/member-filter.js';
import { isLocalHolderGone } from './process-holder.js';
import { STATE_DB_FILE, StateDatabase } from './state-database.js';

export { STATE_DB_FILE } from './state-database.js';

/** The columns a Subscriber is read from (subscriberOfRow). */
const COLUMNS = 'key, list, email, id, status, first_name, attributes, created_at, updated_at';

/** A subscriber from its row (undefined for none). */
function subscriberOfRow(row: Row | undefined): Subscriber | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    list: row.list as string,
    email: row.email as string,
    firstName: (row.first_name as string | null) ?? undefined,
    attributes: row.attributes === null ? undefined : (JSON.parse(row.attributes as string) as Record<string, string>),
    status: row.status as SubscriberStatus,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

/** Every subscriber status, for counts that name each one. */
const STATUSES: readonly SubscriberStatus[] = ['pending', 'subscribed', 'unsubscribed', 'bounced', 'complained'];

type Row = Record<string, unknown>;
const docOf = <T>(row: Row | undefined): T | undefined => (row ? (JSON.parse(row.doc as string) as T) : undefined);

/** Subscribers and ledger of local mode, persisted in `<stateDir>/state.db`. */
export class LocalStore
  implements SubscriberStore, SubscriberAdmin, SubscriberLookup, Ledger, FeedbackLedger, ConfirmationThrottle, EngagementLedger
{
  /** The database file. */
  readonly path: string;
  private readonly database: StateDatabase;
  private readonly statements = new Map<string, StatementSync>();

  /** `holderIsGone` tells whether a claim's process still runs (tests pass their own). */
  constructor(
    stateDir: string,
    private readonly holderIsGone: (holder: string) => boolean = isLocalHolderGone,
  ) {
    this.path = join(stateDir, STATE_DB_FILE);
    this.database = StateDatabase.open(this.path);
  }

  /** Runs `fn` in one write transaction of this store (used by the one-time import of an old log). */
  transaction<T>(fn: () => T): T {
    return this.database.transaction(fn);
  }

  /** Closes the database file. */
  close(): void {
    this.database.close();
  }

  // ── SubscriberStore ──────────────────────────────────────────────────────────

  /** One page of subscribed members in key order, from the (list, key) index after the cursor (the last key); members who left are skipped. */
  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    return this.page(
      `SELECT ${COLUMNS} FROM subscribers WHERE list = ? AND key > ? AND status = 'subscribed' ORDER BY key LIMIT ?`,
      list,
      cursor,
      limit,
    );
  }

  async get(list: string, email: string): Promise<Subscriber | undefined> {
    return this.query(() => this.subscriberOf(list, email));
  }

  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    const rows = this.query(() =>
      this.sql('SELECT key, status FROM subscribers WHERE list = ? AND key IN (SELECT value FROM json_each(?))').all(
        list,
        JSON.stringify(emails.map(emailKey)),
      ),
    );
    const byKey = new Map(rows.map((row) => [row.key as string, row.status as SubscriberStatus]));
    const found = new Map<string, SubscriberStatus>();
    for (const email of emails) {
      const status = byKey.get(emailKey(email));
      if (status) found.set(email, status);
    }
    return found;
  }

  /** Creates or updates; the address as first written is kept, and a name or attributes not given too (as DynamoDB's store does). */
  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    return this.database.transaction(() => {
      const subscriber = merged(this.subscriberOf(input.list, input.email), input, at);
      this.writeSubscriber(subscriber);
      return subscriber;
    });
  }

  async setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean> {
    return this.database.transaction(() => {
      const existing = this.subscriberOf(list, email);
      if (!existing) return false;
      this.writeSubscriber({ ...existing, status, updatedAt: at });
      return true;
    });
  }

  /** A subscriber by the opaque id that links carry (SubscriberLookup), from the (list, id) index. */
  async getById(list: string, id: string): Promise<Subscriber | undefined> {
    return this.query(() => subscriberOfRow(this.sql(`SELECT ${COLUMNS} FROM subscribers WHERE list = ? AND id = ?`).get(list, id)));
  }

  /** A subscriber by the opaque id that links carry. */
  async findById(list: string, id: string): Promise<Subscriber | undefined> {
    return this.getById(list, id);
  }

  /** Every member of a list whatever their status, in key order (the studio's table; pageMembers reads a large list in pages). */
  async members(list: string): Promise<Subscriber[]> {
    return this.query(() =>
      this.sql(`SELECT ${COLUMNS} FROM subscribers WHERE list = ? ORDER BY key`)
        .all(list)
        .map((row) => subscriberOfRow(row)!),
    );
  }

  /** How many members of a list have each status: the counts the database keeps as members change, read in one query. */
  async countByStatus(list: string): Promise<Record<SubscriberStatus, number>> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
    for (const row of this.query(() => this.sql('SELECT status, n FROM subscriber_counts WHERE list = ?').all(list)))
      counts[row.status as SubscriberStatus] = Number(row.n);
    return counts;
  }

  // ── SubscriberAdmin ──────────────────────────────────────────────────────────

  async getMany(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    // In key order: the index is walked from one end to the other, not probed at random pages.
    const keys = emails.map(emailKey).sort();
    const rows = this.query(() =>
      this.sql(`SELECT ${COLUMNS} FROM subscribers WHERE list = ? AND key IN (SELECT value FROM json_each(?))`).all(
        list,
        JSON.stringify(keys),
      ),
    );
    return new Map(rows.map((row) => [row.key as string, subscriberOfRow(row)!]));
  }

  /** Creates the members in one transaction (an import's batch: one commit for a thousand rows or more). */
  async createMany(inputs: readonly SubscriberInput[], at: string): Promise<void> {
    if (inputs.length === 0) return;
    // Both indexes are walked in order, not at random: the rows go in by key, and the batch's fresh random ids
    // are sorted and handed out in that order. Each index page is then changed once per batch and needs to stay
    // in the cache only while the batch passes it (a batch of random keys rereads and rewrites pages at random).
    // The ids share one time stamp, so that the batch is one run of the (list, id) index, not spread over all of it.
    const sorted = inputs.map((input) => ({ key: emailKey(input.email), input })).sort((a, b) => compare(a.key, b.key));
    const stamp = idStamp();
    const ids = Array.from(sorted, () => stamp + randomIdPart()).sort(compare);
    this.database.transaction(() => {
      // New members are counted once per batch and status, not per row (see the schema's second step).
      const added = new Map<string, { list: string; status: SubscriberStatus; n: number }>();
      for (const [i, { input }] of sorted.entries()) {
        const subscriber = merged(undefined, input, at, ids[i]);
        if (!this.insertSubscriber(subscriber)) continue;
        const slot = `${subscriber.list}\n${subscriber.status}`;
        const count = added.get(slot);
        if (count) count.n++;
        else added.set(slot, { list: subscriber.list, status: subscriber.status, n: 1 });
      }
      for (const { list, status, n } of added.values()) this.countIn(list, status, n);
    });
  }

  async replaceIfUnchanged(subscriber: Subscriber, seenUpdatedAt: string): Promise<boolean> {
    return this.database.transaction(() => {
      const existing = this.subscriberOf(subscriber.list, subscriber.email);
      if (existing?.updatedAt !== seenUpdatedAt) return false;
      this.writeSubscriber(subscriber);
      return true;
    });
  }

  async pageMembers(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    return this.page(`SELECT ${COLUMNS} FROM subscribers WHERE list = ? AND key > ? ORDER BY key LIMIT ?`, list, cursor, limit);
  }

  async remove(list: string, email: string): Promise<boolean> {
    return this.database.transaction(
      () => Number(this.sql('DELETE FROM subscribers WHERE list = ? AND key = ?').run(list, emailKey(email)).changes) > 0,
    );
  }

  async suppressionSalt(create: boolean): Promise<string | undefined> {
    const read = () => this.sql(`SELECT value FROM settings WHERE name = 'suppression-salt'`).get()?.value as string | undefined;
    const found = this.query(read);
    if (found !== undefined || !create) return found;
    return this.database.transaction(() => {
      // Made once: a process that got here first keeps its salt.
      this.sql(`INSERT OR IGNORE INTO settings (name, value) VALUES ('suppression-salt', ?)`).run(randomBytes(32).toString('base64url'));
      return read()!;
    });
  }

  async addSuppressions(hashes: readonly string[], at: string): Promise<void> {
    this.database.transaction(() => {
      for (const hash of hashes) this.sql('INSERT OR IGNORE INTO suppressions (hash, at) VALUES (?, ?)').run(hash, at);
    });
  }

  async suppressedAmong(hashes: readonly string[]): Promise<ReadonlySet<string>> {
    const rows = this.query(() =>
      this.sql('SELECT hash FROM suppressions WHERE hash IN (SELECT value FROM json_each(?))').all(JSON.stringify(hashes)),
    );
    return new Set(rows.map((row) => row.hash as string));
  }

  /** Nothing to repair: this store keys by emailKey since its first version (an old log's case variants are merged as it is moved in). */
  async repairKeys(_list: string, _options: { readonly apply: boolean; readonly at: string }): Promise<readonly KeyRepair[]> {
    return [];
  }

  // ── Ledger ───────────────────────────────────────────────────────────────────

  async claimIssue(issue: IssueRef, claim: IssueClaim): Promise<boolean> {
    return this.database.transaction(() => {
      const record = newIssueRecord(issue, claim);
      const inserted = this.sql('INSERT OR IGNORE INTO issues (list, id, claimed_at, doc) VALUES (?, ?, ?, ?)').run(
        issue.list,
        issue.id,
        record.claimedAt,
        JSON.stringify(record),
      );
      return Number(inserted.changes) === 1;
    });
  }

  async releaseIssue(issue: IssueRef): Promise<void> {
    this.database.transaction(() => this.sql('DELETE FROM issues WHERE list = ? AND id = ?').run(issue.list, issue.id));
  }

  async getIssue(issue: IssueRef): Promise<IssueRecord | undefined> {
    return this.query(() => this.issueOf(issue));
  }

  async addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void> {
    this.updateIssue(issue, (record) => ({ ...record, counts: addCounts(record.counts, delta) }));
  }

  async markPagePlanned(issue: IssueRef, page: number, planned: number, next: string | undefined): Promise<boolean> {
    return this.updateIssue(issue, (record) =>
      record.plannedPage !== page - 1
        ? undefined
        : {
            ...record,
            plannedPage: page,
            nextCursor: next,
            planComplete: next === undefined,
            counts: { ...record.counts, planned: record.counts.planned + planned },
          },
    );
  }

  async setIssuePause(issue: IssueRef, pause: IssuePause | undefined): Promise<void> {
    this.updateIssue(issue, (record) => ({ ...record, pause }));
  }

  async cancelIssue(issue: IssueRef, at: string): Promise<boolean> {
    return this.database.transaction(() => {
      const record = this.issueOf(issue);
      if (!record) return false;
      if (record.cancelledAt === undefined) this.writeIssue({ ...record, cancelledAt: at });
      return true;
    });
  }

  async deliveryStates(issue: IssueRef, subscriberIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryState>> {
    const rows = this.query(() =>
      this.sql(
        'SELECT subscriber_id, status FROM deliveries WHERE list = ? AND issue = ? AND subscriber_id IN (SELECT value FROM json_each(?))',
      ).all(issue.list, issue.id, JSON.stringify(subscriberIds)),
    );
    return new Map(rows.map((row) => [row.subscriber_id as string, row.status as DeliveryState]));
  }

  async claimDelivery(issue: IssueRef, subscriberId: string, lease: DeliveryLease): Promise<DeliveryClaim> {
    return this.database.transaction(() => {
      const step = claimTransition(this.deliveryOf(issue, subscriberId), lease, this.holderIsGone);
      if (step.record) this.writeDelivery(issue, subscriberId, step.record, step.delta);
      return step.claim;
    });
  }

  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean> {
    return this.database.transaction(() => {
      const step = completeTransition(this.deliveryOf(issue, subscriberId), outcome, at);
      if (!step) return false;
      this.writeDelivery(issue, subscriberId, step.record, step.delta);
      return true;
    });
  }

  async claimDeliveries(issue: IssueRef, subscriberIds: readonly string[], lease: DeliveryLease): Promise<readonly DeliveryClaim[]> {
    return this.database.transaction(() =>
      subscriberIds.map((subscriberId) => {
        const step = claimTransition(this.deliveryOf(issue, subscriberId), lease, this.holderIsGone);
        if (step.record) this.writeDelivery(issue, subscriberId, step.record, step.delta);
        return step.claim;
      }),
    );
  }

  async completeDeliveries(issue: IssueRef, completions: readonly DeliveryCompletion[]): Promise<readonly boolean[]> {
    return this.database.transaction(() =>
      completions.map(({ subscriberId, outcome, at }) => {
        const step = completeTransition(this.deliveryOf(issue, subscriberId), outcome, at);
        if (step) this.writeDelivery(issue, subscriberId, step.record, step.delta);
        return step !== undefined;
      }),
    );
  }

  async releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void> {
    this.database.transaction(() => {
      // Only a live claim is released: a completed or unknown delivery stays recorded.
      if (!releasable(this.deliveryOf(issue, subscriberId))) return;
      this.sql('DELETE FROM deliveries WHERE list = ? AND issue = ? AND subscriber_id = ?').run(issue.list, issue.id, subscriberId);
    });
  }

  /** Every issue the ledger knows, oldest first. */
  async listIssues(): Promise<IssueRecord[]> {
    return this.query(() =>
      this.sql('SELECT doc FROM issues ORDER BY claimed_at')
        .all()
        .map((row) => docOf<IssueRecord>(row)!),
    );
  }

  /** The deliveries of one issue, by subscriber id. */
  async deliveriesOf(issue: IssueRef): Promise<ReadonlyMap<string, DeliveryRecord>> {
    const rows = this.query(() =>
      this.sql('SELECT subscriber_id, doc FROM deliveries WHERE list = ? AND issue = ?').all(issue.list, issue.id),
    );
    return new Map(rows.map((row) => [row.subscriber_id as string, docOf<DeliveryRecord>(row)!]));
  }

  /** The delivery record of one subscriber (for assertions). */
  delivery(issue: IssueRef, subscriberId: string): DeliveryRecord | undefined {
    return this.query(() => this.deliveryOf(issue, subscriberId));
  }

  // ── FeedbackLedger ───────────────────────────────────────────────────────────

  async countFeedbackOnce(issue: IssueRef, eventKey: string, counter: FeedbackCounter): Promise<boolean> {
    return this.database.transaction(() => {
      const claimed = this.sql('INSERT OR IGNORE INTO feedback_events (list, issue, event_key) VALUES (?, ?, ?)').run(
        issue.list,
        issue.id,
        eventKey,
      );
      if (Number(claimed.changes) !== 1) return false;
      this.updateHealth(issue, (health) => ({ ...health, counts: addFeedback(health.counts, { [counter]: 1 }) }));
      return true;
    });
  }

  async addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void> {
    this.database.transaction(() => this.updateHealth(issue, (health) => ({ ...health, counts: addFeedback(health.counts, delta) })));
  }

  async issueHealth(issue: IssueRef): Promise<IssueHealth> {
    return this.query(() => this.healthOf(issue));
  }

  async tripBreaker(issue: IssueRef, trip: BreakerTrip): Promise<boolean> {
    return this.database.transaction(() => {
      const health = this.healthOf(issue);
      if (health.breaker) return false;
      this.writeHealth(issue, { ...health, breaker: trip });
      return true;
    });
  }

  async overrideBreaker(issue: IssueRef, override: BreakerOverride): Promise<boolean> {
    return this.database.transaction(() => {
      const health = this.healthOf(issue);
      if (health.breaker?.at !== override.previous.at) return false;
      this.writeHealth(issue, { counts: health.counts, overrides: [...(health.overrides ?? []), override] });
      return true;
    });
  }

  // ── ConfirmationThrottle ─────────────────────────────────────────────────────

  async take(budget: WindowBudget, atMs: number): Promise<boolean> {
    return this.database.transaction(() => {
      const start = windowStart(budget, atMs);
      // Windows before this one are over: forget them as we go.
      this.sql('DELETE FROM counters WHERE key = ? AND window_start < ?').run(budget.key, start);
      if (this.counterOf(budget.key, start) >= budget.limit) return false;
      this.bump(budget.key, start, 1);
      return true;
    });
  }

  async add(count: WindowCount, atMs: number, by: number): Promise<void> {
    this.database.transaction(() => this.bump(count.key, windowStart(count, atMs), by));
  }

  async read(counts: readonly WindowCount[], atMs: number): Promise<number[]> {
    return this.query(() => counts.map((count) => this.counterOf(count.key, windowStart(count, atMs))));
  }

  async reset(count: WindowCount, atMs: number): Promise<void> {
    this.database.transaction(() =>
      this.sql('DELETE FROM counters WHERE key = ? AND window_start = ?').run(count.key, windowStart(count, atMs)),
    );
  }

  // ── internals ────────────────────────────────────────────────────────────────

  /** A prepared statement, prepared once per store. */
  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.database.guard(() => this.database.db.prepare(text));
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs a read, naming the file if it turns out damaged. */
  private query<T>(fn: () => T): T {
    return this.database.guard(fn);
  }

  /** A page of `sql` (list, cursor, limit + 1): the cursor is the last row's key when there are more. */
  private page(sql: string, list: string, cursor: string | undefined, limit: number): SubscriberPage {
    const rows = this.query(() => this.sql(sql).all(list, cursor ?? '', limit + 1));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return { subscribers: kept.map((row) => subscriberOfRow(row)!), next: more ? (kept.at(-1)!.key as string) : undefined };
  }

  private subscriberOf(list: string, email: string): Subscriber | undefined {
    return subscriberOfRow(this.sql(`SELECT ${COLUMNS} FROM subscribers WHERE list = ? AND key = ?`).get(list, emailKey(email)));
  }

  /** Writes a subscriber row under its key, replacing the one there (inside a transaction); the counts by status follow. */
  writeSubscriber(subscriber: Subscriber): void {
    if (this.insertSubscriber(subscriber)) this.countIn(subscriber.list, subscriber.status, 1);
  }

  /**
   * Inserts a member's row, or replaces the one under its key; true when it was inserted, which the caller
   * counts (countIn). A replacement is an UPDATE, whose trigger moves the counts (INSERT OR REPLACE would
   * delete without firing it).
   */
  private insertSubscriber(subscriber: Subscriber): boolean {
    const key = emailKey(subscriber.email);
    const attributes = subscriber.attributes === undefined ? null : JSON.stringify(subscriber.attributes);
    const firstName = subscriber.firstName ?? null;
    // The conflict target is the key only: an id that collided would fail loudly rather than be skipped.
    const inserted = this.sql(
      `INSERT INTO subscribers (list, key, email, id, status, first_name, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (list, key) DO NOTHING`,
    ).run(
      subscriber.list,
      key,
      subscriber.email,
      subscriber.id,
      subscriber.status,
      firstName,
      attributes,
      subscriber.createdAt,
      subscriber.updatedAt,
    );
    if (Number(inserted.changes) === 1) return true;
    this.sql(
      `UPDATE subscribers SET email = ?, id = ?, status = ?, first_name = ?, attributes = ?, created_at = ?, updated_at = ?
       WHERE list = ? AND key = ?`,
    ).run(
      subscriber.email,
      subscriber.id,
      subscriber.status,
      firstName,
      attributes,
      subscriber.createdAt,
      subscriber.updatedAt,
      subscriber.list,
      key,
    );
    return false;
  }

  /** Adds `n` new members of `status` to the list's counts (inside a transaction). */
  private countIn(list: string, status: SubscriberStatus, n: number): void {
    this.sql(
      'INSERT INTO subscriber_counts (list, status, n) VALUES (?, ?, ?) ON CONFLICT (list, status) DO UPDATE SET n = n + excluded.n',
    ).run(list, status, n);
  }

  private counterOf(key: string, start: number): number {
    return Number(this.sql('SELECT count FROM counters WHERE key = ? AND window_start = ?').get(key, start)?.count ?? 0);
  }

  private bump(key: string, start: number, by: number): void {
    this.sql(
      'INSERT INTO counters (key, window_start, count) VALUES (?, ?, ?) ON CONFLICT (key, window_start) DO UPDATE SET count = count + excluded.count',
    ).run(key, start, by);
  }

  private issueOf(issue: IssueRef): IssueRecord | undefined {
    return docOf<IssueRecord>(this.sql('SELECT doc FROM issues WHERE list = ? AND id = ?').get(issue.list, issue.id));
  }

  /** Writes an issue row (inside a transaction). */
  writeIssue(record: IssueRecord): void {
    this.sql('INSERT OR REPLACE INTO issues (list, id, claimed_at, doc) VALUES (?, ?, ?, ?)').run(
      record.list,
      record.id,
      record.claimedAt,
      JSON.stringify(record),
    );
  }

  /** Changes an existing issue in one transaction; false when there is none or `change` declines (undefined). */
  private updateIssue(issue: IssueRef, change: (record: IssueRecord) => IssueRecord | undefined): boolean {
    return this.database.transaction(() => {
      const record = this.issueOf(issue);
      const updated = record && change(record);
      if (!updated) return false;
      this.writeIssue(updated);
      return true;
    });
  }

  private deliveryOf(issue: IssueRef, subscriberId: string): DeliveryRecord | undefined {
    return docOf<DeliveryRecord>(
      this.sql('SELECT doc FROM deliveries WHERE list = ? AND issue = ? AND subscriber_id = ?').get(issue.list, issue.id, subscriberId),
    );
  }

  /** Writes a delivery row and moves its issue's counts with it (inside a transaction). */
  writeDelivery(issue: IssueRef, subscriberId: string, record: DeliveryRecord, delta: CountsDelta = {}): void {
    this.sql('INSERT OR REPLACE INTO deliveries (list, issue, subscriber_id, status, doc) VALUES (?, ?, ?, ?, ?)').run(
      issue.list,
      issue.id,
      subscriberId,
      record.status,
      JSON.stringify(record),
    );
    if (Object.keys(delta).length === 0) return;
    const current = this.issueOf(issue);
    if (current) this.writeIssue({ ...current, counts: addCounts(current.counts, delta) });
  }

  private healthOf(issue: IssueRef): IssueHealth {
    return (
      docOf<IssueHealth>(this.sql('SELECT doc FROM feedback WHERE list = ? AND issue = ?').get(issue.list, issue.id)) ?? {
        counts: ZERO_FEEDBACK,
      }
    );
  }

  /** Writes an issue's feedback health (inside a transaction). */
  writeHealth(issue: IssueRef, health: IssueHealth): void {
    this.sql('INSERT OR REPLACE INTO feedback (list, issue, doc) VALUES (?, ?, ?)').run(issue.list, issue.id, JSON.stringify(health));
  }

  private updateHealth(issue: IssueRef, change: (health: IssueHealth) => IssueHealth): void {
    this.writeHealth(issue, change(this.healthOf(issue)));
  }

  /** Records a feedback event key as counted (inside a transaction; the old log's import). */
  writeFeedbackKey(issue: IssueRef, eventKey: string): void {
    this.sql('INSERT OR IGNORE INTO feedback_events (list, issue, event_key) VALUES (?, ?, ?)').run(issue.list, issue.id, eventKey);
  }

  // ── EngagementLedger ─────────────────────────────────────────────────────────
  // In the tables that exist (no migration): claims beside the feedback events, counters as window 0 of
  // `engagement#<list>#<id>#<name>` in the counters table, read back by one range on its primary key.

  async claimEngagement(issue: IssueRef, key: string): Promise<boolean> {
    return this.database.transaction(
      () =>
        Number(
          this.sql('INSERT OR IGNORE INTO feedback_events (list, issue, event_key) VALUES (?, ?, ?)').run(issue.list, issue.id, key)
            .changes,
        ) === 1,
    );
  }

  async addEngagement(issue: IssueRef, delta: Readonly<Record<string, number>>): Promise<void> {
    this.database.transaction(() => {
      for (const [name, by] of Object.entries(delta)) this.bump(`${engagementPrefix(issue)}${name}`, 0, by);
    });
  }

  async engagementCounters(issue: IssueRef): Promise<Readonly<Record<string, number>>> {
    const prefix = engagementPrefix(issue);
    const rows = this.query(() =>
      this.sql('SELECT key, count FROM counters WHERE key >= ? AND key < ? AND window_start = 0').all(prefix, `${prefix}\uffff`),
    );
    return Object.fromEntries(rows.map((row) => [(row.key as string).slice(prefix.length), Number(row.count)]));
  }

  /** An INSERT OR IGNORE of the click's claim key beside the other claims, then one range of the reader's recorded clicks. */
  async recordReaderClick(issue: IssueRef, reader: string, click: ReaderClick): Promise<readonly ReaderClick[]> {
    await this.claimEngagement(issue, readerClickKey(reader, click));
    const prefix = `${READER_CLICK_PREFIX}${reader}#`;
    const rows = this.query(() =>
      this.sql('SELECT event_key FROM feedback_events WHERE list = ? AND issue = ? AND event_key >= ? AND event_key < ?').all(
        issue.list,
        issue.id,
        prefix,
        `${prefix}\uffff`,
      ),
    );
    return latestReaderClicks(rows.map((row) => row.event_key as string));
  }

  // ── Search and reader history (the studio's Subscribers page) ──────────────────

  /**
   * A filtered page in one indexed query: the address prefix is a range of the (list, key) index, status, tag
   * and field are SQL conditions, so a page holds `limit` matches whenever that many follow the cursor.
   */
  async searchMembers(list: string, cursor: string | undefined, limit: number, filter: MemberFilter): Promise<SubscriberPage> {
    const where = ['list = ?', 'key > ?'];
    const args: (string | number)[] = [list, cursor ?? ''];
    if (filter.addressPrefix) {
      const range = prefixRange(filter.addressPrefix);
      where.push('key >= ?', 'key < ?');
      args.push(range.from, range.to);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.tag) {
      // Tags are `;`-separated in the `tags` field; framing both in `;` makes this an exact tag match.
      where.push(`instr(';' || replace(lower(json_extract(attributes, '$.tags')), ' ', '') || ';', ?) > 0`);
      args.push(`;${normalizeTag(filter.tag)};`);
    }
    if (filter.field) {
      if (!FIELD_NAME_PATTERN.test(filter.field.name) && filter.field.name !== TAGS_FIELD) return { subscribers: [], next: undefined };
      where.push('lower(trim(json_extract(attributes, ?))) = ?');
      args.push(`$."${filter.field.name}"`, filter.field.value.trim().toLowerCase());
    }
    const rows = this.query(() =>
      this.sql(`SELECT ${COLUMNS} FROM subscribers WHERE ${where.join(' AND ')} ORDER BY key LIMIT ?`).all(...args, limit + 1),
    );
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return {
      // SQLite's lower() folds ASCII only: the pure matcher has the last word on anything else.
      subscribers: kept.map((row) => subscriberOfRow(row)!).filter((member) => matchesMemberFilter(member, filter)),
      next: more ? (kept.at(-1)!.key as string) : undefined,
    };
  }

  /**
   * Which of these engagement claims of an issue exist (exact keys, e.g. a reader's `engagement#reader#open#human#<id>`):
   * one primary-key lookup each, so a person's history costs their issues and links, not the list's readers.
   */
  async claimedAmong(issue: IssueRef, keys: readonly string[]): Promise<ReadonlySet<string>> {
    const rows = this.query(() =>
      this.sql('SELECT event_key FROM feedback_events WHERE list = ? AND issue = ? AND event_key IN (SELECT value FROM json_each(?))').all(
        issue.list,
        issue.id,
        JSON.stringify(keys),
      ),
    );
    return new Set(rows.map((row) => row.event_key as string));
  }
}

/** Where an issue's engagement counters are kept in the counters table. */
const engagementPrefix = (issue: IssueRef) => `engagement#${issue.list}#${issue.id}#`;

/** The subscriber an upsert makes: id, address as first written and creation time kept; a name or attributes not given too. */
function merged(existing: Subscriber | undefined, input: SubscriberInput, at: string, id?: string): Subscriber {
  const attributes = input.attributes !== undefined && Object.keys(input.attributes).length > 0 ? input.attributes : existing?.attributes;
  return {
    id: existing?.id ?? id ?? newSubscriberId(),
    list: input.list,
    email: existing?.email ?? input.email,
    firstName: input.firstName ?? existing?.firstName,
    attributes,
    status: input.status,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}

// One call for many ids: crypto's per-call cost was a sixth of a bulk import's CPU.
let idPool = Buffer.alloc(0);
let idOffset = 0;
let lastStamp = 0;

/**
 * A subscriber id: a time stamp then 96 random bits, URL-safe ([0-9a-z] then base64url; what SES tags and links
 * allow). The stamp makes ids made later sort later, so that new members are appended to the (list, id) index
 * instead of landing on every page of it: with wholly random ids a million-row import rewrote that whole index
 * in every batch. The random part is what makes an id unguessable, as before.
 */
function newSubscriberId(): string {
  return idStamp() + randomIdPart();
}

/** Milliseconds since the epoch in base 36, fixed width (sorts as it counts), strictly increasing within this process. */
function idStamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp.toString(36).padStart(9, '0');
}

/** 96 random bits, base64url. */
function randomIdPart(): string {
  if (idOffset + 12 > idPool.length) {
    idPool = randomBytes(12 * 1024);
    idOffset = 0;
  }
  idOffset += 12;
  return idPool.toString('base64url', idOffset - 12, idOffset);
}

/** Orders strings as SQLite's BINARY collation does (code units; the keys and ids compared here are ASCII or near it). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The start of the window that holds `atMs` (epoch ms). */
const windowStart = (count: WindowCount, atMs: number) => atMs - (atMs % count.windowMs);
