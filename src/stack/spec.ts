/**
 * The schema of an embedded stack's service spec (part of a stack module, module.ts): deployments with their
 * modelled capacity, the routes the gateway serves, and the periods of the autoscaler. Every
 * object is strict, and cross-references (route → deployment, queue → workers) are checked
 * when the profile is loaded, not when the first request arrives.
 */
import { z } from 'zod';
import { StackNameSchema } from '../plan/schema.ts';

/** A service time: a lognormal fitted to a mean and a 99th percentile (not time-scaled). */
export const ServiceTimeSchema = z
  .strictObject({
    /** Mean, ms. */
    meanMs: z.number().positive('must be more than 0 ms'),
    /** 99th percentile, ms. */
    p99Ms: z.number().positive('must be more than 0 ms'),
  })
  // A lognormal with this mean cannot have a p99 wider than ~14.9x it.
  .refine((d) => d.p99Ms > d.meanMs && d.p99Ms <= 14 * d.meanMs, {
    message: 'p99Ms must be more than meanMs and at most 14 x meanMs',
  });
export type ServiceTime = z.infer<typeof ServiceTimeSchema>;

const NameSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lower-case letters, digits, dots and dashes');

export const DeploymentSpecSchema = z.strictObject({
  name: NameSchema,
  /** `http`: serves routes; `consumer`: consumes a topic; `database`: answers routes' queries. */
  role: z.enum(['http', 'consumer', 'database']),
  /** Replicas at start (raised to the triggers' minReplicas if lower). */
  initialReplicas: z.number().int().positive(),
  /**
   * Concurrent slots per replica at scale 1 (requests, consumer slots or connections); a replica
   * at scale S has max(1, round(slots × S)). Multiples of 50 stay exact at S = 0.1 and 0.02.
   */
  slots: z.number().int().positive(),
  /** CPU cores per replica: a replica with every slot busy uses all of them. */
  cpuCores: z.number().positive(),
  /** FIFO bound, queued requests per ready slot; a request beyond it gets 503. */
  queuePerSlot: z.number().nonnegative().default(20),
  memory: z.strictObject({
    /** Resident memory of an idle replica, bytes. */
    baseBytes: z.number().int().nonnegative(),
    /** Memory held by one in-flight or queued request at scale 1, bytes. */
    perRequestBytes: z.number().int().nonnegative(),
    /** Container memory limit per replica, bytes; memory % = used / limit. */
    limitBytes: z.number().int().positive(),
  }),
  /** Background workers per replica (at scale 1) that take jobs from `queue`. */
  workers: z
    .strictObject({
      queue: NameSchema,
      perReplica: z.number().int().positive(),
      job: ServiceTimeSchema,
      /** Topic each finished job publishes one event to. */
      publishes: NameSchema.optional(),
    })
    .optional(),
  /** For role `consumer`: the topic; each of `slots` consumer slots handles one message at a time. */
  consumes: z.strictObject({ topic: NameSchema, message: ServiceTimeSchema }).optional(),
});
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

export const RouteSpecSchema = z.strictObject({
  method: z.enum(['GET', 'POST']),
  path: z.string().regex(/^\/[a-z0-9/_.-]*$/, 'must be an absolute path without a query'),
  /** Deployment that serves the route (role `http`). */
  deployment: NameSchema,
  /** Time a slot is held, not counting the database query. */
  service: ServiceTimeSchema,
  /** A query on a `database` deployment made while the request holds its slot. */
  db: z.strictObject({ deployment: NameSchema, time: ServiceTimeSchema }).optional(),
  /** Enqueue a job on this queue and answer 202 with the job id. */
  enqueue: NameSchema.optional(),
  /** JSON body size, bytes: full, and lite for `Save-Data: on`. */
  payload: z.strictObject({ fullBytes: z.number().int().positive(), liteBytes: z.number().int().positive() }),
});
export type RouteSpec = z.infer<typeof RouteSpecSchema>;

/** Periods at time scale 1, seconds; the stack divides each by the time scale. */
export const TimingSchema = z.strictObject({
  syncSeconds: z.number().positive().default(15),
  windowSeconds: z.number().positive().default(60),
  cooldownSeconds: z.number().nonnegative().default(180),
  stabilizationSeconds: z.number().nonnegative().default(300),
  startupSeconds: z.number().nonnegative().default(30),
});
export type Timing = z.infer<typeof TimingSchema>;

/** The fields of a service spec; a stack module (module.ts) adds its journeys and triggers. */
export const STACK_SPEC_FIELDS = {
  name: StackNameSchema,
  /** The gateway rate the capacities are sized for, req/s at scale 1 (documentation). */
  referencePeakRps: z.number().positive(),
  deployments: z.array(DeploymentSpecSchema).min(1),
  routes: z.array(RouteSpecSchema).min(1),
  timing: TimingSchema.default({
    syncSeconds: 15,
    windowSeconds: 60,
    cooldownSeconds: 180,
    stabilizationSeconds: 300,
    startupSeconds: 30,
  }),
};

type Issue = (path: PropertyKey[], message: string) => void;

/** Cross-references inside a service spec: unique names, routes to http deployments, queues with workers. */
export function checkSpec(s: { deployments: DeploymentSpec[]; routes: RouteSpec[] }, issue: Issue): void {
  const byName = new Map(s.deployments.map((d) => [d.name, d]));
  if (byName.size !== s.deployments.length) issue(['deployments'], 'deployment names must be unique');
  const queues = new Set(s.deployments.flatMap((d) => (d.workers ? [d.workers.queue] : [])));
  const topics = new Set(s.deployments.flatMap((d) => (d.workers?.publishes ? [d.workers.publishes] : [])));
  s.deployments.forEach((d, i) => {
    if (d.memory.limitBytes < d.memory.baseBytes) issue(['deployments', i, 'memory'], 'limitBytes is below baseBytes');
    if ((d.role === 'consumer') !== (d.consumes !== undefined)) issue(['deployments', i, 'consumes'], 'exactly the consumer deployments consume a topic');
    if (d.consumes && !topics.has(d.consumes.topic)) issue(['deployments', i, 'consumes', 'topic'], `no workers publish "${d.consumes.topic}"`);
  });
  const keys = new Set<string>();
  s.routes.forEach((r, i) => {
    const key = routeKey(r);
    if (keys.has(key)) issue(['routes', i], `duplicate route ${key}`);
    keys.add(key);
    if (byName.get(r.deployment)?.role !== 'http') issue(['routes', i, 'deployment'], `"${r.deployment}" is not an http deployment`);
    if (r.db && byName.get(r.db.deployment)?.role !== 'database') issue(['routes', i, 'db', 'deployment'], `"${r.db.deployment}" is not a database deployment`);
    if (r.enqueue && !queues.has(r.enqueue)) issue(['routes', i, 'enqueue'], `no workers take jobs from "${r.enqueue}"`);
  });
}

export const StackSpecSchema = z
  .strictObject(STACK_SPEC_FIELDS)
  .superRefine((s, ctx) => checkSpec(s, (path, message) => ctx.addIssue({ code: 'custom', path, message })));
export type StackSpec = z.infer<typeof StackSpecSchema>;
export type StackSpecInput = z.input<typeof StackSpecSchema>;

/** `METHOD /path`, the route label used in metrics and trigger rows. */
export function routeKey(r: { method: string; path: string }): string {
  return `${r.method} ${r.path}`;
}

/** Slots per replica at scale S: capacity scales with S, and a replica always has one. */
export function scaledSlots(base: number, scale: number): number {
  return Math.max(1, Math.round(base * scale));
}
