/** Load-time validation of the PromQL a run's verdict depends on. */
import { InputError } from '../errors.ts';
import type { PrometheusClient } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import type { TargetMapping } from '../../profiles/targets.ts';
import { evalWindowSeconds, replicasExpr, scaledDeployment, signalExpr } from './triggers.ts';

/**
 * Every trigger query the verdict will run, checked by Prometheus's own parser before the load
 * starts: a broken expression in a mapping is an input error now, not an empty verdict later.
 */
export async function validateQueries(source: PrometheusClient, plan: Plan, mapping: TargetMapping, mappingName: string, namespace: string): Promise<void> {
  const win = evalWindowSeconds(plan, 1);
  for (const t of plan.triggers) {
    const checks: Array<[string, string]> = [
      [t.signal === 'latency' && !t.route ? 'latencyAll' : t.signal, signalExpr(t, mapping, win, namespace)],
      ['desiredReplicas', replicasExpr(scaledDeployment(t), mapping, namespace)],
    ];
    for (const [key, expr] of checks) {
      const problem = await source.validate(expr);
      if (problem) throw new InputError(`profiles/targets.ts: ${mappingName}.${key === 'desiredReplicas' ? key : `signals.${key}`}: ${problem} (got ${JSON.stringify(expr)})`);
    }
  }
}

