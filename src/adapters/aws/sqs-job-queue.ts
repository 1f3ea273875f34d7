/** JobQueue on SQS: send jobs go out ten to a SendMessageBatch, and entries SQS refused are retried. */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { planMessageBody, sendJobBody } from '../../pipeline/job-messages.js';
import type { JobQueue } from '../../ports.js';
import type { PlanMessage, SendJob } from '../../model.js';

const BATCH = 10;
const ATTEMPTS = 6;

/** The plan and send queues. */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: { readonly plan: string; readonly send: string },
  ) {}

  /** Batches of ten, a few batches at a time; `delaySeconds` (0–900) per message. */
  async enqueueSendJobs(jobs: readonly SendJob[], options: { readonly delaySeconds?: number } = {}): Promise<void> {
    const delay = Math.min(900, Math.max(0, Math.round(options.delaySeconds ?? 0)));
    const batches: SendJob[][] = [];
    for (let i = 0; i < jobs.length; i += BATCH) batches.push(jobs.slice(i, i + BATCH));
    for (let i = 0; i < batches.length; i += 5) await Promise.all(batches.slice(i, i + 5).map((batch) => this.sendBatch(batch, delay)));
  }

  /** One plan page. */
  async enqueuePlan(message: PlanMessage): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.urls.plan, MessageBody: planMessageBody(message) }));
  }

  private async sendBatch(batch: readonly SendJob[], delaySeconds: number): Promise<void> {
    let entries = batch.map((job, i) => ({
      Id: String(i),
      MessageBody: sendJobBody(job),
      ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}),
    }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.urls.send, Entries: entries }));
      const failed = out.Failed ?? [];
      if (failed.length === 0) return;
      // A sender fault (too large, malformed) fails the same way every time: retrying cannot help.
      const fault = failed.find((f) => f.SenderFault);
      if (fault) throw new Error(`SQS refused send job ${fault.Id}: ${fault.Code} ${fault.Message ?? ''}`.trim());
      if (attempt >= ATTEMPTS) throw new Error(`SQS kept failing ${failed.length} send job(s): ${failed[0]!.Code}`);
      const ids = new Set(failed.map((f) => f.Id));
      entries = entries.filter((e) => ids.has(e.Id));
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
