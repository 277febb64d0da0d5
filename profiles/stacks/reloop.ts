/**
 * The ReLoop stack: its journeys, the plan's HPA as a trigger table, and the embedded model: one NestJS-like monolith, `backend`, under the plan's HPA
 * (CPU 70 %, memory 80 %, 2..10 replicas; 3 replicas and 500m / 512Mi per pod as in its
 * Deployment). The plan gives no request rate, so the capacities are sized for a reference peak
 * of 1,200 req/s at scale 1 with browse 40 %, submit 20 %, feed 40 %:
 *
 *   busy = 480 × 20 ms + 240 × 150 ms + 480 × 80 ms = 84 slots of 3 × 50 → CPU 56 %
 *   memory = (3 × 200 MiB + 84 × 1 MiB) / (3 × 512 MiB) → 45 %
 *
 * At 2x (2,400 req/s) CPU is 112 %: the HPA asks ceil(3 × 100 / 70) = 5 replicas (67 %). Memory
 * grows with queued requests (1 MiB each): past ~310 queued at 3 replicas it is over 80 %, so a
 * long saturation also trips the memory metric. At idle, ceil(3 × 39 / 72) = 2: the conservative
 * scale-down may return to minReplicas.
 */
import type { StackModuleInput } from '../../src/stack/module.ts';

const RELOOP_SOURCE = 'ReLoop scalability strategy, Auto-scaling Configuration (HPA)';

const MiB = 1024 * 1024;

export default {
  name: 'reloop',
  referencePeakRps: 1_200,
  deployments: [
    {
      name: 'backend',
      role: 'http',
      initialReplicas: 3,
      slots: 50,
      cpuCores: 0.5,
      memory: { baseBytes: 200 * MiB, perRequestBytes: 1 * MiB, limitBytes: 512 * MiB },
    },
  ],
  routes: [
    // Cached categories (24 h TTL in the plan): short and cheap.
    { method: 'GET', path: '/api/waste/categories', deployment: 'backend', service: { meanMs: 20, p99Ms: 80 }, payload: { fullBytes: 16_000, liteBytes: 2_000 } },
    // A submission writes to PostgreSQL through Prisma: the slowest route.
    { method: 'POST', path: '/api/waste/submissions', deployment: 'backend', service: { meanMs: 150, p99Ms: 600 }, payload: { fullBytes: 1_500, liteBytes: 500 } },
    { method: 'GET', path: '/api/community/feed', deployment: 'backend', service: { meanMs: 80, p99Ms: 300 }, payload: { fullBytes: 32_000, liteBytes: 4_000 } },
  ],
  journeys: {
    browse: { service: 'backend', requests: 1, routes: ['GET /api/waste/categories'] },
    submit: { service: 'backend', requests: 1, routes: ['POST /api/waste/submissions'] },
    feed: { service: 'backend', requests: 1, routes: ['GET /api/community/feed'] },
  },
  triggers: [
    {
      id: 'backend-cpu',
      service: 'backend',
      signal: 'cpu',
      threshold: 70,
      for: 0,
      action: { type: 'hpa' },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${RELOOP_SOURCE}: reloop-backend-hpa, cpu averageUtilization 70, 2..10 replicas`,
    },
    {
      id: 'backend-memory',
      service: 'backend',
      signal: 'memory',
      threshold: 80,
      for: 0,
      action: { type: 'hpa' },
      minReplicas: 2,
      maxReplicas: 10,
      source: `${RELOOP_SOURCE}: reloop-backend-hpa, memory averageUtilization 80, 2..10 replicas`,
    },
  ],
} satisfies StackModuleInput;
