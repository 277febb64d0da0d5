/**
 * The capacity model: a pool of slots on every ready replica of a deployment, a FIFO for
 * requests that find all of them busy, and the busy slot-time from which utilization (and the
 * CPU-equivalent counters) follow. Nothing spins: a request holds a slot across a timer.
 */
import type { CapacityListener, Deployment, Replica } from './deployment.ts';
import type { Clock } from './random.ts';

/** A granted slot; release it exactly once. */
export interface Lease {
  readonly replica: Replica;
  release(): void;
}

type Waiter = (lease: Lease) => void;

/** An array-backed FIFO with O(1) shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export class Pool implements CapacityListener {
  readonly name: string;
  /** Slots per replica at this stack's scale. */
  readonly perReplica: number;
  /** Slots in use, on ready and terminating replicas. */
  busy = 0;
  private readonly waiting = new Fifo<Waiter>();
  private readonly busyBy = new Map<Replica, number>();
  private busyIntegral = 0;
  private capacityIntegral = 0;
  private last: number;

  /**
   * @param queuePerSlot FIFO bound per ready slot (Infinity: unbounded, as a topic's backlog)
   */
  constructor(
    name: string,
    readonly deployment: Deployment,
    perReplica: number,
    private readonly queuePerSlot: number,
    private readonly clock: Clock,
  ) {
    this.name = name;
    this.perReplica = perReplica;
    this.last = clock();
    deployment.listen(this);
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Slots on ready replicas. */
  get readySlots(): number {
    return this.perReplica * this.deployment.ready;
  }

  /**
   * A slot on the least-loaded ready replica, now or when one frees up (FIFO); null when the
   * FIFO is full and the request must be rejected.
   */
  acquire(): Promise<Lease> | null {
    if (this.waiting.size === 0) {
      const r = this.pick();
      if (r) return Promise.resolve(this.grant(r));
    }
    const limit = this.queuePerSlot === Infinity ? Infinity : this.queuePerSlot * this.readySlots;
    if (this.waiting.size >= limit) return null;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Busy slot-seconds and ready slot-seconds since the start, up to now. */
  integrals(): { busySlotSeconds: number; readySlotSeconds: number } {
    this.accrue();
    return { busySlotSeconds: this.busyIntegral, readySlotSeconds: this.capacityIntegral };
  }

  accrue(): void {
    const now = this.clock();
    const dt = now - this.last;
    if (dt > 0) {
      this.busyIntegral += this.busy * dt;
      this.capacityIntegral += this.readySlots * dt;
    }
    this.last = now;
  }

  drain(): void {
    while (this.waiting.size > 0) {
      const r = this.pick();
      if (!r) return;
      const waiter = this.waiting.shift();
      if (waiter) waiter(this.grant(r));
    }
  }

  private pick(): Replica | undefined {
    let best: Replica | undefined;
    let bestBusy = Infinity;
    for (const r of this.deployment.serving()) {
      if (!r.ready) continue;
      const b = this.busyBy.get(r) ?? 0;
      if (b < this.perReplica && b < bestBusy) {
        best = r;
        bestBusy = b;
      }
    }
    return best;
  }

  private grant(replica: Replica): Lease {
    this.accrue();
    this.busy++;
    replica.busy++;
    this.busyBy.set(replica, (this.busyBy.get(replica) ?? 0) + 1);
    let released = false;
    return {
      replica,
      release: () => {
        if (released) return;
        released = true;
        this.accrue();
        this.busy--;
        replica.busy--;
        const left = (this.busyBy.get(replica) ?? 1) - 1;
        if (left > 0) this.busyBy.set(replica, left);
        else this.busyBy.delete(replica);
        this.drain();
      },
    };
  }
}
