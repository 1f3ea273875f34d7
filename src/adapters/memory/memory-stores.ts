/** BlobStore, SubscriberStore and JobQueue in memory: for tests, the benchmark and the studio. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { BlobStore, JobQueue, KeyRepair, MemberFilter, SubscriberAdmin, SubscriberLookup, SubscriberStore } from '../../ports.js';
import type { PlanMessage, SendJob, Subscriber, SubscriberInput, SubscriberPage, SubscriberStatus } from '../../model.js';
import { emailKey } from '../../subscribers/email-address.js';
import { matchesMemberFilter, prefixRange } from '../../subscribers/member-filter.js';
import { SortedKeyMap } from './sorted-key-map.js';
import { newSubscriber } from '../../subscribers/new-subscriber.js';

const subscriberKey = (list: string, email: string) => `${list}#${emailKey(email)}`;

/** Objects in a map. */
export class MemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();

  /** Reads an object (truncated to maxBytes). */
  async get(key: string, options?: { readonly maxBytes?: number }): Promise<Uint8Array | undefined> {
    const body = this.objects.get(key)?.body;
    return body && options?.maxBytes !== undefined ? body.subarray(0, options.maxBytes) : body;
  }

  /** Writes an object. */
  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    this.objects.set(key, { body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, contentType });
  }

  /** An object as text (for assertions). */
  text(key: string): string | undefined {
    const body = this.objects.get(key)?.body;
    return body && Buffer.from(body).toString('utf8');
  }
}

/** Subscribers in a sorted map, keyed by emailKey; cursors are the last address of the previous page. */
export class MemorySubscriberStore implements SubscriberStore, SubscriberLookup, SubscriberAdmin {
  private readonly byKey = new SortedKeyMap<Subscriber>();
  private readonly suppressions = new Set<string>();
  private salt: string | undefined;

  constructor(private readonly newId: () => string = randomUUID) {}

  /** One page of subscribed members in key order, from the list's ordered keys (no sort per page); the cursor is the last key. */
  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    const { entries, more } = this.byKey.page(list, cursor, limit);
    // Like a DynamoDB query with a filter: `limit` counts the members examined, not the ones returned.
    return {
      subscribers: entries.map(([, s]) => s).filter((s) => s.status === 'subscribed'),
      next: more ? entries.at(-1)![0] : undefined,
    };
  }

  /** One subscriber. */
  async get(list: string, email: string): Promise<Subscriber | undefined> {
    return this.byKey.get(subscriberKey(list, email));
  }

  /** One subscriber by id (a scan: fine for tests and the studio). */
  async getById(list: string, id: string): Promise<Subscriber | undefined> {
    return [...this.byKey.values()].find((s) => s.list === list && s.id === id);
  }

  /** Several statuses. */
  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    const out = new Map<string, SubscriberStatus>();
    for (const email of emails) {
      const s = this.byKey.get(subscriberKey(list, email));
      if (s) out.set(email, s.status);
    }
    return out;
  }

  /** Creates or updates, keeping id and createdAt. */
  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    const key = subscriberKey(input.list, input.email);
    const existing = this.byKey.get(key);
    const subscriber: Subscriber = {
      id: existing?.id ?? this.newId(),
      list: input.list,
      email: existing?.email ?? input.email,
      firstName: input.firstName ?? existing?.firstName,
      attributes: input.attributes ?? existing?.attributes,
      status: input.status,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    this.byKey.set(key, subscriber);
    return subscriber;
  }

  /** Changes a status. */
  async setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean> {
    const existing = this.byKey.get(subscriberKey(list, email));
    if (!existing) return false;
    this.byKey.set(subscriberKey(list, email), { ...existing, status, updatedAt: at });
    return true;
  }

  // ── SubscriberAdmin ──────────────────────────────────────────────────────────

  /** Several members, keyed by emailKey. */
  async getMany(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    const out = new Map<string, Subscriber>();
    for (const email of emails) {
      const s = this.byKey.get(subscriberKey(list, email));
      if (s) out.set(emailKey(email), s);
    }
    return out;
  }

  /** Creates members with fresh ids. */
  async createMany(inputs: readonly SubscriberInput[], at: string): Promise<void> {
    for (const input of inputs) this.byKey.set(subscriberKey(input.list, input.email), newSubscriber(input, this.newId(), at));
  }

  /** Replaces a member still as read. */
  async replaceIfUnchanged(subscriber: Subscriber, seenUpdatedAt: string): Promise<boolean> {
    const key = subscriberKey(subscriber.list, subscriber.email);
    if (this.byKey.get(key)?.updatedAt !== seenUpdatedAt) return false;
    this.byKey.set(key, subscriber);
    return true;
  }

  /** Every member of a list, in key order; the cursor is the last key. */
  async pageMembers(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    const { entries, more } = this.byKey.page(list, cursor, limit);
    return { subscribers: entries.map(([, s]) => s), next: more ? entries.at(-1)![0] : undefined };
  }

  /** Deletes a member. */
  async remove(list: string, email: string): Promise<boolean> {
    return this.byKey.delete(subscriberKey(list, email));
  }

  /** The salt, made on first use when asked. */
  async suppressionSalt(create: boolean): Promise<string | undefined> {
    if (this.salt === undefined && create) this.salt = randomBytes(32).toString('base64url');
    return this.salt;
  }

  /** Adds suppression hashes. */
  async addSuppressions(hashes: readonly string[]): Promise<void> {
    for (const hash of hashes) this.suppressions.add(hash);
  }

  /** The suppressed ones among these hashes. */
  async suppressedAmong(hashes: readonly string[]): Promise<ReadonlySet<string>> {
    return new Set(hashes.filter((h) => this.suppressions.has(h)));
  }

  /** Nothing to repair: this store always keyed by emailKey. */
  async repairKeys(): Promise<readonly KeyRepair[]> {
    return [];
  }

  /** Like a DynamoDB query with a filter: the prefix starts the range, and `limit` counts the members examined. */
  async searchMembers(list: string, cursor: string | undefined, limit: number, filter: MemberFilter): Promise<SubscriberPage> {
    const range = filter.addressPrefix ? prefixRange(filter.addressPrefix) : undefined;
    let start = cursor;
    // Skip the keys before the range (a scan here; the indexed stores seek): start after the last one of them.
    while (range && (start === undefined || start < range.from)) {
      const skipped = this.byKey.page(list, start, 1000);
      const before = skipped.entries.filter(([key]) => key < range.from);
      if (before.length < skipped.entries.length) {
        start = before.at(-1)?.[0] ?? start;
        break;
      }
      if (!skipped.more) return { subscribers: [], next: undefined };
      start = before.at(-1)![0];
    }
    const { entries, more } = this.byKey.page(list, start, limit);
    const inRange = entries.filter(([key]) => !range || (key >= range.from && key < range.to));
    const past = range !== undefined && entries.some(([key]) => key >= range.to);
    return {
      subscribers: inRange.map(([, s]) => s).filter((s) => matchesMemberFilter(s, filter)),
      next: more && !past ? entries.at(-1)![0] : undefined,
    };
  }
}

/** Queues as arrays: tests and the studio drain them by hand. */
export class MemoryJobQueue implements JobQueue {
  readonly sendJobs: SendJob[] = [];
  readonly planMessages: PlanMessage[] = [];
  /** The delay asked for each send job (seconds; 0 when none), by job. */
  readonly delays = new Map<SendJob, number>();

  /** Appends send jobs. */
  async enqueueSendJobs(jobs: readonly SendJob[], options: { readonly delaySeconds?: number } = {}): Promise<void> {
    for (const job of jobs) this.delays.set(job, options.delaySeconds ?? 0);
    this.sendJobs.push(...jobs);
  }

  /** Appends a plan page. */
  async enqueuePlan(message: PlanMessage): Promise<void> {
    this.planMessages.push(message);
  }
}
