/** How a trigger row reads in reports and alerts, and the value at which its autoscaler acts. */
import type { PlanTrigger } from '../plan/types.ts';

/** An HPA leaves replicas alone while observed/target is within 10 % of 1 (Kubernetes' default tolerance). */
export const HPA_TOLERANCE = 0.1;

/**
 * The value at which the row's autoscaler acts: the threshold, or for an HPA the threshold
 * widened by its tolerance (a 70 % CPU target acts above 77 %).
 */
export function actingThreshold(t: Pick<PlanTrigger, 'action' | 'op' | 'threshold'>): number {
  if (t.action.type !== 'hpa') return t.threshold;
  return Math.round(t.threshold * (t.op === '>' ? 1 + HPA_TOLERANCE : 1 - HPA_TOLERANCE) * 1000) / 1000;
}

export function conditionText(t: PlanTrigger): string {
  const unit = t.signal === 'latency' ? 'ms' : t.signal === 'queue' ? 'messages' : '%';
  const what = t.signal === 'latency' ? `p${t.percentile} latency of ${t.route ?? t.service}` : t.signal === 'queue' ? `queue ${t.queue}` : `${t.signal} of ${t.service}`;
  const acting = actingThreshold(t);
  const tolerance = acting !== t.threshold ? `; fires at ${acting} ${unit}, the HPA's 10 % tolerance` : '';
  return `${what} ${t.op} ${t.threshold} ${unit} for ${t.forSeconds} s (${t.forWallSeconds.toFixed(1)} s wall${tolerance})`;
}

export function actionText(t: PlanTrigger): string {
  switch (t.action.type) {
    case 'add-instances':
      return `add ${t.action.count} instances of ${t.service}`;
    case 'add-workers':
      return `add ${t.action.count} workers (${t.action.deployment})`;
    case 'alert':
      return `alert: ${t.action.note}`;
    case 'hpa':
      return `HPA scale-up of ${t.service} (${t.minReplicas}..${t.maxReplicas})`;
  }
}

