/**
 * Background work: a job queue (payment-processing, taken by workers inside the payments
 * replicas) and an event-bus topic (transaction.completed, read by the rewards-worker consumer
 * group). Both are pools with an unbounded backlog; depth counts messages not yet done.
 */
import type { Pool } from './pool.ts';
import { sleep } from './random.ts';

export class WorkQueue {
  /** Messages finished since the start. */
  processed = 0;
  private stopped = false;

  /**
   * @param time draws the time one message holds a worker or consumer slot, ms
   * @param onDone called once per finished message (e.g. publish an event)
   */
  constructor(
    readonly name: string,
    readonly pool: Pool,
    private readonly time: () => number,
    private readonly onDone: () => void = () => undefined,
  ) {}

  /** Highest depth since each reader last asked (see `peak`). */
  private readonly peaks = new Map<string, number>();

  /** Waiting plus being processed: pending jobs, or the consumer group's lag. */
  get depth(): number {
    return this.pool.queued + this.pool.busy;
  }

  /**
   * The highest depth since `reader` last asked, then starts over from the current depth. The
   * metrics scrape and the autoscaler each read their own high-water mark, so a burst between
   * two scrapes that the autoscaler acts on is also what Prometheus records.
   */
  peak(reader: string): number {
    const p = Math.max(this.peaks.get(reader) ?? 0, this.depth);
    this.peaks.set(reader, this.depth);
    return p;
  }

  submit(): void {
    if (this.stopped) return;
    // The backlog is unbounded, so a slot is always granted sooner or later.
    const lease = this.pool.acquire();
    const d = this.depth;
    for (const [reader, p] of this.peaks) if (d > p) this.peaks.set(reader, d);
    void lease?.then(async (lease) => {
      await sleep(this.time());
      lease.release();
      if (this.stopped) return;
      this.processed++;
      this.onDone();
    });
  }

  stop(): void {
    this.stopped = true;
  }
}
