import { describe, expect, it } from 'vitest';
import { parsePlanMessage, parseSendJob, sendJobBody } from '../../../src/pipeline/job-messages.js';
import { PoisonJobError } from '../../../src/pipeline/job-messages.js';
import type { SendJob } from '../../../src/model.js';

const job: SendJob = {
  format: 'newsbrief/send-job@1',
  issue: { list: 'weekly', id: 'w1' },
  renderedKey: 'rendered/weekly/w1/issue.json',
  recipients: [{ id: 's1', email: 'a@x.org', firstName: 'A' }],
};

describe('queue message bodies', () => {
  it('round-trips a send job', () => {
    expect(parseSendJob(sendJobBody(job))).toEqual(job);
  });

  it.each([
    ['not JSON', '{"format":'],
    ['an array', '[]'],
    ['another format', JSON.stringify({ ...job, format: 'x' })],
    ['no recipients', JSON.stringify({ ...job, recipients: [] })],
    ['a recipient without an address', JSON.stringify({ ...job, recipients: [{ id: 's1' }] })],
    ['no issue', JSON.stringify({ ...job, issue: undefined })],
  ])('treats a send job that is %s as poison', (_, body) => {
    expect(() => parseSendJob(body)).toThrow(PoisonJobError);
  });

  it('refuses a plan page with a negative page number', () => {
    expect(() =>
      parsePlanMessage(
        JSON.stringify({ format: 'newsbrief/plan-page@1', issue: job.issue, renderedKey: job.renderedKey, page: 0, replan: {} }),
      ),
    ).toThrow(PoisonJobError);
    const replan = {
      format: 'newsbrief/plan-page@1',
      issue: job.issue,
      renderedKey: job.renderedKey,
      page: 1,
      cursor: 'c',
      replan: { joinedBy: '2026-03-02T09:00:00Z' },
    } as const;
    expect(parsePlanMessage(JSON.stringify(replan))).toEqual(replan);
    expect(() =>
      parsePlanMessage(JSON.stringify({ format: 'newsbrief/plan-page@1', issue: job.issue, renderedKey: job.renderedKey, page: -1 })),
    ).toThrow(PoisonJobError);
  });
});
