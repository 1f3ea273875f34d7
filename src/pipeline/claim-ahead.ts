/**
 * Claims of one job taken a group at a time: asked for one recipient's claim, it claims that recipient and
 * the next few the job will send to, in one ledger write (on DynamoDB a claim of its own was a third of a
 * deployed message's CPU). The others' answers wait for their turn.
 *
 * Claiming ahead never sends twice: a claim is exclusive whoever holds it, and a message not yet sent
 * is only ever sent by its claim's holder. What it costs is time after a crash: a claim taken ahead and
 * never used is someone else's only when its lease ends. So the group is kept to a fraction of a second
 * of sending, and a job that stops early releases what it claimed and did not use.
 */
import type { DeliveryClaim, DeliveryLease, IssueRef } from '../model.js';
import type { Ledger } from '../ports.js';

/** The claims of one job, a group at a time. */
export class ClaimAhead {
  private readonly claims = new Map<string, Promise<DeliveryClaim>>();
  private readonly used = new Set<string>();
  /** Every id of `order` before this one is claimed or used. */
  private next = 0;

  /** `order` is whom the job will send to, in its order; `lease` is taken when a group is claimed. */
  constructor(
    private readonly ledger: Pick<Ledger, 'claimDeliveries' | 'releaseDelivery'>,
    private readonly issue: IssueRef,
    private readonly groupSize: number,
    private readonly order: readonly string[],
    private readonly lease: () => DeliveryLease,
  ) {}

  /** The claim of `subscriberId`: taken now with the next few, or earlier with an earlier group. */
  claim(subscriberId: string): Promise<DeliveryClaim> {
    let answer = this.claims.get(subscriberId);
    if (!answer) {
      const group = [subscriberId];
      while (this.next < this.order.length && this.taken(this.order[this.next]!)) this.next++;
      for (let i = this.next; i < this.order.length && group.length < this.groupSize; i++) {
        const id = this.order[i]!;
        if (id !== subscriberId && !this.taken(id)) group.push(id);
      }
      const answers = this.ledger.claimDeliveries(this.issue, group, this.lease());
      group.forEach((id, index) => {
        const claim = answers.then((all) => {
          const answer = all[index];
          if (!answer) throw new Error(`the ledger answered ${all.length} claims of ${group.length}`);
          return answer;
        });
        // Handled where it is used (or released); a failed write must not be an unhandled rejection meanwhile.
        claim.catch(() => undefined);
        this.claims.set(id, claim);
      });
      answer = this.claims.get(subscriberId)!;
    }
    // Used once: a recipient tried again later (its claim released after a throttle) is claimed afresh.
    this.claims.delete(subscriberId);
    this.used.add(subscriberId);
    return answer;
  }

  private taken(id: string): boolean {
    return this.used.has(id) || this.claims.has(id);
  }

  /** Releases the claims taken ahead that the job did not use (it stopped early), so that its continuation can claim them at once. */
  async releaseUnused(): Promise<void> {
    const unused = [...this.claims];
    this.claims.clear();
    for (const [id, answer] of unused) {
      // A group whose write failed may still have been written: its claims are settled by their lease.
      const claim = await answer.catch(() => undefined);
      if (claim?.state === 'claimed') await this.ledger.releaseDelivery(this.issue, id);
    }
  }
}
