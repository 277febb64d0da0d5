/**
 * The stack's /metrics: one prom-client registry per stack instance (never the global one).
 * Names are fixed: the controller, the dashboards and the Prometheus rules query exactly these.
 * State gauges are read from the model at scrape time; every deployment and queue is present
 * from the start, so a missing series means a broken scrape, not an idle service.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { PlanTrigger } from '../plan/types.ts';
import type { ScalingEvent } from './autoscaler.ts';
import type { RouteRuntime, StackModel } from './model.ts';
import { RouteMetrics } from './route-metrics.ts';
import { scaledDeployment } from './triggers.ts';

/** Seconds; 0.5 and 1 are trigger thresholds and must be bucket boundaries. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30,
];

/** Route label of requests that matched no route. */
export const UNMATCHED = { service: 'gateway', route: 'unmatched' } as const;

/** The autoscaler's own record of which trigger changed which deployment's replicas. */
export const SCALING_RECORD = 'stack_autoscaler_replicas_total';

export class StackMetrics {
  readonly registry = new Registry();
  private readonly routes: RouteMetrics;
  private readonly rejections: Counter<'service'>;
  private readonly actions: Counter<'deployment' | 'trigger' | 'direction'>;
  private readonly scaled: Counter<'deployment' | 'trigger' | 'direction'>;

  constructor(model: StackModel, triggers: readonly PlanTrigger[] = []) {
    const registers = [this.registry];
    const deployments = [...model.deployments.keys()];
    const queues = [...model.queues.keys()];
    this.routes = new RouteMetrics(this.registry, DURATION_BUCKETS, { requests: 'stack_http_requests_total', duration: 'stack_http_request_duration_seconds', bytes: 'stack_response_bytes_total' });
    this.rejections = new Counter({ name: 'stack_requests_rejected_total', help: 'Requests answered 503 because a FIFO was full.', labelNames: ['service'], registers });
    this.actions = new Counter({ name: 'stack_autoscaler_actions_total', help: 'Autoscaler actions (for dashboards).', labelNames: ['deployment', 'trigger', 'direction'], registers });
    this.scaled = new Counter({
      name: SCALING_RECORD,
      help: 'Replicas each trigger added (up) or removed (down); `stabilization` is the conservative scale-down.',
      labelNames: ['deployment', 'trigger', 'direction'],
      registers,
    });
    // Present at 0 from the start, so the first action shows as an increase, not as a new series.
    for (const t of triggers.filter((x) => x.action.type !== 'alert')) {
      for (const direction of ['up', 'down']) this.scaled.inc({ deployment: scaledDeployment(t), trigger: t.id, direction }, 0);
    }
    for (const d of deployments) this.scaled.inc({ deployment: d, trigger: 'stabilization', direction: 'down' }, 0);
    for (const r of model.routes.values()) this.routes.zero({ service: r.deployment, route: r.key }, r.okStatus);
    for (const d of deployments) this.rejections.inc({ service: d }, 0);

    const cpuExported = new Map<string, number>();
    new Counter({
      name: 'stack_cpu_seconds_total',
      help: 'CPU-equivalent seconds: busy fraction of each replica × its cores, integrated.',
      labelNames: ['deployment'],
      registers,
      collect() {
        for (const d of deployments) {
          const total = model.cpuSeconds(d);
          this.inc({ deployment: d }, Math.max(0, total - (cpuExported.get(d) ?? 0)));
          cpuExported.set(d, Math.max(total, cpuExported.get(d) ?? 0));
        }
      },
    });
    const perDeployment = (name: string, help: string, value: (d: string) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['deployment'],
        registers,
        collect() {
          for (const d of deployments) this.set({ deployment: d }, value(d));
        },
      });
    };
    perDeployment('stack_cpu_cores', 'Cores of the ready replicas.', (d) => model.deploymentOf(d).ready * model.deploymentOf(d).spec.cpuCores);
    perDeployment('stack_memory_bytes', 'Memory used by the ready replicas, bytes.', (d) => model.memoryBytes(d));
    perDeployment('stack_memory_limit_bytes', 'Memory limit of the ready replicas, bytes.', (d) => model.memoryLimitBytes(d));
    perDeployment('kube_deployment_spec_replicas', 'Desired replicas.', (d) => model.deploymentOf(d).desired);
    perDeployment('kube_deployment_status_replicas', 'Created replicas, including starting ones.', (d) => model.deploymentOf(d).created);
    perDeployment('kube_deployment_status_replicas_available', 'Ready, serving replicas.', (d) => model.deploymentOf(d).ready);
    new Gauge({
      name: 'stack_inflight_requests',
      help: 'Requests holding or waiting for a slot.',
      labelNames: ['service'],
      registers,
      collect() {
        for (const d of deployments) this.set({ service: d }, model.inflight(d));
      },
    });
    new Gauge({
      name: 'stack_queue_depth',
      help: 'Messages not yet done (pending jobs, or the consumer group lag of a topic): the highest since the previous scrape.',
      labelNames: ['queue'],
      registers,
      collect() {
        for (const q of queues) this.set({ queue: q }, model.queues.get(q)?.peak('scrape') ?? 0);
      },
    });
    const processedExported = new Map<string, number>();
    new Counter({
      name: 'stack_queue_processed_total',
      help: 'Messages finished.',
      labelNames: ['queue'],
      registers,
      collect() {
        for (const q of queues) {
          const total = model.queues.get(q)?.processed ?? 0;
          this.inc({ queue: q }, total - (processedExported.get(q) ?? 0));
          processedExported.set(q, total);
        }
      },
    });
  }

  /** One answered request; `route` null for an unmatched one (counted, without duration or bytes). */
  response(route: RouteRuntime | null, status: number, seconds: number, bodyBytes: number, rejectedBy?: string): void {
    if (!route) return this.routes.record(UNMATCHED.service, UNMATCHED.route, status, 0, 0, false);
    this.routes.record(route.deployment, route.key, status, seconds, bodyBytes, true);
    if (rejectedBy) this.rejections.inc({ service: rejectedBy });
  }

  action(e: ScalingEvent): void {
    this.actions.inc({ deployment: e.deployment, trigger: e.trigger, direction: e.direction });
    if (e.direction !== 'alert') this.scaled.inc({ deployment: e.deployment, trigger: e.trigger, direction: e.direction }, Math.abs(e.to - e.from));
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
