/**
 * The embedded store of local mode: subscribers and the ledger in one JSON-lines file under the state
 * folder. Each check-and-write runs under the log's lock, so the claims are as idempotent as DynamoDB's
 * conditional writes, also across processes (the studio and a `newsbrief send` in another terminal).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Subscriber, SubscriberInput, SubscriberPage, SubscriberStatus } from '../../model.js';
import type { SubscriberLookup, SubscriberStore } from '../../ports.js';
import { InProcessLedger, type LedgerEvent } from '../memory/in-process-ledger.js';
import { AppendLog } from './append-log.js';
import { isLocalHolderGone } from './process-holder.js';

/** A line of the store's log: a subscriber as it now is, or a ledger event. */
type LogRecord = { readonly t: 'sub'; readonly s: Subscriber } | LedgerEvent;

/** File name of the log inside the state folder. */
export const STORE_FILE = 'store.jsonl';

const subscriberKey = (list: string, email: string) => `${list}#${email}`;

/** Subscribers and ledger of local mode, persisted under `stateDir`: the in-process ledger over a file. */
export class LocalStore extends InProcessLedger implements SubscriberStore, SubscriberLookup {
  private readonly subscribers: Map<string, Subscriber>;
  private readonly log: AppendLog<LogRecord>;

  /** `holderIsGone` tells whether a claim's process still runs (tests pass their own). */
  constructor(stateDir: string, holderIsGone: (holder: string) => boolean = isLocalHolderGone) {
    const subscribers = new Map<string, Subscriber>();
    let log: AppendLog<LogRecord> | undefined;
    super((applyLedger) => {
      log = new AppendLog<LogRecord>(join(stateDir, STORE_FILE), (record) => {
        if (record.t === 'sub') subscribers.set(subscriberKey(record.s.list, record.s.email), record.s);
        else applyLedger(record);
      });
      return log;
    }, holderIsGone);
    this.subscribers = subscribers;
    this.log = log!;
    this.log.refresh();
  }

  // ── SubscriberStore ──────────────────────────────────────────────────────────

  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    const members = this.read(() =>
      this.membersOf(list).filter((s) => s.status === 'subscribed' && (cursor === undefined || s.email > cursor)),
    );
    const page = members.slice(0, limit);
    return { subscribers: page, next: members.length > limit ? page[page.length - 1]!.email : undefined };
  }

  async get(list: string, email: string): Promise<Subscriber | undefined> {
    return this.read(() => this.subscribers.get(subscriberKey(list, email)));
  }

  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    return this.read(() => {
      const found = new Map<string, SubscriberStatus>();
      for (const email of emails) {
        const subscriber = this.subscribers.get(subscriberKey(list, email));
        if (subscriber) found.set(email, subscriber.status);
      }
      return found;
    });
  }

  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    return this.log.transact(() => {
      const existing = this.subscribers.get(subscriberKey(input.list, input.email));
      const subscriber: Subscriber = {
        id: existing?.id ?? randomBytes(12).toString('base64url'),
        list: input.list,
        email: input.email,
        firstName: input.firstName,
        attributes: input.attributes,
        status: input.status,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      return { append: [{ t: 'sub', s: subscriber }], result: subscriber };
    });
  }

  async setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean> {
    return this.log.transact(() => {
      const existing = this.subscribers.get(subscriberKey(list, email));
      if (!existing) return { result: false };
      return { append: [{ t: 'sub', s: { ...existing, status, updatedAt: at } }], result: true };
    });
  }

  /** Every member of a list whatever their status, ordered by address (for export and the studio). */
  async members(list: string): Promise<Subscriber[]> {
    return this.read(() => this.membersOf(list));
  }

  /** A subscriber by the opaque id that links carry. */
  async findById(list: string, id: string): Promise<Subscriber | undefined> {
    return this.read(() => this.membersOf(list).find((s) => s.id === id));
  }

  /** A subscriber by the opaque id that links carry (SubscriberLookup). */
  async getById(list: string, id: string): Promise<Subscriber | undefined> {
    return this.findById(list, id);
  }

  // ── internals ────────────────────────────────────────────────────────────────

  private membersOf(list: string): Subscriber[] {
    return [...this.subscribers.values()]
      .filter((s) => s.list === list)
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  }
}
