/** Traffic seen per service, journey and cohort, from k6's series in Prometheus. */
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import { counterTotal, k6Selector, latencyOver } from './queries.ts';
import { targetIterations } from './slo-math.ts';
import { wholeRunPercentilesBy } from './histograms.ts';
import type { RunWindow } from './slo.ts';
import type { TrafficRow } from './types.ts';

type Kind = TrafficRow['kind'];
const LABEL: Record<Kind, 'service' | 'journey' | 'cohort'> = { service: 'service', journey: 'journey', cohort: 'cohort' };

async function byLabel(source: MetricSource, expr: string, label: string, at: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of await source.query(expr, at)) {
    const key = s.metric[label];
    if (key !== undefined && Number.isFinite(s.value[1])) out.set(key, s.value[1]);
  }
  return out;
}

export async function trafficRows(source: MetricSource, plan: Plan, w: RunWindow): Promise<TrafficRow[]> {
  const range = w.end - w.start + 5;
  const sel = k6Selector(plan.runId);
  const failedSel = k6Selector(plan.runId, {}, { expected_response: 'false' });
  const seconds = Math.max(1, w.end - w.start);
  const rows: TrafficRow[] = [];
  for (const kind of ['service', 'journey', 'cohort'] as const) {
    const label = LABEL[kind];
    const reqs = await byLabel(source, counterTotal('k6_http_reqs_total', sel, range, label), label, w.end);
    const failed = await byLabel(source, counterTotal('k6_http_reqs_total', failedSel, range, label), label, w.end);
    const p95 = (await wholeRunPercentilesBy(source, plan.runId, label, 95, range, w.end)) ?? (await byLabel(source, latencyOver(95, sel, range, label), label, w.end));
    const p99 = (await wholeRunPercentilesBy(source, plan.runId, label, 99, range, w.end)) ?? (await byLabel(source, latencyOver(99, sel, range, label), label, w.end));
    const iters = kind === 'journey' ? await byLabel(source, counterTotal('k6_iterations_total', sel, range, label), label, w.end) : null;
    const dropped = kind === 'journey' ? await byLabel(source, counterTotal('k6_dropped_iterations_total', sel, range, label), label, w.end) : null;
    const names = new Set<string>(plan.scenarios.map((s) => s[label]));
    for (const name of [...names].sort()) {
      const n = reqs.get(name) ?? 0;
      const row: TrafficRow = {
        kind,
        name,
        requests: n,
        rps: n / seconds,
        p95Ms: p95.get(name) ?? null,
        p99Ms: p99.get(name) ?? null,
        errorRate: n > 0 ? (failed.get(name) ?? 0) / n : null,
      };
      if (iters && dropped) {
        row.targetIterations = Math.round(targetIterations(plan, { journey: name }));
        row.iterations = iters.get(name) ?? 0;
        row.droppedIterations = dropped.get(name) ?? 0;
      }
      rows.push(row);
    }
  }
  return rows;
}
