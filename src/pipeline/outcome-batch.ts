/**
 * Outcomes of one job written together: on DynamoDB a sent message's record is then a share of one
 * transaction instead of a call of its own (a third of a deployed message's CPU was that call).
 *
 * The price is the window: a crash between SES's answer and the batch's write leaves up to `size` claims
 * open instead of the one in flight, so batching is only for where SES's Send events come (they settle
 * those claims as sent before their lease ends). A batch is written when it is full, when its oldest
 * outcome has waited `maxAgeMs` (looked at on each outcome added: no timer), and when the job flushes.
 */
import type { IssueRef } from '../model.js';
import type { Clock, DeliveryCompletion, Ledger } from '../ports.js';

/** Told whether the ledger recorded the outcome (false: it had ended already, e.g. by SES's Send event). */
export type OutcomeWritten = (written: boolean) => void;

/** The outcomes of one issue waiting for their write. */
export class OutcomeBatch {
  private waiting: Array<{ readonly completion: DeliveryCompletion; readonly written: OutcomeWritten }> = [];
  private oldestAt = 0;
  private readonly writes: Promise<void>[] = [];
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly ledger: Pick<Ledger, 'completeDeliveries'>,
    private readonly issue: IssueRef,
    private readonly size: number,
    private readonly maxAgeMs: number,
    private readonly clock: Clock,
  ) {}

  /** Queues one outcome; `written` is called once its batch is written. */
  add(completion: DeliveryCompletion, written: OutcomeWritten): void {
    const now = this.clock.now();
    if (this.waiting.length === 0) this.oldestAt = now;
    this.waiting.push({ completion, written });
    if (this.waiting.length >= this.size || now - this.oldestAt >= this.maxAgeMs) this.write();
  }

  /** Writes what waits and waits for every write; throws the first write's error (the job fails: see send-job). */
  async flush(): Promise<void> {
    this.write();
    await Promise.all(this.writes);
    if (this.failure) throw this.failure.error;
  }

  private write(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.writes.push(
      this.ledger
        .completeDeliveries(
          this.issue,
          batch.map((item) => item.completion),
        )
        .then(
          (answers) => {
            for (const [index, item] of batch.entries()) item.written(answers[index] === true);
          },
          (error: unknown) => {
            this.failure ??= { error };
          },
        ),
    );
  }
}
