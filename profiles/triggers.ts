/**
 * The scaling-trigger tables of the two plans, as data. The embedded stack's autoscaler and the
 * controller both read these rows, each with its own code.
 *
 * Decisions where the plans are silent, recorded here once:
 * - latency thresholds are judged on the p95 of the named route;
 * - "Payment Processing Queue > 500 pending" and "Message Queue Length > 5000" carry no `for`
 *   window in the plan, so they fire as soon as the condition is seen (for = 0);
 * - "Add Queue Workers" names no count: 2 workers (replicas of `rewards-worker`);
 * - min/max replicas follow the plan's HPA example (2..10) for every Meqenet deployment.
 */
import { defineTriggers } from '../src/plan/schema.ts';

const MEQENET_SOURCE = 'Meqenet scalability plan, §2 Scaling Triggers (Per-Service)';
const RELOOP_SOURCE = 'ReLoop scalability strategy, Auto-scaling Configuration (HPA)';

export const MEQENET_TRIGGERS = defineTriggers([
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
]);

export const RELOOP_TRIGGERS = defineTriggers([
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
]);
