/**
 * A deployment's replicas, the way Kubernetes counts them: `desired` (spec), created (running
 * or starting) and ready (serving). New replicas serve only after the start-up delay; removed
 * replicas stop taking work at once and finish what they hold.
 */
import type { DeploymentSpec } from './spec.ts';

export interface Replica {
  readonly id: number;
  ready: boolean;
  terminating: boolean;
  /** Busy slots over all pools of the deployment. */
  busy: number;
}

/** What a deployment tells its pools around a change of ready capacity. */
export interface CapacityListener {
  /** Called before the change: account for time at the old capacity. */
  accrue(): void;
  /** Called after the change: hand queued work to new capacity. */
  drain(): void;
}

export class Deployment {
  readonly name: string;
  readonly spec: DeploymentSpec;
  /** Desired replicas (kube_deployment_spec_replicas). */
  desired: number;
  /** Created, not terminating: starting and ready replicas. */
  private readonly live: Replica[] = [];
  private readonly listeners: CapacityListener[] = [];
  private readonly startTimers = new Map<Replica, NodeJS.Timeout>();
  private nextId = 1;
  private stopped = false;

  /**
   * @param initialReplicas replicas that are ready at once
   * @param startupMs wall-clock start-up delay of a new replica, ms (already time-scaled)
   */
  constructor(spec: DeploymentSpec, initialReplicas: number, private readonly startupMs: number) {
    this.name = spec.name;
    this.spec = spec;
    this.desired = initialReplicas;
    for (let i = 0; i < initialReplicas; i++) this.live.push(this.newReplica(true));
  }

  listen(listener: CapacityListener): void {
    this.listeners.push(listener);
  }

  /** kube_deployment_status_replicas: created, including starting ones. */
  get created(): number {
    return this.live.length;
  }

  /** kube_deployment_status_replicas_available: ready and serving. */
  get ready(): number {
    let n = 0;
    for (const r of this.live) if (r.ready) n++;
    return n;
  }

  /** Ready replicas that take new work. */
  serving(): readonly Replica[] {
    return this.live;
  }

  /** Sets desired replicas: creates starting replicas, or removes starting ones first. */
  scaleTo(replicas: number): void {
    if (this.stopped) return;
    const n = Math.max(0, Math.floor(replicas));
    this.desired = n;
    this.change(() => {
      while (this.live.length < n) this.live.push(this.startReplica());
      while (this.live.length > n) this.removeOne();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.startTimers.values()) clearTimeout(timer);
    this.startTimers.clear();
  }

  private removeOne(): void {
    // A starting replica goes first (nothing to drain), else the least busy ready one.
    let victim = [...this.live].reverse().find((r) => !r.ready);
    if (!victim) victim = this.live.reduce((a, b) => (b.busy < a.busy ? b : a));
    const timer = this.startTimers.get(victim);
    if (timer) clearTimeout(timer);
    this.startTimers.delete(victim);
    victim.terminating = true;
    victim.ready = false;
    this.live.splice(this.live.indexOf(victim), 1);
  }

  private change(fn: () => void): void {
    for (const l of this.listeners) l.accrue();
    fn();
    for (const l of this.listeners) l.drain();
  }

  /** A new replica: ready at once without a start-up delay, else after it. */
  private startReplica(): Replica {
    const r = this.newReplica(this.startupMs <= 0);
    if (!r.ready) {
      const timer = setTimeout(() => {
        this.startTimers.delete(r);
        this.change(() => {
          r.ready = true;
        });
      }, this.startupMs);
      timer.unref();
      this.startTimers.set(r, timer);
    }
    return r;
  }

  private newReplica(ready: boolean): Replica {
    return { id: this.nextId++, ready, terminating: false, busy: 0 };
  }
}
