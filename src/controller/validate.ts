/** Load-time validation of the PromQL a run's verdict depends on. */
import { InputError } from '../errors.ts';
import type { PrometheusClient } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import type { TargetMapping } from '../../profiles/targets.ts';
import { evalWindowSeconds, replicasExpr, scaledDeployment, signalExpr } from './triggers.ts';

/** How long the live-data check waits for every query to answer, ms: a few scrapes of a rate window. */
export const LIVE_DATA_TIMEOUT_MS = 10_000;

interface Check {
  /** Mapping key, e.g. `signals.latency` or `desiredReplicas`. */
  key: string;
  trigger: string;
  expr: string;
}

function checks(plan: Plan, mapping: TargetMapping, namespace: string, scrape: number): Check[] {
  const win = evalWindowSeconds(plan, scrape);
  const out: Check[] = [];
  for (const t of plan.triggers) {
    out.push({ key: `signals.${t.signal === 'latency' && !t.route ? 'latencyAll' : t.signal}`, trigger: t.id, expr: signalExpr(t, mapping, win, namespace) });
    out.push({ key: 'desiredReplicas', trigger: t.id, expr: replicasExpr(scaledDeployment(t), mapping, namespace) });
  }
  return out;
}

/**
 * Every trigger query the verdict will run, checked by Prometheus's own parser before the load
 * starts: a broken expression in a mapping is an input error now, not an empty verdict later.
 */
export async function validateQueries(source: PrometheusClient, plan: Plan, mapping: TargetMapping, mappingName: string, namespace: string): Promise<void> {
  for (const c of checks(plan, mapping, namespace, 1)) {
    const problem = await source.validate(c.expr);
    if (problem) throw new InputError(`profiles/targets.ts: ${mappingName}.${c.key}: ${problem} (got ${JSON.stringify(c.expr)})`);
  }
}

/**
 * Every signal and replica query answered by live data (at least one series, NaN counts: an idle
 * route's quantile is NaN) after the first scrape and before the load. A mapping that matches
 * nothing would judge every row on silence: it is an input error, naming the expression.
 */
export async function checkLiveData(
  source: PrometheusClient,
  plan: Plan,
  mapping: TargetMapping,
  mappingName: string,
  namespace: string,
  opts: { scrapeIntervalSeconds: number; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? LIVE_DATA_TIMEOUT_MS);
  const pending = new Map(checks(plan, mapping, namespace, opts.scrapeIntervalSeconds).map((c) => [c.expr, c]));
  // Bounded by the deadline; a rate() needs two scrapes in its window before it answers.
  for (;;) {
    for (const [expr] of pending) if ((await source.query(expr)).length > 0) pending.delete(expr);
    const first = pending.values().next().value;
    if (!first) return;
    if (Date.now() >= deadline) {
      throw new InputError(`profiles/targets.ts: ${mappingName}.${first.key}: matches no series in Prometheus (trigger ${first.trigger}) (got ${JSON.stringify(first.expr)})`);
    }
    await new Promise((r) => setTimeout(r, Math.max(200, opts.scrapeIntervalSeconds * 1000)));
  }
}
