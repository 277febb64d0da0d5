/**
 * The stack as a model: deployments with their pools, the routes they serve, the job queue and
 * the event bus. `serve` is what one gateway request does: wait for a slot, hold it for the
 * service time (and a database query), answer, perhaps enqueue a job.
 */
import { Deployment } from './deployment.ts';
import { paddedJson } from './payload.ts';
import { Pool } from './pool.ts';
import { WorkQueue } from './queues.ts';
import { lognormal, mulberry32, sleep, type Clock, type Rng } from './random.ts';
import { routeKey, scaledSlots, type RouteSpec, type ServiceTime, type StackSpec } from './spec.ts';

export interface ModelOptions {
  /** Capacity scale S: slots, workers and consumer slots per replica × S. */
  scale: number;
  /** Start-up delay of a new replica on the wall clock, ms (already time-scaled). */
  startupMs: number;
  /** Seed of the service-time draws. */
  seed: number;
  /** Initial replicas per deployment (profile value raised to the triggers' minimum). */
  initialReplicas: (deployment: string) => number;
  clock: Clock;
  /** Bytes each ready replica has leaked so far (a `leak` fault); absent when none. */
  leakedBytes?: ((deployment: string) => number) | undefined;
}

export interface RouteRuntime {
  readonly key: string;
  readonly spec: RouteSpec;
  readonly deployment: string;
  readonly pool: Pool;
  readonly service: () => number;
  readonly db?: { pool: Pool; time: () => number };
  readonly queue?: WorkQueue;
  readonly okStatus: number;
}

export interface Served {
  status: number;
  body: string | Buffer;
  /** Time in the stack: FIFO wait + service (+ database), s. */
  seconds: number;
  /** For a 503: the deployment whose FIFO was full. */
  rejectedBy?: string;
}

export class StackModel {
  readonly deployments = new Map<string, Deployment>();
  /** Per deployment: its HTTP slots, consumer slots or database connections. */
  readonly primary = new Map<string, Pool>();
  readonly queues = new Map<string, WorkQueue>();
  readonly routes = new Map<string, RouteRuntime>();
  private readonly rng: Rng;
  private jobs = 0;
  private readonly bodies = new Map<string, Buffer>();

  constructor(
    readonly spec: StackSpec,
    private readonly opts: ModelOptions,
  ) {
    this.rng = mulberry32(opts.seed);
    const S = opts.scale;
    for (const d of spec.deployments) {
      const dep = new Deployment(d, opts.initialReplicas(d.name), opts.startupMs);
      this.deployments.set(d.name, dep);
      const bound = d.role === 'consumer' ? Infinity : d.queuePerSlot;
      this.primary.set(d.name, new Pool(d.name, dep, scaledSlots(d.slots, S), bound, opts.clock));
    }
    // Topics first: a worker's finished job publishes to one.
    for (const d of spec.deployments) {
      if (!d.consumes) continue;
      const pool = this.primaryPool(d.name);
      this.queues.set(d.consumes.topic, new WorkQueue(d.consumes.topic, pool, this.sampler(d.consumes.message)));
    }
    for (const d of spec.deployments) {
      if (!d.workers) continue;
      const w = d.workers;
      const pool = new Pool(`${d.name}/workers`, this.deploymentOf(d.name), scaledSlots(w.perReplica, S), Infinity, opts.clock);
      const topic = w.publishes ? this.queues.get(w.publishes) : undefined;
      this.queues.set(w.queue, new WorkQueue(w.queue, pool, this.sampler(w.job), () => topic?.submit()));
    }
    for (const r of spec.routes) {
      const key = routeKey(r);
      const queue = r.enqueue ? this.queues.get(r.enqueue) : undefined;
      this.routes.set(key, {
        key,
        spec: r,
        deployment: r.deployment,
        pool: this.primaryPool(r.deployment),
        service: this.sampler(r.service),
        ...(r.db ? { db: { pool: this.primaryPool(r.db.deployment), time: this.sampler(r.db.time) } } : {}),
        ...(queue ? { queue } : {}),
        okStatus: queue ? 202 : 200,
      });
    }
  }

  deploymentOf(name: string): Deployment {
    const d = this.deployments.get(name);
    if (!d) throw new Error(`no deployment "${name}"`);
    return d;
  }

  primaryPool(name: string): Pool {
    const p = this.primary.get(name);
    if (!p) throw new Error(`no deployment "${name}"`);
    return p;
  }

  /** Requests holding or waiting for a primary slot of the deployment. */
  inflight(name: string): number {
    const p = this.primaryPool(name);
    return p.busy + p.queued;
  }

  /** Used memory of the ready replicas, bytes, capped at their limits. */
  memoryBytes(name: string): number {
    const d = this.deploymentOf(name);
    const m = d.spec.memory;
    // A request at scale S stands for 1/S requests at scale 1: memory % is scale-invariant.
    const base = m.baseBytes + (this.opts.leakedBytes?.(name) ?? 0);
    const used = d.ready * base + (m.perRequestBytes * this.inflight(name)) / this.opts.scale;
    return Math.min(used, d.ready * m.limitBytes);
  }

  memoryLimitBytes(name: string): number {
    const d = this.deploymentOf(name);
    return d.ready * d.spec.memory.limitBytes;
  }

  /** CPU-equivalent seconds: each replica's busy fraction × its cores, integrated. */
  cpuSeconds(name: string): number {
    const p = this.primaryPool(name);
    return (p.integrals().busySlotSeconds / p.perReplica) * this.deploymentOf(name).spec.cpuCores;
  }

  /** Serves one request: FIFO wait, service time, database query, then the body. */
  async serve(route: RouteRuntime, saveData: boolean): Promise<Served> {
    const t0 = this.opts.clock();
    const waiting = route.pool.acquire();
    if (!waiting) return this.rejected(route.deployment, t0);
    const lease = await waiting;
    try {
      await sleep(route.service());
      if (route.db) {
        const dbWaiting = route.db.pool.acquire();
        if (!dbWaiting) return this.rejected(route.db.pool.deployment.name, t0);
        const dbLease = await dbWaiting;
        await sleep(route.db.time());
        dbLease.release();
      }
    } finally {
      lease.release();
    }
    return { status: route.okStatus, body: this.body(route, saveData), seconds: this.opts.clock() - t0 };
  }

  stop(): void {
    for (const q of this.queues.values()) q.stop();
    for (const d of this.deployments.values()) d.stop();
  }

  /**
   * The response body: encoded once per route and Save-Data (most of a request's CPU in the
   * stack was building and then freeing it), except a queued job's, which carries its id.
   */
  private body(route: RouteRuntime, saveData: boolean): string | Buffer {
    const p = route.spec.payload;
    const bytes = saveData ? p.liteBytes : p.fullBytes;
    if (route.queue) {
      route.queue.submit();
      return paddedJson({ ok: true, route: route.key, id: `job-${++this.jobs}` }, bytes);
    }
    const key = `${route.key}\u0000${saveData}`;
    let body = this.bodies.get(key);
    if (!body) {
      body = Buffer.from(paddedJson({ ok: true, route: route.key }, bytes));
      this.bodies.set(key, body);
    }
    return body;
  }

  private rejected(deployment: string, t0: number): Served {
    const body = JSON.stringify({ error: 'overloaded', service: deployment });
    return { status: 503, body, seconds: this.opts.clock() - t0, rejectedBy: deployment };
  }

  private sampler(t: ServiceTime): () => number {
    // One stream per distribution, seeded from the stack's stream.
    return lognormal(mulberry32(Math.floor(this.rng() * 2 ** 32)), t.meanMs, t.p99Ms);
  }
}
