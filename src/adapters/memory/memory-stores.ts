/** BlobStore, SubscriberStore and JobQueue in memory: for tests, the benchmark and the studio. */
import { randomUUID } from 'node:crypto';
import type { BlobStore, JobQueue, SubscriberLookup, SubscriberStore } from '../../ports.js';
import type { PlanMessage, SendJob, Subscriber, SubscriberInput, SubscriberPage, SubscriberStatus } from '../../model.js';

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

/** Subscribers in a sorted map; cursors are the last address of the previous page. */
export class MemorySubscriberStore implements SubscriberStore, SubscriberLookup {
  private readonly byKey = new Map<string, Subscriber>();

  constructor(private readonly newId: () => string = randomUUID) {}

  /** One page of subscribed members, in address order. */
  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    const members = [...this.byKey.values()]
      .filter((s) => s.list === list)
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    const start = cursor === undefined ? 0 : members.findIndex((s) => s.email > cursor);
    const examined = start < 0 ? [] : members.slice(start, start + limit);
    // Like a DynamoDB query with a filter: `limit` counts the members examined, not the ones returned.
    const more = start >= 0 && start + limit < members.length;
    return { subscribers: examined.filter((s) => s.status === 'subscribed'), next: more ? examined.at(-1)!.email : undefined };
  }

  /** One subscriber. */
  async get(list: string, email: string): Promise<Subscriber | undefined> {
    return this.byKey.get(`${list}#${email}`);
  }

  /** One subscriber by id (a scan: fine for tests and the studio). */
  async getById(list: string, id: string): Promise<Subscriber | undefined> {
    return [...this.byKey.values()].find((s) => s.list === list && s.id === id);
  }

  /** Several statuses. */
  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    const out = new Map<string, SubscriberStatus>();
    for (const email of emails) {
      const s = this.byKey.get(`${list}#${email}`);
      if (s) out.set(email, s.status);
    }
    return out;
  }

  /** Creates or updates, keeping id and createdAt. */
  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    const key = `${input.list}#${input.email}`;
    const existing = this.byKey.get(key);
    const subscriber: Subscriber = {
      id: existing?.id ?? this.newId(),
      list: input.list,
      email: input.email,
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
    const existing = this.byKey.get(`${list}#${email}`);
    if (!existing) return false;
    this.byKey.set(`${list}#${email}`, { ...existing, status, updatedAt: at });
    return true;
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
