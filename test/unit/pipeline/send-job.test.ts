import { describe, expect, it } from 'vitest';
import { planPage } from '../../../src/pipeline/plan-page.js';
import {
  AccountSendingPausedError,
  PermanentSendError,
  SendOutcomeUnknownError,
  TransientSendError,
} from '../../../src/deliver/send-errors.js';
import { backoffMs, newSendRun, sendJob, type SendJobResult } from '../../../src/pipeline/send-job.js';
import { TokenBucket } from '../../../src/pipeline/rate-limiter.js';
import type { SendJob } from '../../../src/model.js';
import { memoryWorld, ScriptedMailer, seedSubscribers } from '../../support/fakes.js';
import { startFixtureIssue } from '../../support/fixtures.js';

const issue = { list: 'weekly', id: 'minimal' };
const run = () => newSendRun('test-holder');

/** The minimal brief started (as intake leaves it) and planned in memory; returns the world with its send jobs queued. */
async function readyToSend(mailer: ScriptedMailer, subscribers = 50) {
  const world = memoryWorld(mailer);
  await seedSubscribers(world.subscribers, 'weekly', subscribers);
  await startFixtureIssue(world.intakeDeps, 'minimal');
  for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift()) await planPage(world.planDeps, m);
  return world;
}
type World = Awaited<ReturnType<typeof readyToSend>>;

/** Runs queued jobs and their continuations like SQS would: a delayed job runs once the clock has reached its delay. */
async function drain(world: World, deps = world.sendDeps, maxJobs = 200): Promise<SendJobResult[]> {
  const results: SendJobResult[] = [];
  for (let n = 0; n < maxJobs; n++) {
    const job = world.queue.sendJobs.shift();
    if (!job) break;
    world.clock.ms += (world.queue.delays.get(job) ?? 0) * 1000;
    results.push(await sendJob(deps, job, run()));
  }
  return results;
}

function expectEachOnce(mailer: ScriptedMailer, n: number): void {
  const counts = mailer.countsByRecipient();
  expect(counts.size).toBe(n);
  expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
}

describe('sendJob', () => {
  it('sends one personalized message per recipient and records each SES message id', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    const [result] = await drain(world);
    expect(result).toMatchObject({ outcome: 'complete', sent: 3, failed: 0, skipped: 0, unknown: 0, continued: 0 });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['reader000@example.org', 'reader001@example.org', 'reader002@example.org']);
    expect(mailer.sent[0]!.raw.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mailer.sent[0]!.tags).toMatchObject({ list: 'weekly', issue: 'minimal', delivery: expect.any(String) });
    expect(world.queue.sendJobs).toEqual([]);
    const deliveries = [...world.ledger.deliveries.values()];
    expect(deliveries.every((d) => d.status === 'sent' && d.messageId?.startsWith('ses-'))).toBe(true);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ planned: 3, sent: 3, unknown: 0 });
  });

  it('skips every recipient of a redelivered job that already went out, without taking a rate token', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 10);
    const job = world.queue.sendJobs[0]!;
    await sendJob(world.sendDeps, job, run());
    const before = world.clock.now();
    const again = await sendJob(world.sendDeps, job, run());
    expect(again).toMatchObject({ outcome: 'complete', sent: 0, skipped: 10 });
    expect(world.clock.now()).toBe(before);
    expect(mailer.sent).toHaveLength(10);
  });

  it('retries a throttled send inside the job, backing off, and completes the job', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call === 37) throw new TransientSendError('SES throttled: Maximum sending rate exceeded.');
    });
    const world = await readyToSend(mailer, 50);
    const [result, ...rest] = await drain(world);
    expect(result).toMatchObject({ outcome: 'complete', sent: 50, continued: 0 });
    expect(rest).toEqual([]);
    expect(mailer.calls).toBe(51);
    expectEachOnce(mailer, 50);
    expect((await world.ledger.getIssue(issue))?.counts.sent).toBe(50);
  });

  it('mails everyone exactly once at 20 % throttling, and nothing is ever given back to the queue', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call % 5 === 0) throw new TransientSendError('SES throttled: Maximum sending rate exceeded.');
    });
    const world = await readyToSend(mailer, 200);
    const results = await drain(world);
    expect(results.every((r) => r.outcome !== 'paused')).toBe(true);
    expectEachOnce(mailer, 200);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 200, failed: 0, unknown: 0 });
  });

  it('hands a job on as a continuation when throttling outlasts its attempts', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call >= 3 && call <= 20) throw new TransientSendError('SES throttled');
    });
    const world = await readyToSend(mailer, 5);
    const deps = { ...world.sendDeps, parallelism: 1 };
    const [first] = await drain(world, deps, 1);
    expect(first).toMatchObject({ outcome: 'continued', sent: 2, continued: 3, reason: /throttled/ });
    expect(world.queue.delays.get(world.queue.sendJobs[0]!)).toBeGreaterThan(0);
    await drain(world, deps);
    expectEachOnce(mailer, 5);
  });

  it('records a rejected address as failed and carries on with the rest', async () => {
    const mailer = new ScriptedMailer((_, message) => {
      if (message.to === 'reader001@example.org') throw new PermanentSendError('MessageRejected: Address blacklisted.');
    });
    const world = await readyToSend(mailer, 3);
    const [result] = await drain(world);
    expect(result).toMatchObject({ outcome: 'complete', sent: 2, failed: 1 });
    const failed = [...world.ledger.deliveries.values()].filter((d) => d.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatch(/blacklisted/);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 2, failed: 1 });
    // A retry of the job does not try the rejected address again.
    expect(await sendJob(world.sendDeps, await jobFor(world), run())).toMatchObject({ sent: 0, skipped: 3 });
  });

  it('pauses the issue when the daily quota is used up, and resumes by itself when SES takes mail again', async () => {
    let quotaLeft = 4;
    const mailer = new ScriptedMailer(() => {
      if (quotaLeft-- <= 0)
        throw new AccountSendingPausedError('SES daily quota exhausted: Daily message quota exceeded.', undefined, 'quota');
    });
    const world = await readyToSend(mailer, 100);
    const [a, b] = world.queue.sendJobs.splice(0) as [SendJob, SendJob];
    const shared = run();
    const first = await sendJob(world.sendDeps, a, shared);
    const second = await sendJob(world.sendDeps, b, shared);
    expect(first).toMatchObject({ outcome: 'paused', sent: 4, continued: 46, delaySeconds: 900, pausedNow: { kind: 'quota' } });
    expect(second).toMatchObject({ outcome: 'paused', sent: 0, continued: 50 });
    expect(mailer.calls).toBeLessThanOrEqual(4 + 4); // only the messages already in flight were tried
    expect([...world.ledger.deliveries.values()].filter((d) => d.status === 'claimed')).toEqual([]);
    expect((await world.ledger.getIssue(issue))?.pause).toMatchObject({ kind: 'quota', reason: /quota/ });

    // A continuation that wakes before the pause is over waits again without calling SES.
    const calls = mailer.calls;
    const early = world.queue.sendJobs.shift()!;
    expect(await sendJob(world.sendDeps, early, run())).toMatchObject({ outcome: 'paused', sent: 0 });
    expect(mailer.calls).toBe(calls);

    quotaLeft = Number.POSITIVE_INFINITY;
    await drain(world);
    expectEachOnce(mailer, 100);
    const record = await world.ledger.getIssue(issue);
    expect(record?.pause).toBeUndefined();
    expect(record?.counts).toMatchObject({ sent: 100, unknown: 0 });
  });

  it('re-sends a delivery whose holder vanished once its lease is over, and counts it as re-sent', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    const job = world.queue.sendJobs.shift()!;
    const now = world.clock.now();
    // A crashed invocation claimed recipient 1 and never answered.
    await world.ledger.claimDelivery(issue, job.recipients[1]!.id, {
      at: new Date(now).toISOString(),
      nowMs: now,
      holder: 'crashed',
      until: now + 60_000,
    });
    const first = await sendJob(world.sendDeps, job, run());
    expect(first).toMatchObject({ outcome: 'continued', sent: 2, continued: 1, delaySeconds: 2 });
    world.clock.ms = now + 60_001;
    const [second] = await drain(world);
    expect(second).toMatchObject({ outcome: 'complete', sent: 1, resent: 1 });
    expect(world.ledger.delivery(issue, job.recipients[1]!.id)).toMatchObject({ status: 'sent', attempt: 2 });
    expectEachOnce(mailer, 3);
  });

  it('waits for SES to confirm a send that got no answer, and does not send it again once SES did', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call === 2) throw new SendOutcomeUnknownError('no answer from SES: Error (ECONNRESET): socket hang up');
    });
    const world = await readyToSend(mailer, 3);
    const deps = { ...world.sendDeps, parallelism: 1, policy: { unknownGraceMs: 120_000 } };
    const job = world.queue.sendJobs.shift()!;
    const first = await sendJob(deps, job, run());
    expect(first).toMatchObject({ outcome: 'continued', sent: 2, unknown: 1, continued: 1, delaySeconds: 120 });
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 2, unknown: 1 });
    // SES's Send event for it arrives (the feedback function records it).
    expect(
      await world.ledger.completeDelivery(issue, job.recipients[1]!.id, { status: 'sent', messageId: 'ses-2' }, '2026-03-02T09:00:05Z'),
    ).toBe(true);
    const [second] = await drain(world, deps);
    expect(second).toMatchObject({ outcome: 'complete', sent: 0, skipped: 1 });
    expect(mailer.calls).toBe(3);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 3, unknown: 0 });
  });

  it('sends again a send that got no answer when no confirmation came within the grace period', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call === 2) throw new SendOutcomeUnknownError('no answer from SES: TimeoutError: Request timed out');
    });
    const world = await readyToSend(mailer, 3);
    const deps = { ...world.sendDeps, parallelism: 1, policy: { unknownGraceMs: 120_000 } };
    const results = await drain(world, deps);
    expect(results.map((r) => r.outcome)).toEqual(['continued', 'complete']);
    expect(results[1]).toMatchObject({ sent: 1, resent: 1 });
    expect(mailer.calls).toBe(4);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 3, unknown: 0 });
  });

  it('never sends again what SES took when recording it fails: the job fails and the open claim waits for the Send event', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    const ledger = world.ledger;
    let failed = false;
    // The ledger write after the second send fails once (a DynamoDB error, not an SES one).
    const flakyLedger = Object.assign(Object.create(ledger) as typeof ledger, {
      completeDelivery: (...args: Parameters<typeof ledger.completeDelivery>) => {
        if (!failed && args[2].status === 'sent' && mailer.calls === 2) {
          failed = true;
          return Promise.reject(Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException' }));
        }
        return ledger.completeDelivery(...args);
      },
    });
    const deps = { ...world.sendDeps, ledger: flakyLedger, parallelism: 1, policy: { unknownGraceMs: 1_000, leaseMs: 120_000 } };
    const job = world.queue.sendJobs.shift()!;

    await expect(sendJob(deps, job, run())).rejects.toThrow('Transaction cancelled');
    expect((await ledger.getIssue(issue))?.counts).toMatchObject({ unknown: 0 });
    // SQS gives the job back after the grace but within the lease: nobody is mailed again.
    world.clock.ms += 5_000;
    const again = await sendJob(deps, job, run());
    expect(again).toMatchObject({ outcome: 'continued', continued: 1 });
    expect(mailer.calls).toBe(3);
    // SES's Send event settles the open claim.
    expect(
      await ledger.completeDelivery(issue, job.recipients[1]!.id, { status: 'sent', messageId: 'ses-2' }, '2026-03-02T09:00:05Z'),
    ).toBe(true);
    await drain(world, deps);
    expect(mailer.calls).toBe(3);
    expectEachOnce(mailer, 3);
  });

  it('with no grace period (no SES events locally) sends an unanswered message again within the job', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call === 2) throw new SendOutcomeUnknownError('no answer from SES: socket hang up');
    });
    const world = await readyToSend(mailer, 3);
    const [result] = await drain(world, { ...world.sendDeps, policy: { unknownGraceMs: 0 } });
    expect(result).toMatchObject({ outcome: 'complete', sent: 3, unknown: 1, resent: 1 });
  });

  it('takes no token within one call of the deadline, leaves no claim behind, and continues the rest at once', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 10);
    const job = world.queue.sendJobs.shift()!;
    // Each rate token costs 100 ms on the fake clock; with a 1 s call budget, the deadline stops the fourth.
    const deps = {
      ...world.sendDeps,
      parallelism: 1,
      policy: { callBudgetMs: 1000 },
      limiter: new TokenBucket({ ratePerSecond: 10 }, world.clock, world.clock),
    };
    const result = await sendJob(deps, job, newSendRun('h', world.clock.now() + 1250));
    expect(result).toMatchObject({ outcome: 'continued', sent: 3, continued: 7, delaySeconds: 0, reason: /out of time/ });
    expect([...world.ledger.deliveries.values()].filter((d) => d.status === 'claimed')).toEqual([]);
    expect(await drain(world)).toMatchObject([{ outcome: 'complete', sent: 7 }]);
  });

  it('does not send to someone who unsubscribed between planning and sending', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    await world.subscribers.setStatus('weekly', 'reader002@example.org', 'unsubscribed', '2026-03-02T09:00:01Z');
    const [result] = await drain(world);
    expect(result).toMatchObject({ sent: 2, unsubscribed: 1 });
  });

  it('sends each recipient once when two copies of a job run at the same time', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 50);
    const job = world.queue.sendJobs.shift()!;
    await Promise.all([sendJob(world.sendDeps, job, run()), sendJob(world.sendDeps, job, newSendRun('other-holder'))]);
    await drain(world);
    expectEachOnce(mailer, 50);
  });

  it("keeps a container's deliveries in flight within its parallelism across jobs, though each job gets its own deps", async () => {
    let inFlight = 0;
    let most = 0;
    const mailer = new ScriptedMailer();
    const send = mailer.send.bind(mailer);
    mailer.send = async (message) => {
      most = Math.max(most, ++inFlight);
      try {
        return await send(message);
      } finally {
        inFlight--;
      }
    };
    const world = await readyToSend(mailer, 150);
    const jobs = world.queue.sendJobs.splice(0);
    expect(jobs).toHaveLength(3);
    // As the send function does: a deps object per job (the lists as they are now), one limiter per container.
    await Promise.all(jobs.map((job) => sendJob({ ...world.sendDeps, parallelism: 4 }, job, run())));
    expectEachOnce(mailer, 150);
    expect(most).toBe(4);
  });

  it('reads the issue once for the jobs of one invocation (they start together), and per job in a run that does not share', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 150);
    let reads = 0;
    const ledger = world.ledger;
    const counting = Object.assign(Object.create(ledger) as typeof ledger, {
      getIssue: (...args: Parameters<typeof ledger.getIssue>) => {
        reads++;
        return ledger.getIssue(...args);
      },
    });
    const jobs = world.queue.sendJobs.splice(0);
    const invocation = newSendRun('lambda:one');
    await Promise.all(jobs.map((job) => sendJob({ ...world.sendDeps, ledger: counting }, job, invocation)));
    expect(reads).toBe(1);
    expectEachOnce(mailer, 150);
    reads = 0;
    const local = { holder: 'local' };
    for (const job of jobs) await sendJob({ ...world.sendDeps, ledger: counting }, job, local);
    expect(reads).toBe(3);
  });

  it('sends nothing for a cancelled issue', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    await world.ledger.cancelIssue(issue, '2026-03-02T09:00:00Z');
    const [result] = await drain(world);
    expect(result).toMatchObject({ outcome: 'complete', sent: 0, cancelled: 3 });
    expect(mailer.calls).toBe(0);
  });

  it('reads the rendered issue once per warm container', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 120);
    let reads = 0;
    const get = world.blobs.get.bind(world.blobs);
    world.blobs.get = async (key, options) => {
      reads++;
      return get(key, options);
    };
    await drain(world);
    expect(reads).toBe(1);
    expect(mailer.sent).toHaveLength(120);
  });

  it('backs off exponentially with jitter between half and one and a half times the step', () => {
    const waits = [1, 2, 3].map((attempt) => backoffMs(100, attempt, 'reader-7'));
    expect(waits[1]! / waits[0]!).toBeCloseTo(2, 1);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(150);
    expect(new Set(['a', 'b', 'c', 'd'].map((seed) => backoffMs(100, 1, seed))).size).toBeGreaterThan(1);
  });
});

describe('sendJob with claims taken in groups and sent outcomes batched (as on AWS)', () => {
  const BATCHED = { claimGroup: 5, outcomeBatch: 7, unknownGraceMs: 120_000 };
  /** Counts the ledger's delivery writes. */
  const counted = (world: World) => {
    const ledger = world.ledger;
    const calls = { claim: 0, claimGroups: 0, complete: 0, completeBatches: 0 };
    const counting = Object.assign(Object.create(ledger) as typeof ledger, {
      claimDelivery: (...args: Parameters<typeof ledger.claimDelivery>) => {
        calls.claim++;
        return ledger.claimDelivery(...args);
      },
      claimDeliveries: (...args: Parameters<typeof ledger.claimDeliveries>) => {
        calls.claimGroups++;
        return ledger.claimDeliveries(...args);
      },
      completeDelivery: (...args: Parameters<typeof ledger.completeDelivery>) => {
        calls.complete++;
        return ledger.completeDelivery(...args);
      },
      completeDeliveries: (...args: Parameters<typeof ledger.completeDeliveries>) => {
        calls.completeBatches++;
        return ledger.completeDeliveries(...args);
      },
    });
    return { calls, deps: { ...world.sendDeps, ledger: counting, policy: BATCHED } };
  };

  it('mails everyone once at 20 % throttling, with a fraction of the ledger writes, and the counts say so', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call % 5 === 0) throw new TransientSendError('SES throttled: Maximum sending rate exceeded.');
    });
    const world = await readyToSend(mailer, 200);
    const { calls, deps } = counted(world);
    const results = await drain(world, deps);
    expectEachOnce(mailer, 200);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(200);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 200, failed: 0, unknown: 0 });
    expect([...world.ledger.deliveries.values()].every((d) => d.status === 'sent')).toBe(true);
    expect(calls.claim + calls.complete).toBe(0);
    expect(calls.claimGroups + calls.completeBatches).toBeLessThan(200);
  });

  it('gives back the claims it took ahead when the deadline stops it, so that its continuation sends them at once', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 10);
    const job = world.queue.sendJobs.shift()!;
    const { deps } = counted(world);
    const result = await sendJob(
      {
        ...deps,
        parallelism: 1,
        policy: { ...BATCHED, callBudgetMs: 1000 },
        limiter: new TokenBucket({ ratePerSecond: 10 }, world.clock, world.clock),
      },
      job,
      newSendRun('h', world.clock.now() + 1250),
    );
    expect(result).toMatchObject({ outcome: 'continued', sent: 3, continued: 7, delaySeconds: 0 });
    expect([...world.ledger.deliveries.values()].filter((d) => d.status === 'claimed')).toEqual([]);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 3 });
    expect(await drain(world, deps)).toMatchObject([{ outcome: 'complete', sent: 7 }]);
    expectEachOnce(mailer, 10);
  });

  it('gives back its claims taken ahead when SES pauses the account, and resumes without losing anyone', async () => {
    let paused = true;
    const mailer = new ScriptedMailer((call) => {
      if (call === 4 && paused) {
        paused = false;
        throw new AccountSendingPausedError('SES daily quota exhausted: Daily message quota exceeded.', undefined, 'quota');
      }
    });
    const world = await readyToSend(mailer, 20);
    const { deps } = counted(world);
    const [first] = await drain(world, deps, 1);
    expect(first).toMatchObject({ outcome: 'paused' });
    expect([...world.ledger.deliveries.values()].filter((d) => d.status === 'claimed')).toEqual([]);
    await drain(world, deps);
    expectEachOnce(mailer, 20);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 20 });
  });

  it('never sends again what SES took when the batch of outcomes fails to be written: the Send events settle them', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 12);
    const ledger = world.ledger;
    const { deps } = counted(world);
    let failed = false;
    const flaky = Object.assign(Object.create(deps.ledger) as typeof ledger, {
      completeDeliveries: (...args: Parameters<typeof ledger.completeDeliveries>) => {
        if (!failed) {
          failed = true;
          return Promise.reject(Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException' }));
        }
        return ledger.completeDeliveries(...args);
      },
    });
    const job = world.queue.sendJobs.shift()!;
    const flakyDeps = { ...deps, ledger: flaky, parallelism: 1 };
    await expect(sendJob(flakyDeps, job, run())).rejects.toThrow('Transaction cancelled');
    const open = [...world.ledger.deliveries.entries()].filter(([, d]) => d.status === 'claimed');
    expect(open.length).toBeGreaterThan(0);
    // SQS gives the job back within the lease: nobody is mailed again.
    world.clock.ms += 5_000;
    expect(await sendJob(flakyDeps, job, run())).toMatchObject({ outcome: 'continued', continued: open.length });
    expect(mailer.calls).toBe(12);
    // SES's Send events settle the open claims; the continuation then finds them sent.
    for (const recipient of job.recipients) {
      await ledger.completeDelivery(issue, recipient.id, { status: 'sent', messageId: `event-${recipient.id}` }, '2026-03-02T09:00:05Z');
    }
    await drain(world, flakyDeps);
    expectEachOnce(mailer, 12);
    expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 12 });
  });

  it('loses nobody and mails nobody twice when the container dies mid-job: Send events settle what SES took, leases the rest', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 50);
    const { deps } = counted(world);
    const ledger = world.ledger;
    // The container dies after SES took its 23rd message: from then on nothing it started ever answers.
    let dead = false;
    const never = new Promise<never>(() => {});
    const dying = Object.assign(Object.create(ledger) as typeof ledger, {
      claimDeliveries: (...args: Parameters<typeof ledger.claimDeliveries>) => (dead ? never : ledger.claimDeliveries(...args)),
      completeDeliveries: (...args: Parameters<typeof ledger.completeDeliveries>) => (dead ? never : ledger.completeDeliveries(...args)),
      completeDelivery: (...args: Parameters<typeof ledger.completeDelivery>) => (dead ? never : ledger.completeDelivery(...args)),
      releaseDelivery: (...args: Parameters<typeof ledger.releaseDelivery>) => (dead ? never : ledger.releaseDelivery(...args)),
    });
    const send = mailer.send.bind(mailer);
    const dyingMailer = {
      send: async (message: Parameters<typeof send>[0]) => {
        if (dead) return never;
        const receipt = await send(message);
        if (mailer.sent.length >= 23) dead = true;
        return receipt;
      },
    };
    const job = world.queue.sendJobs.shift()!;
    void sendJob({ ...deps, ledger: dying, mailer: dyingMailer, parallelism: 4 }, job, run());
    while (!dead) await new Promise((resolve) => setImmediate(resolve));
    // What was started before the death settles, and then nothing more happens.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    const open = [...ledger.deliveries.values()].filter((d) => d.status === 'claimed').length;
    // The outcomes waiting for their batch and the claims taken ahead are open: more than the few in flight.
    expect(open).toBeGreaterThan(4);
    // SES publishes a Send event for each message it took; the feedback function records them.
    for (const message of mailer.sent) {
      const id = job.recipients.find((r) => r.email === message.to)!.id;
      await ledger.completeDelivery(issue, id, { status: 'sent', messageId: `event-${id}` }, '2026-03-02T09:00:05Z');
    }
    // SQS gives the job back after its visibility timeout; the leases of the claims nobody used end later.
    // A new container: its own limiter and in-flight gate (the dead one's slots died with it).
    const next = { ...deps, limiter: new TokenBucket({ ratePerSecond: 1000 }, world.clock, world.clock) };
    world.clock.ms += 30_000;
    await sendJob(next, job, newSendRun('next-container'));
    world.clock.ms += 200_000;
    await drain(world, next);
    expectEachOnce(mailer, 50);
    expect((await ledger.getIssue(issue))?.counts).toMatchObject({ sent: 50, unknown: 0 });
  });

  it('sends each recipient once when two copies of a job run at the same time', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 50);
    const { deps } = counted(world);
    const job = world.queue.sendJobs.shift()!;
    await Promise.all([sendJob(deps, job, run()), sendJob(deps, job, newSendRun('other-holder'))]);
    world.clock.ms += 200_000;
    await drain(world, deps);
    expectEachOnce(mailer, 50);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 50 });
  });
});

async function jobFor(world: World): Promise<SendJob> {
  const page = await world.subscribers.pageSubscribed('weekly', undefined, 50);
  return {
    format: 'newsbrief/send-job@1',
    issue,
    renderedKey: 'rendered/weekly/minimal/issue.json',
    recipients: page.subscribers.map((s) => ({ id: s.id, email: s.email, firstName: s.firstName })),
  };
}

describe('sendJob with the circuit breaker', () => {
  const gateOf = (world: World, minSample = 10) => ({
    ledger: world.ledger,
    feedback: world.ledger,
    lists: world.sendDeps.lists,
    clock: world.clock,
    breaker: { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample },
  });

  it('holds the remaining jobs of an issue whose bounce rate passed the limit, and says which job tripped it', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 120);
    const deps = { ...world.sendDeps, gate: gateOf(world) };
    const [first, second, third] = world.queue.sendJobs.splice(0);
    expect((await sendJob(deps, first!, run())).sent).toBe(50);
    // Bounce feedback arrives for 3 of the 50 sent: 6 % > 5 %.
    await world.ledger.addFeedbackCounts(issue, { bounced: 3 });
    const held = await sendJob(deps, second!, run());
    expect(held).toMatchObject({
      outcome: 'complete',
      sent: 0,
      held: 50,
      tripped: 'bounce rate 6 % (3 of 50 sent) passed the limit of 5 %',
    });
    expect(await sendJob(deps, third!, run())).toMatchObject({ outcome: 'complete', sent: 0, held: 20 });
    expect((await sendJob(deps, third!, run())).tripped).toBeUndefined();
    expect(mailer.sent).toHaveLength(50);
    // Each run of a held job counts its recipients again (a job that holds is not redelivered in practice).
    expect((await world.ledger.issueHealth(issue)).counts.held).toBe(90);
  });

  it('sends on under the minimum sample, and counts members who left before their job as suppressed', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 5);
    await world.ledger.addFeedbackCounts(issue, { bounced: 2 });
    await world.subscribers.setStatus('weekly', 'reader001@example.org', 'unsubscribed', '2026-03-02T08:59:00Z');
    const [result] = await drain(world, { ...world.sendDeps, gate: gateOf(world) });
    expect(result).toMatchObject({ outcome: 'complete', sent: 4, unsubscribed: 1 });
    expect((await world.ledger.issueHealth(issue)).counts).toMatchObject({ suppressed: 1, held: 0 });
  });
});
