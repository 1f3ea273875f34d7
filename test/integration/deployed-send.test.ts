/**
 * The short deployed-path bench in the suite: the send function bundled as the stack bundles it, run in
 * child processes as Lambda runs it, against the bench's HTTP fakes of SES (with its per-second quota),
 * DynamoDB, S3 and SQS, at two rates with the settings the stack derives for each. It fails on a message
 * lost or sent twice, never on how fast it went.
 */
import { describe, expect, it } from 'vitest';
import { runDeployedSendBench } from '../../bench/deployed-send.js';

describe('the deployed send function', () => {
  it('mails every planned recipient exactly once at 14/s and 200/s with the derived fleet', async () => {
    const result = await runDeployedSendBench({ short: true, giveUpSeconds: 900 });
    expect(result.runs.map((r) => r.rate)).toEqual([14, 200]);
    for (const run of result.runs) {
      expect({ rate: run.rate, lost: run.lost, unfinished: run.unfinished, duplicates: run.duplicates }).toEqual({
        rate: run.rate,
        lost: 0,
        unfinished: 0,
        duplicates: 0,
      });
      expect(run.recipients).toBeGreaterThanOrEqual(200);
      expect(run.invocations).toBeGreaterThan(0);
    }
  }, 1_200_000);
});
