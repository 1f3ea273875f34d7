/**
 * The briefs bucket's key layout (src/config/bucket-layout.ts) against the stack and the runtime: every IAM
 * grant, notification and origin on the bucket names a prefix of the layout, and every key each function's
 * use-cases read or write is covered by that function's grants.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_KEYS, BRIEF_SUFFIX, PREFIX } from '../../src/config/bucket-layout.js';
import { intakeBrief } from '../../src/pipeline/intake-brief.js';
import { intakeProof } from '../../src/proofs/intake-proof.js';
import { publishIssueReport } from '../../src/report/issue-report.js';
import { cancelScheduledBrief } from '../../src/schedule/schedule-issue.js';
import { startScheduledIssue } from '../../src/schedule/start-issue.js';
import { DEFAULT_BREAKER_POLICY } from '../../src/config/breaker-policy.js';
import type { BlobStore } from '../../src/ports.js';
import { fixtureBrief, memoryWorld, ScriptedMailer, testKeyring, testLists } from '../support/fakes.js';
import { briefText } from '../support/fixtures.js';
import { referencedId as refId, synthTemplate } from './synth-stack.js';

type Json = Record<string, any>;

/** One Allow statement's object pattern on the briefs bucket (`rendered/*`), with its actions and grantee. */
interface BucketGrant {
  readonly grantee: string;
  readonly actions: readonly string[];
  readonly pattern: string;
}

const LAYOUT = Object.values(PREFIX) as string[];

let resources: Record<string, Json>;
let bucketId: string;
let grants: BucketGrant[];

beforeAll(() => {
  resources = synthTemplate().toJSON().Resources as Record<string, Json>;
  // The briefs bucket is the one whose access logs go to the other bucket.
  bucketId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties?.LoggingConfiguration)![0];
  grants = bucketGrants(resources, bucketId);
}, 300_000);

describe('the bucket layout against the stack', () => {
  it('finds the grants it checks (the walk is not vacuous)', () => {
    expect(grants.length).toBeGreaterThanOrEqual(10);
    expect(new Set(grants.map((g) => g.pattern))).toEqual(new Set(LAYOUT.map((p) => `${p}*`)));
  });

  it('grants objects of the briefs bucket only by a prefix the layout defines, never the whole bucket', () => {
    const stray = grants.filter((g) => !LAYOUT.some((prefix) => g.pattern === `${prefix}*`));
    expect(stray.map((g) => `${g.grantee}: ${g.actions.join(',')} on ${g.pattern}`)).toEqual([]);
  });

  it("notifies intake only for briefs and proofs, by the layout's prefixes and suffix", () => {
    const notifications = Object.values(resources).filter(
      (r) => r.Type === 'Custom::S3BucketNotifications' && refId(r.Properties.BucketName) === bucketId,
    );
    const filters = notifications
      .flatMap((r) => (r.Properties.NotificationConfiguration.LambdaFunctionConfigurations ?? []) as Json[])
      .map((c) => {
        const rules = c.Filter.Key.FilterRules as { Name: string; Value: string }[];
        return {
          prefix: rules.find((x) => x.Name.toLowerCase() === 'prefix')?.Value,
          suffix: rules.find((x) => x.Name.toLowerCase() === 'suffix')?.Value,
        };
      });
    expect(filters.length).toBeGreaterThan(0);
    expect(new Set(filters.map((f) => f.prefix))).toEqual(new Set([PREFIX.briefs, PREFIX.proofs]));
    expect(filters.every((f) => f.suffix === BRIEF_SUFFIX)).toBe(true);
  });

  it('serves the archive prefix, and only it, through CloudFront', () => {
    const distribution = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::Distribution')!;
    expect(distribution.Properties.DistributionConfig.Origins.map((o: Json) => o.OriginPath)).toEqual([
      `/${PREFIX.archive.replace(/\/$/, '')}`,
    ]);
    const cloudFront = grants.filter((g) => g.grantee === 'cloudfront.amazonaws.com');
    expect(cloudFront.map((g) => g.pattern)).toEqual([`${PREFIX.archive}*`]);
  });
});

describe("what the runtime reads and writes against each function's grants", () => {
  it('intake: briefs in; rendered copies, reports, the archive, schedules and proofs as granted', async () => {
    const mailer = new ScriptedMailer();
    const w = memoryWorld(mailer);
    await w.blobs.put('briefs/2026/now.json', fixtureBrief('valid/minimal.json'), 'application/json');
    await w.blobs.put('briefs/bad.json', fixtureBrief('invalid/bad-version.json'), 'application/json');
    await w.blobs.put('briefs/later.json', briefText({ id: 'later', sendAt: '2026-03-03T07:00:00Z' }), 'application/json');
    await w.blobs.put('proofs/weekly/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
    await w.blobs.put('proofs/bad.json', Buffer.from('{"version":2}'), 'application/json');
    const { blobs, reads, writes } = recording(w.blobs);
    const deps = { ...w.intakeDeps, blobs };

    expect((await intakeBrief(deps, 'briefs/2026/now.json')).status).toBe('accepted');
    expect((await intakeBrief(deps, 'briefs/bad.json')).status).toBe('refused');
    expect((await intakeBrief(deps, 'briefs/later.json')).status).toBe('scheduled');
    expect((await cancelScheduledBrief({ ...deps }, 'briefs/later.json')).status).toBe('cancelled');
    const proofDeps = { blobs, ledger: w.ledger, mailer, lists: testLists, keyring: testKeyring, clock: w.clock };
    expect((await intakeProof(proofDeps, 'proofs/weekly/minimal.json', 'v1')).status).toBe('sent');
    expect((await intakeProof(proofDeps, 'proofs/bad.json', 'v1')).status).toBe('refused');

    expect(writes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rendered\//),
        expect.stringMatching(/^reports\//),
        expect.stringMatching(/^archive\//),
        expect.stringMatching(/^schedules\//),
      ]),
    );
    expectCovered('newsbrief intake', reads, writes);
  });

  it('start: the schedule record and rendered copy in; the archive and the record out', async () => {
    const w = memoryWorld();
    await w.blobs.put('briefs/later.json', briefText({ id: 'later', sendAt: '2026-03-03T07:00:00Z' }), 'application/json');
    await intakeBrief(w.intakeDeps, 'briefs/later.json');
    const [due] = w.scheduler.takeDue(Date.parse('2026-03-03T07:00:00Z'));
    w.clock.ms = Date.parse('2026-03-03T07:00:00Z');
    const { blobs, reads, writes } = recording(w.blobs);

    expect(
      (await startScheduledIssue({ blobs, ledger: w.ledger, queue: w.queue, lists: testLists, clock: w.clock }, due!.message)).status,
    ).toBe('started');

    expect(writes).toContain(ARCHIVE_KEYS.page('weekly', 'later'));
    expectCovered('newsbrief start', reads, writes);
  });

  it('plan and feedback: issue reports out', async () => {
    const w = memoryWorld();
    await w.blobs.put('briefs/now.json', fixtureBrief('valid/minimal.json'), 'application/json');
    const started = await intakeBrief(w.intakeDeps, 'briefs/now.json');
    if (started.status !== 'accepted') throw new Error(`intake: ${started.status}`);
    const { blobs, reads, writes } = recording(w.blobs);

    await publishIssueReport(
      { blobs, ledger: w.ledger, feedback: w.ledger, lists: testLists, clock: w.clock, breaker: DEFAULT_BREAKER_POLICY },
      started.issue,
    );

    expect(writes).toEqual([expect.stringMatching(/^reports\//)]);
    expectCovered('newsbrief plan', reads, writes);
    expectCovered('newsbrief feedback', reads, writes);
  });
});

/** A blob store that records the keys read and written, over another one. */
function recording(inner: BlobStore) {
  const reads: string[] = [];
  const writes: string[] = [];
  const blobs: BlobStore = {
    get: (key, options) => {
      reads.push(key);
      return inner.get(key, options);
    },
    put: (key, body, contentType) => {
      writes.push(key);
      return inner.put(key, body, contentType);
    },
  };
  return { blobs, reads, writes };
}

/** Asserts that the function whose description starts with `description` is granted each key read and written. */
function expectCovered(description: string, reads: readonly string[], writes: readonly string[]): void {
  const fn = Object.values(resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').startsWith(description),
  );
  expect(fn, description).toBeDefined();
  const role = refId(fn!.Properties.Role)!;
  const mine = grants.filter((g) => g.grantee === role);
  const may = (action: RegExp, key: string) =>
    mine.some((g) => g.actions.some((a) => action.test(a)) && key.startsWith(g.pattern.replace(/\*$/, '')));
  expect(
    reads.filter((key) => !may(/^s3:GetObject/, key)),
    `${description} reads outside its grants`,
  ).toEqual([]);
  expect(
    writes.filter((key) => !may(/^s3:PutObject$/, key)),
    `${description} writes outside its grants`,
  ).toEqual([]);
  expect([...reads, ...writes].filter((key) => !LAYOUT.some((prefix) => key.startsWith(prefix)))).toEqual([]);
}

/** Every Allow statement (role policies, inline policies, bucket policies) naming objects of the bucket. */
function bucketGrants(all: Record<string, Json>, bucket: string): BucketGrant[] {
  const found: BucketGrant[] = [];
  for (const resource of Object.values(all)) {
    const documents: { grantee?: string; document: Json }[] =
      resource.Type === 'AWS::IAM::Policy'
        ? (resource.Properties.Roles ?? []).map((r: unknown) => ({ grantee: refId(r), document: resource.Properties.PolicyDocument }))
        : resource.Type === 'AWS::S3::BucketPolicy'
          ? [{ document: resource.Properties.PolicyDocument }]
          : resource.Type === 'AWS::IAM::Role'
            ? (resource.Properties.Policies ?? []).map((p: Json) => ({ document: p.PolicyDocument }))
            : [];
    for (const { grantee, document } of documents) {
      for (const statement of document.Statement as Json[]) {
        if (statement.Effect !== 'Allow') continue;
        for (const target of [statement.Resource].flat()) {
          const pattern = objectPattern(target, bucket);
          if (pattern === undefined) continue;
          const principal = statement.Principal?.Service ?? statement.Principal?.AWS;
          found.push({ grantee: grantee ?? String(principal), actions: [statement.Action].flat(), pattern });
        }
      }
    }
  }
  return found;
}

/** `rendered/*` for `{ Fn::Join: ['', [{ Fn::GetAtt: [bucket, 'Arn'] }, '/rendered/*']] }`; undefined for other resources. */
function objectPattern(target: unknown, bucket: string): string | undefined {
  const parts = (target as Json)?.['Fn::Join']?.[1] as unknown[] | undefined;
  if (!parts || refId(parts[0]) !== bucket) return undefined;
  const rest = parts
    .slice(1)
    .map((p) => (typeof p === 'string' ? p : '?'))
    .join('');
  return rest.replace(/^\//, '');
}
