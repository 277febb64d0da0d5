/**
 * The Meqenet stack: its journeys, the plan's per-service trigger table and the embedded model's
 * capacities. Trigger decisions where the plan is silent: latency thresholds are judged on the
 * p95 of the named route; "Payment Processing Queue > 500 pending" and "Message Queue Length >
 * 5000" carry no `for` window, so they fire as soon as the condition is seen (for = 0); "Add
 * Queue Workers" names no count: 2 (replicas of `rewards-worker`); min/max replicas follow the
 * plan's HPA example (2..10) for every Meqenet deployment.
 *
 * The embedded model: capacities sized against the plan's current peak, 10,000 req/s at
 * the gateway (scale 1), mix as in profiles/capacity.ts: search 45 %, login 20 %, checkout 25 %
 * (1,250 iterations/s × 2 requests: credit decision + checkout), rewards 10 %.
 *
 * Busy slots = rate × mean slot time; utilization = busy / (slots × replicas). At the peak:
 *
 * | deployment     | work at 10,000 req/s                          | busy | capacity    | util |
 * | auth           | 2,000 login/s × 48 ms                         |   96 | 3 × 50      | 64 % |
 * | marketplace    | 4,500 search/s × (110 + 10 db) ms             |  540 | 3 × 300     | 60 % |
 * | payments http  | 1,250 × (240 + 20 db) ms + 1,250 × 40 ms      |  375 | 3 × 200     | 63 % |
 * | payments jobs  | 1,250 jobs/s × 86 ms                          |  108 | 3 × 50 wkrs | 72 % |
 * | rewards        | 1,000/s × 30 ms                               |   30 | 2 × 50      | 30 % |
 * | rewards-worker | 1,250 events/s × 48 ms                        |   60 | 2 × 50      | 60 % |
 * | database       | 4,500 × 10 ms + 1,250 × 20 ms                 |   70 | 1 × 200     | 35 % |
 *
 * What a sustained 2x holiday surge (20,000 req/s) does, in order:
 * - payments http goes to 125 % and saturates; its FIFO fills within seconds, so the credit
 *   decision p95 passes 1,000 ms. The checkouts that get through (~2,000/s) exceed the workers'
 *   ~1,740 jobs/s, so `payment-processing` grows by ~260 jobs/s × S and passes 500 within seconds
 *   at S = 1: payments-queue fires (for 0) and adds 3 → 6 replicas (63 %). Credit latency then
 *   recovers long before its 5-min window: payments-credit-latency goes over but stays quiet.
 * - with the backlog drained, 2,500 events/s reach rewards-worker (120 %): the lag grows by
 *   ~400 events/s × S and passes 5,000, eventbus-lag adds 2 → 4 replicas (60 %).
 * - auth goes to 128 % CPU; login p95 passes 500 ms once its FIFO holds ~0.5 s of work (seconds).
 *   auth-latency fires at 3 min (+2 → 5 replicas, 77 % CPU, still over 70), then auth-cpu, held
 *   since the start of the surge, fires at 5 min (+2 → 7, 55 %). Auth sits at 64 % at the peak
 *   (a little above ~60 %) so that both auth rows are exercised by one 2x surge.
 * - marketplace goes to 120 %; search p95 passes 1,000 ms within ~5 s of saturation (the FIFO
 *   holds up to 10 slot-times, 1.2 s); marketplace-search-latency fires at 3 min (+3 → 6, 60 %).
 * - rewards (no trigger in the plan) has the headroom to take 2x at 60 %.
 * - the database reaches 70 % at 2x once the services have scaled, under its 80 % alert; it
 *   passes 80 % from ~2.3x (2.5x: 88 %, database-cpu alerts after 10 min).
 *
 * FIFO bounds (queuePerSlot) hold ~1.2 s of work per deployment: a saturated service answers
 * within ~1.2 s + its service time or rejects with 503, and a backlog drains within ~2 s of new
 * replicas becoming ready (which keeps high time scales from re-firing latency triggers).
 *
 * Service times are not scaled by S; all slot counts are multiples of 50 so that they stay exact
 * at S = 0.1 and S = 0.02 (the spike profile's --quick scale). Queue depths are counts of
 * messages, so they grow S times as fast at scale S: the queue thresholds compare like for like
 * only when multiplied by S. Payment workers are I/O-bound (they wait on the payment provider), so
 * their time is not counted as payments CPU. Memory and CPU per replica follow the plan's
 * Kubernetes example (limits 500m, 512Mi).
 */
import type { StackModuleInput } from '../../src/stack/module.ts';

const MEQENET_SOURCE = 'Meqenet scalability plan, §2 Scaling Triggers (Per-Service)';

const MiB = 1024 * 1024;
const KiB = 1024;
const service = { cpuCores: 0.5, memory: { baseBytes: 200 * MiB, perRequestBytes: 256 * KiB, limitBytes: 512 * MiB } };

export default {
  name: 'meqenet',
  referencePeakRps: 10_000,
  deployments: [
    { name: 'auth', role: 'http', initialReplicas: 3, slots: 50, queuePerSlot: 25, ...service },
    { name: 'marketplace', role: 'http', initialReplicas: 3, slots: 300, queuePerSlot: 10, ...service },
    {
      name: 'payments',
      role: 'http',
      initialReplicas: 3,
      slots: 200,
      queuePerSlot: 8,
      ...service,
      workers: { queue: 'payment-processing', perReplica: 50, job: { meanMs: 86, p99Ms: 300 }, publishes: 'transaction.completed' },
    },
    { name: 'rewards', role: 'http', initialReplicas: 2, slots: 50, queuePerSlot: 40, ...service },
    {
      name: 'rewards-worker',
      role: 'consumer',
      initialReplicas: 2,
      slots: 50,
      cpuCores: 0.25,
      memory: { baseBytes: 128 * MiB, perRequestBytes: 64 * KiB, limitBytes: 256 * MiB },
      consumes: { topic: 'transaction.completed', message: { meanMs: 48, p99Ms: 180 } },
    },
    {
      name: 'database',
      role: 'database',
      initialReplicas: 1,
      slots: 200,
      cpuCores: 4,
      memory: { baseBytes: 2048 * MiB, perRequestBytes: 1 * MiB, limitBytes: 8192 * MiB },
    },
  ],
  routes: [
    { method: 'POST', path: '/auth/login', deployment: 'auth', service: { meanMs: 48, p99Ms: 140 }, payload: { fullBytes: 1200, liteBytes: 600 } },
    { method: 'POST', path: '/auth/token', deployment: 'auth', service: { meanMs: 15, p99Ms: 60 }, payload: { fullBytes: 800, liteBytes: 500 } },
    {
      method: 'GET',
      path: '/marketplace/search',
      deployment: 'marketplace',
      service: { meanMs: 110, p99Ms: 450 },
      db: { deployment: 'database', time: { meanMs: 10, p99Ms: 40 } },
      payload: { fullBytes: 24_000, liteBytes: 3_000 },
    },
    {
      method: 'POST',
      path: '/payments/credit-decision',
      deployment: 'payments',
      service: { meanMs: 240, p99Ms: 900 },
      db: { deployment: 'database', time: { meanMs: 20, p99Ms: 80 } },
      payload: { fullBytes: 2_000, liteBytes: 800 },
    },
    {
      method: 'POST',
      path: '/payments/checkout',
      deployment: 'payments',
      service: { meanMs: 40, p99Ms: 150 },
      enqueue: 'payment-processing',
      payload: { fullBytes: 1_000, liteBytes: 400 },
    },
    { method: 'GET', path: '/rewards/balance', deployment: 'rewards', service: { meanMs: 30, p99Ms: 120 }, payload: { fullBytes: 6_000, liteBytes: 1_000 } },
  ],
  journeys: {
    login: { service: 'auth', requests: 1, routes: ['POST /auth/login'] },
    search: { service: 'marketplace', requests: 1, routes: ['GET /marketplace/search'] },
    checkout: { service: 'payments', requests: 2, routes: ['POST /payments/credit-decision', 'POST /payments/checkout'] },
    rewards: { service: 'rewards', requests: 1, routes: ['GET /rewards/balance'] },
  },
  triggers: [
    {
      id: 'auth-cpu',
      service: 'auth',
      signal: 'cpu',
      threshold: 70,
      for: '5m',
      action: { type: 'add-instances', count: 2 },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${MEQENET_SOURCE}: Auth Service, CPU Utilization > 70% for 5 min, add 2 instances`,
    },
    {
      id: 'auth-latency',
      service: 'auth',
      signal: 'latency',
      route: 'POST /auth/login',
      threshold: 500,
      for: '3m',
      action: { type: 'add-instances', count: 2 },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${MEQENET_SOURCE}: Auth Service, Authentication Latency > 500ms for 3 min, add 2 instances`,
    },
    {
      id: 'payments-queue',
      service: 'payments',
      signal: 'queue',
      queue: 'payment-processing',
      threshold: 500,
      for: 0,
      action: { type: 'add-instances', count: 3 },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${MEQENET_SOURCE}: Payments Service, Payment Processing Queue > 500 pending, add 3 instances`,
    },
    {
      id: 'payments-credit-latency',
      service: 'payments',
      signal: 'latency',
      route: 'POST /payments/credit-decision',
      threshold: 1000,
      for: '5m',
      action: { type: 'add-instances', count: 2 },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${MEQENET_SOURCE}: Payments Service, Credit Decision Latency > 1000ms for 5 min, add 2 instances`,
    },
    {
      id: 'marketplace-search-latency',
      service: 'marketplace',
      signal: 'latency',
      route: 'GET /marketplace/search',
      threshold: 1000,
      for: '3m',
      action: { type: 'add-instances', count: 3 },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${MEQENET_SOURCE}: Marketplace Service, Product Search Latency > 1000ms for 3 min, add 3 instances`,
    },
    {
      id: 'database-cpu',
      service: 'database',
      signal: 'cpu',
      threshold: 80,
      for: '10m',
      action: { type: 'alert', note: 'Investigate / vertical scale (no automatic scaling)' },
      minReplicas: 1,
      maxReplicas: 1,
      source: `${MEQENET_SOURCE}: Database (Primary), CPU Utilization > 80% for 10 min, investigate / vertical scale`,
    },
    {
      id: 'eventbus-lag',
      service: 'rewards-worker',
      signal: 'queue',
      queue: 'transaction.completed',
      threshold: 5000,
      for: 0,
      action: { type: 'add-workers', count: 2, deployment: 'rewards-worker' },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${MEQENET_SOURCE}: Event Bus Consumers, Message Queue Length > 5000 messages, add queue workers`,
    },
  ],
} satisfies StackModuleInput;
