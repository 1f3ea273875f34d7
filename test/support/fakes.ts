/** Fakes for the pipeline's ports: a clock that only moves when told, and a scriptable mailer. */
import { readFileSync } from 'node:fs';
import { MemoryLedger } from '../../src/adapters/memory/memory-ledger.js';
import { MemoryBlobStore, MemoryJobQueue, MemorySubscriberStore } from '../../src/adapters/memory/memory-stores.js';
import { MemoryScheduler } from '../../src/adapters/memory/memory-scheduler.js';
import { parseListsConfig, type ListsConfig } from '../../src/config/lists.js';
import type { OutboundMessage } from '../../src/deliver/compose-message.js';
import { parseKeyring, signToken } from '../../src/deliver/tokens.js';
import { TokenBucket } from '../../src/pipeline/rate-limiter.js';
import type { SendDeps } from '../../src/pipeline/send-job.js';
import type { UnsubscribeDeps } from '../../src/subscribers/unsubscribe.js';
import type { Clock, Mailer, Sleeper } from '../../src/ports.js';
import type { SendReceipt } from '../../src/model.js';

/** Time that moves only when something sleeps (or a test advances it). */
export class FakeClock implements Clock, Sleeper {
  constructor(public ms = Date.parse('2026-03-02T09:00:00Z')) {}
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
  }
}

/** A mailer that records every message and fails where the script says. */
export class ScriptedMailer implements Mailer {
  readonly sent: OutboundMessage[] = [];
  calls = 0;
  /** Called with the 1-based call number; throw to fail that call. */
  constructor(private readonly script: (call: number, message: OutboundMessage) => void = () => {}) {}
  async send(message: OutboundMessage): Promise<SendReceipt> {
    const call = ++this.calls;
    await new Promise((resolve) => setImmediate(resolve));
    this.script(call, message);
    this.sent.push(message);
    return { messageId: `ses-${call}` };
  }
  /** How many messages each address received. */
  countsByRecipient(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.sent) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    return counts;
  }
}

/** The repository's example lists. */
export const testLists: ListsConfig = parseListsConfig(
  JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')),
);

/** A keyring for tests (never a real secret). */
export const testKeyring = parseKeyring({ current: 't1', t1: 'test-signing-key-0123456789abcdef-0123456789' });

/** Ada subscribed to weekly as `sub-1`, the unsubscribe deps over her store, and her signed unsubscribe token. */
export async function subscribedReader(): Promise<{ store: MemorySubscriberStore; deps: UnsubscribeDeps; token: string }> {
  const store = new MemorySubscriberStore(() => 'sub-1');
  const deps: UnsubscribeDeps = { subscribers: store, lists: testLists, keyring: testKeyring, clock: new FakeClock() };
  await store.upsert({ list: 'weekly', email: 'ada@example.org', status: 'subscribed' }, '2026-03-01T00:00:00Z');
  const token = signToken({ list: 'weekly', subscriber: 'sub-1', purpose: 'unsubscribe' }, testKeyring);
  return { store, deps, token };
}

/** A fixture brief's bytes. */
export function fixtureBrief(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}

/** An in-memory world for the use-cases. */
export function memoryWorld(mailer: Mailer = new ScriptedMailer()) {
  const clock = new FakeClock();
  const blobs = new MemoryBlobStore();
  const ledger = new MemoryLedger();
  const subscribers = new MemorySubscriberStore();
  const queue = new MemoryJobQueue();
  const sendDeps: SendDeps = {
    blobs,
    ledger,
    subscribers,
    mailer,
    lists: testLists,
    keyring: testKeyring,
    clock,
    limiter: new TokenBucket({ ratePerSecond: 1000 }, clock, clock),
    queue,
    issues: new Map(),
    parallelism: 4,
  };
  const scheduler = new MemoryScheduler();
  return {
    clock,
    blobs,
    ledger,
    subscribers,
    queue,
    mailer,
    scheduler,
    sendDeps,
    intakeDeps: { blobs, ledger, queue, lists: testLists, clock, scheduler, subscribers },
    planDeps: { subscribers, ledger, queue },
  };
}

/** Adds `n` subscribed members to a list: reader000@example.org … */
export async function seedSubscribers(store: MemorySubscriberStore, list: string, n: number, at = '2026-03-01T00:00:00Z'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await store.upsert(
      { list, email: `reader${String(i).padStart(3, '0')}@example.org`, firstName: `Reader ${i}`, status: 'subscribed' },
      at,
    );
  }
}
