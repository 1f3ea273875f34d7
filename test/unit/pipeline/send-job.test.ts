import { describe, expect, it } from 'vitest';
import { intakeBrief } from '../../../src/pipeline/intake-brief.js';
import { planPage } from '../../../src/pipeline/plan-page.js';
import { AccountSendingPausedError, PermanentSendError, TransientSendError } from '../../../src/pipeline/send-errors.js';
import { newSendRun, sendJob, type SendJobResult } from '../../../src/pipeline/send-job.js';
import { TokenBucket } from '../../../src/pipeline/rate-limiter.js';
import type { SendJob } from '../../../src/ports.js';
import { fixtureBrief, memoryWorld, ScriptedMailer, seedSubscribers } from '../../support/fakes.js';

const issue = { list: 'weekly', id: 'minimal' };

/** Intake and plan in memory; returns the world with its send jobs queued. */
async function readyToSend(mailer: ScriptedMailer, subscribers = 50) {
  const world = memoryWorld(mailer);
  await seedSubscribers(world.subscribers, 'weekly', subscribers);
  await world.blobs.put('briefs/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
  await intakeBrief(world.intakeDeps, 'briefs/minimal.json');
  for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift()) await planPage(world.planDeps, m);
  return world;
}

/** Runs queued jobs like SQS would: a job that did not complete goes back to the end of the queue. */
async function drain(world: Awaited<ReturnType<typeof readyToSend>>, maxRounds = 10): Promise<SendJobResult[]> {
  const results: SendJobResult[] = [];
  for (let round = 0; round < maxRounds && world.queue.sendJobs.length > 0; round++) {
    const jobs = world.queue.sendJobs.splice(0);
    for (const job of jobs) {
      const result = await sendJob(world.sendDeps, job);
      results.push(result);
      if (result.outcome !== 'complete') world.queue.sendJobs.push(job);
    }
  }
  return results;
}

describe('sendJob', () => {
  it('sends one personalized message per recipient and records each SES message id', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    const [result] = await drain(world);
    expect(result).toMatchObject({ outcome: 'complete', sent: 3, failed: 0, skipped: 0, unknown: [] });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['reader000@example.org', 'reader001@example.org', 'reader002@example.org']);
    expect(mailer.sent[0]!.raw.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const job = world.queue.sendJobs[0];
    expect(job).toBeUndefined();
    const deliveries = [...world.ledger.deliveries.values()];
    expect(deliveries.every((d) => d.status === 'sent' && d.messageId?.startsWith('ses-'))).toBe(true);
    expect((await world.ledger.getIssue(issue))?.counts).toMatchObject({ planned: 3, sent: 3 });
  });

  it('skips every recipient of a redelivered job that already went out', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 10);
    const job = world.queue.sendJobs[0]!;
    await sendJob(world.sendDeps, job);
    const again = await sendJob(world.sendDeps, job);
    expect(again).toMatchObject({ outcome: 'complete', sent: 0, skipped: 10 });
    expect(mailer.sent).toHaveLength(10);
  });

  it('gives a job throttled on its 37th send back, and in the end every subscriber has exactly one message', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call === 37) throw new TransientSendError('Maximum sending rate exceeded.');
    });
    const world = await readyToSend(mailer, 50);
    const results = await drain(world);
    expect(results[0]).toMatchObject({ outcome: 'retry', reason: /Maximum sending rate/ });
    expect(results.at(-1)).toMatchObject({ outcome: 'complete' });
    const counts = mailer.countsByRecipient();
    expect(counts.size).toBe(50);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await world.ledger.getIssue(issue))?.counts.sent).toBe(50);
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
    // A retry of the job does not try the rejected address again.
    expect(await sendJob(world.sendDeps, { ...(await jobFor(world)) })).toMatchObject({ sent: 0, skipped: 3 });
  });

  it('stops the whole run when the account is paused and releases what it did not send', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call >= 5) throw new AccountSendingPausedError('Daily message quota exceeded.');
    });
    const world = await readyToSend(mailer, 100);
    const [a, b] = world.queue.sendJobs as [SendJob, SendJob];
    const run = newSendRun();
    const first = await sendJob(world.sendDeps, a, run);
    const second = await sendJob(world.sendDeps, b, run);
    expect(first.outcome).toBe('paused');
    expect(first.sent).toBe(4);
    expect(second).toMatchObject({ outcome: 'paused', sent: 0, remaining: 50 });
    expect(mailer.calls).toBeLessThanOrEqual(4 + 4); // only the messages already in flight were tried
    expect([...world.ledger.deliveries.values()].filter((d) => d.status === 'claimed')).toEqual([]);
  });

  it('never re-sends a delivery claimed without an outcome, and reports it as unknown', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 3);
    const job = world.queue.sendJobs[0]!;
    await world.ledger.claimDelivery(issue, job.recipients[1]!.id, '2026-03-02T08:59:00Z');
    const result = await sendJob(world.sendDeps, job);
    expect(result).toMatchObject({ outcome: 'complete', sent: 2, unknown: [job.recipients[1]!.id] });
    expect(mailer.sent.map((m) => m.to)).not.toContain(job.recipients[1]!.email);
  });

  it('keeps the claim when SES gave no verdict (a timeout), so that the message is never sent twice', async () => {
    const mailer = new ScriptedMailer((call) => {
      if (call === 2) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });
    const world = await readyToSend(mailer, 3);
    const job = world.queue.sendJobs[0]!;
    const result = await sendJob({ ...world.sendDeps, parallelism: 1 }, job);
    expect(result.outcome).toBe('retry');
    expect(result.unknown).toEqual([job.recipients[1]!.id]);
    const again = await sendJob(world.sendDeps, job);
    expect(again).toMatchObject({ outcome: 'complete', unknown: [job.recipients[1]!.id] });
    expect(mailer.countsByRecipient().get(job.recipients[1]!.email)).toBeUndefined();
  });

  it('claims nothing after the invocation deadline and leaves no claim behind', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 10);
    const job = world.queue.sendJobs[0]!;
    // Each rate token costs 100 ms on the fake clock; the deadline falls after the third.
    const deps = { ...world.sendDeps, parallelism: 1, limiter: new TokenBucket({ ratePerSecond: 10 }, world.clock, world.clock) };
    const result = await sendJob(deps, job, newSendRun(world.clock.now() + 250));
    expect(result).toMatchObject({ outcome: 'retry', sent: 3, remaining: 7, reason: /out of time/ });
    expect([...world.ledger.deliveries.values()].filter((d) => d.status === 'claimed')).toEqual([]);
    expect(await sendJob(world.sendDeps, job)).toMatchObject({ outcome: 'complete', sent: 7, skipped: 3 });
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
    const job = world.queue.sendJobs[0]!;
    await Promise.all([sendJob(world.sendDeps, job), sendJob(world.sendDeps, job)]);
    expect(mailer.sent).toHaveLength(50);
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
});

async function jobFor(world: Awaited<ReturnType<typeof readyToSend>>): Promise<SendJob> {
  const page = await world.subscribers.pageSubscribed('weekly', undefined, 50);
  return { format: 'newsbrief/send-job@1', issue, renderedKey: 'rendered/weekly/minimal/issue.json', recipients: page.subscribers.map((s) => ({ id: s.id, email: s.email, firstName: s.firstName })) };
}

describe('sendJob with the circuit breaker', () => {
  const gateOf = (world: Awaited<ReturnType<typeof readyToSend>>, minSample = 10) => ({
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
    expect((await sendJob(deps, first!)).sent).toBe(50);
    // Bounce feedback arrives for 3 of the 50 sent: 6 % > 5 %.
    await world.ledger.addFeedbackCounts(issue, { bounced: 3 });
    const held = await sendJob(deps, second!);
    expect(held).toMatchObject({ outcome: 'complete', sent: 0, held: 50, tripped: 'bounce rate 6 % (3 of 50 sent) passed the limit of 5 %' });
    expect(await sendJob(deps, third!)).toMatchObject({ outcome: 'complete', sent: 0, held: 20 });
    expect((await sendJob(deps, third!)).tripped).toBeUndefined();
    expect(mailer.sent).toHaveLength(50);
    // Each run of a held job counts its recipients again (a job that holds is not redelivered in practice).
    expect((await world.ledger.issueHealth(issue)).counts.held).toBe(90);
  });

  it('sends on under the minimum sample, and counts members who left before their job as suppressed', async () => {
    const mailer = new ScriptedMailer();
    const world = await readyToSend(mailer, 5);
    await world.ledger.addFeedbackCounts(issue, { bounced: 2 });
    await world.subscribers.setStatus('weekly', 'reader001@example.org', 'unsubscribed', '2026-03-02T08:59:00Z');
    const [result] = await drain({ ...world, sendDeps: { ...world.sendDeps, gate: gateOf(world) } });
    expect(result).toMatchObject({ outcome: 'complete', sent: 4, unsubscribed: 1 });
    expect((await world.ledger.issueHealth(issue)).counts).toMatchObject({ suppressed: 1, held: 0 });
  });
});
