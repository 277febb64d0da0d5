/** One row of a stack's trigger table as a run judges it, and the deployment its action concerns. */
import { toSeconds, type Expectation, type Trigger } from './schema.ts';
import type { PlanTrigger } from './types.ts';

/**
 * The row at scale S and time scale T: the `for` window on the wall clock (divided by T) and,
 * for queues, the threshold multiplied by S (queue depths are message counts, which grow S
 * times as fast at scale S).
 */
export function planTrigger(t: Trigger, run: { scale: number; timeScale: number; expect: Expectation }): PlanTrigger {
  const forSeconds = toSeconds(t.for);
  return {
    id: t.id,
    service: t.service,
    signal: t.signal,
    ...(t.route !== undefined ? { route: t.route } : {}),
    percentile: t.percentile,
    ...(t.queue !== undefined ? { queue: t.queue } : {}),
    op: t.op,
    threshold: t.signal === 'queue' ? round3(t.threshold * run.scale) : t.threshold,
    planThreshold: t.threshold,
    forSeconds,
    forWallSeconds: forSeconds / run.timeScale,
    action: t.action,
    minReplicas: t.minReplicas,
    maxReplicas: t.maxReplicas,
    expect: run.expect,
    source: t.source,
  };
}

/**
 * The deployment whose replicas the row is about: the workers' deployment for `add-workers`,
 * else the row's service. For an alert-only row that is the service the alert watches, whose
 * replicas must not change; the autoscaler checks `action.type === 'alert'` itself.
 */
export function scaledDeployment(t: Pick<PlanTrigger, 'service' | 'action'>): string {
  return t.action.type === 'add-workers' ? t.action.deployment : t.service;
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
