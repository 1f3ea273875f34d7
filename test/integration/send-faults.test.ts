/**
 * The send path under the faults SES and the network really produce, injected at the HTTP level by a proxy
 * in front of aws-ses-v2-local: the local pipeline (the same use-cases as on AWS, the real SES adapter and
 * SDK) sends 300 readers through connection resets, hung calls, 20 % throttling, 5xx, an exhausted daily
 * quota and a paused account. Every reader is mailed; a duplicate is possible only where the request had
 * reached SES and its answer was lost (the documented ambiguity); the ledger's counts equal what SES took.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBriefLocally, type LocalSendResult } from '../../src/local-mode/local-runner.js';
import { createLocalDeps, type LocalDeps } from '../../src/wiring/local.js';
import { startSesLocal, useFakeAwsCredentials } from '../support/emulators.js';
import { faultFraction, faultWhen, type SesFaultPolicy, type SesFaultProxy, startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { patience } from '../support/patience.js';

const READERS = 300;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
const dirs: string[] = [];

beforeAll(async () => {
  useFakeAwsCredentials();
  ses = await startSesLocal();
});
afterAll(async () => {
  await ses?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh state folder with READERS subscribers, sending through a proxy with `policy`. */
async function world(
  tag: string,
  policy: SesFaultPolicy,
): Promise<{ deps: LocalDeps; proxy: SesFaultProxy; send: () => Promise<LocalSendResult>; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `newsbrief-faults-${tag}-`));
  dirs.push(dir);
  const proxy = await startSesFaultProxy(ses.endpoint, policy);
  // Short enough to cut the injected hangs quickly; stretched on a busy machine, where a healthy call that
  // outlived it would be resent and counted as a duplicate nobody caused.
  const deps = createLocalDeps({
    stateDir: dir,
    sesEndpoint: proxy.endpoint,
    publicUrl: 'http://127.0.0.1:4300',
    ratePerSecond: 1000,
    sesTimeoutMs: patience(1_000),
  });
  for (let i = 0; i < READERS; i++) {
    await deps.store.upsert(
      { list: 'weekly', email: `${tag}-${String(i).padStart(3, '0')}@faults.example.org`, firstName: `R${i}`, status: 'subscribed' },
      '2026-03-01T00:00:00.000Z',
    );
  }
  const bytes = Buffer.from(
    JSON.stringify({
      version: 1,
      id: `faults-${tag}`,
      list: 'weekly',
      subject: `Faults ${tag}`,
      stories: [{ headline: 'Hello {{firstName|friend}}' }],
    }),
  );
  return {
    deps,
    proxy,
    send: () => sendBriefLocally(deps, { bytes, fileName: `faults-${tag}.json` }),
    close: async () => {
      deps.ses.destroy();
      await proxy.close();
    },
  };
}

/** Per-recipient counts of what the upstream SES accepted. */
function accepted(proxy: SesFaultProxy): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of proxy.accepted()) for (const to of message.destinations) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

function summary(proxy: SesFaultProxy) {
  const counts = accepted(proxy);
  const messages = [...counts.values()].reduce((a, b) => a + b, 0);
  return { mailed: counts.size, neverMailed: READERS - counts.size, duplicates: messages - counts.size, messages };
}

/** Faulted requests whose message SES had taken before the answer was lost. */
const ambiguousAccepted = (proxy: SesFaultProxy) =>
  proxy.requests.filter((r) => (r.fault === 'reset-after' || r.fault === 'hang-after') && r.upstream === 'accepted').length;

async function expectCountsTrue(deps: LocalDeps, tag: string, proxy: SesFaultProxy): Promise<void> {
  const issue = await deps.ledger.getIssue({ list: 'weekly', id: `faults-${tag}` });
  // The ledger counts each reader once; SES took `messages` (a duplicate is one reader, sent twice).
  expect(issue?.counts).toMatchObject({ sent: summary(proxy).mailed, unknown: 0, failed: 0 });
}

// 300 readers through the real SDK, with backoffs: slow on a busy machine, never a deadline to meet.
const SLOW = { timeout: 600_000 };

describe('sending through faults injected at the HTTP level', () => {
  it.each([
    { tag: 'reset-before', policy: faultFraction(0.1, 'reset-before', 1) },
    { tag: 'server-error', policy: faultFraction(0.1, 'server-error', 2) },
    { tag: 'unavailable', policy: faultFraction(0.1, 'unavailable', 3) },
    { tag: 'throttle-20', policy: faultFraction(0.2, 'throttle', 4) },
    { tag: 'hang', policy: faultWhen((r) => r.n % 60 === 7, 'hang') },
  ])('$tag: every reader mailed exactly once, the run completes', SLOW, async ({ tag, policy }) => {
    const w = await world(tag, policy);
    try {
      const result = await w.send();
      expect(result.status).toBe('sent');
      expect(summary(w.proxy)).toMatchObject({ mailed: READERS, neverMailed: 0, duplicates: 0 });
      expect(w.proxy.requests.some((r) => r.fault !== 'pass')).toBe(true);
      await expectCountsTrue(w.deps, tag, w.proxy);
    } finally {
      await w.close();
    }
  });

  it.each([
    { tag: 'reset-after', policy: faultFraction(0.05, 'reset-after', 5) },
    { tag: 'hang-after', policy: faultWhen((r) => r.n % 100 === 13, 'hang-after') },
  ])(
    '$tag: every reader mailed; a duplicate only where SES had taken the message and the answer was lost',
    SLOW,
    async ({ tag, policy }) => {
      const w = await world(tag, policy);
      try {
        expect((await w.send()).status).toBe('sent');
        const s = summary(w.proxy);
        expect(s.neverMailed).toBe(0);
        expect(ambiguousAccepted(w.proxy)).toBeGreaterThan(0);
        expect(s.duplicates).toBeLessThanOrEqual(ambiguousAccepted(w.proxy));
        await expectCountsTrue(w.deps, tag, w.proxy);
      } finally {
        await w.close();
      }
    },
  );

  it.each([
    { tag: 'quota', fault: 'quota' as const, reason: /daily quota/ },
    { tag: 'paused', fault: 'paused' as const, reason: /refuses to send for this account/ },
  ])(
    '$tag mid-issue: the issue pauses with the reason, nothing is lost, and it resumes when SES allows',
    SLOW,
    async ({ tag, fault, reason }) => {
      let exhausted = false;
      const w = await world(tag, (request) => {
        if (!exhausted && request.n < 120) return 'pass';
        exhausted = true;
        return fault;
      });
      try {
        const first = await w.send();
        expect(first).toMatchObject({ status: 'stopped', reason });
        const paused = await w.deps.ledger.getIssue({ list: 'weekly', id: `faults-${tag}` });
        expect(paused?.pause).toMatchObject({ reason });
        const open = [...(await w.deps.store.deliveriesOf({ list: 'weekly', id: `faults-${tag}` })).values()].filter(
          (d) => d.status === 'claimed' || d.status === 'unknown',
        );
        expect(open).toEqual([]);
        expect(summary(w.proxy).mailed).toBe(120);

        // SES allows sending again (the quota window moved on; the account was reinstated).
        w.proxy.policy = () => 'pass';
        await w.deps.ledger.setIssuePause({ list: 'weekly', id: `faults-${tag}` }, undefined);
        expect((await w.send()).status).toBe('sent');
        expect(summary(w.proxy)).toMatchObject({ mailed: READERS, neverMailed: 0, duplicates: 0 });
        await expectCountsTrue(w.deps, tag, w.proxy);
      } finally {
        await w.close();
      }
    },
  );
});
