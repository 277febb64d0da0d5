/**
 * The time series a report plots, fetched once after a run with range queries and stored as
 * reports/runs/<runId>/series.json. Series ids are `<family>` or `<family>:<label value>`, the
 * families below are a contract shared with the HTML report and anything that reads series.json.
 */
import type { Verdict } from '../controller/types.ts';
import type { MetricSource } from '../metrics/client.ts';
import type { Plan, PlanScenario } from '../plan/types.ts';
import { plannedRate } from '../plan/rate.ts';
import { EMBEDDED, TARGET_MAPPINGS, type ReportSeriesMapping } from '../../profiles/targets.ts';

export type SeriesUnit = 'req/s' | 'ms' | 'replicas' | 'ratio' | '%' | 'messages';

export interface Series {
  /** `<family>:<label value>`, e.g. `achieved_rps:login`. */
  id: string;
  title: string;
  unit: SeriesUnit;
  labels: Record<string, string>;
  /** [epoch seconds, value] in time order; non-finite samples are dropped (shown as gaps). */
  points: Array<[number, number]>;
}

export interface Marker {
  /** Epoch seconds. */
  time: number;
  label: string;
  kind: 'fire' | 'scale' | 'run';
}

/** A range query that failed: the run that relies on it must not pass. */
export interface SeriesError {
  family: SeriesFamily;
  expr: string;
  message: string;
}

export interface RunSeries {
  /** Window queried, epoch seconds. */
  start: number;
  end: number;
  /** Query resolution, seconds. */
  step: number;
  series: Series[];
  markers: Marker[];
  /** Queries that failed; empty when all succeeded. */
  errors: SeriesError[];
}

export const SERIES_FAMILIES = [
  'target_rps',
  'achieved_rps',
  'k6_p50_ms',
  'k6_p95_ms',
  'k6_p99_ms',
  'server_p95_ms',
  'error_ratio',
  'replicas_available',
  'replicas_spec',
  'cpu_percent',
  'queue_depth',
] as const;
export type SeriesFamily = (typeof SERIES_FAMILIES)[number];

export interface SeriesQuery {
  family: Exclude<SeriesFamily, 'target_rps'>;
  unit: SeriesUnit;
  /** Label that tells the series of this family apart. */
  by: string;
  /** Short title prefix; the label value is appended. */
  title: string;
  expr: string;
}

/** The server-side families, read from the target's mapping (profiles/targets.ts). */
const MAPPED: Partial<Record<SeriesFamily, keyof ReportSeriesMapping>> = {
  server_p95_ms: 'serverP95ByService',
  cpu_percent: 'cpuByDeployment',
  queue_depth: 'queueByQueue',
  replicas_spec: 'specReplicasByDeployment',
  replicas_available: 'availableReplicasByDeployment',
};

/**
 * Families a run's verdict leans on, which must return data: the server's latency always, the
 * replicas when a trigger scales, CPU and queue depth when a trigger reads them.
 */
export function requiredFamilies(plan: Plan): SeriesFamily[] {
  const out: SeriesFamily[] = ['achieved_rps', 'server_p95_ms'];
  if (plan.triggers.some((t) => t.action.type !== 'alert')) out.push('replicas_spec', 'replicas_available');
  if (plan.triggers.some((t) => t.signal === 'cpu')) out.push('cpu_percent');
  if (plan.triggers.some((t) => t.signal === 'queue')) out.push('queue_depth');
  return out;
}

/** Resolution for a window: about 300 points, never finer than 1 s. */
export function stepFor(durationSeconds: number): number {
  return Math.max(1, Math.ceil(durationSeconds / 300));
}

/**
 * Rate window for a step: four samples, at least 5 s (two default scrape intervals). From a
 * 1-minute step on (runs of 5 h and more) the windows tile instead: each sample is read once,
 * not four times, which is what keeps a day-long run's plots to seconds of Prometheus time.
 */
export function rateWindowFor(step: number): number {
  return step >= 60 ? step : Math.max(4 * step, 5);
}

/** The PromQL behind every measured family. `runId` is k6's `testid` tag; server-side families come from `report`. */
export function seriesQueries(runId: string, rateWindowSeconds: number, report: ReportSeriesMapping | undefined = EMBEDDED.report, namespace = 'default'): SeriesQuery[] {
  const id = JSON.stringify(runId);
  const w = `${rateWindowSeconds}s`;
  const reqs = `k6_http_reqs_total{testid=${id}}`;
  const failed = `k6_http_reqs_total{testid=${id},expected_response="false"}`;
  const k6q = (q: number) =>
    `histogram_quantile(${q}, sum by (journey) (rate(k6_http_req_duration_seconds{testid=${id}}[${w}])))*1000`;
  const mapped = (family: SeriesFamily): string => {
    const key = MAPPED[family];
    const template = key ? report?.[key] : undefined;
    return template === undefined ? '' : template.replace(/\$window\b/g, w).replace(/\$namespace\b/g, namespace.replace(/"/g, '\\"'));
  };
  return [
    { family: 'achieved_rps', unit: 'req/s', by: 'journey', title: 'achieved', expr: `sum by (journey) (rate(${reqs}[${w}]))` },
    { family: 'k6_p50_ms', unit: 'ms', by: 'journey', title: 'p50', expr: k6q(0.5) },
    { family: 'k6_p95_ms', unit: 'ms', by: 'journey', title: 'p95', expr: k6q(0.95) },
    { family: 'k6_p99_ms', unit: 'ms', by: 'journey', title: 'p99', expr: k6q(0.99) },
    { family: 'server_p95_ms', unit: 'ms', by: 'service', title: 'server p95', expr: mapped('server_p95_ms') },
    {
      // k6_http_req_failed_rate is a per-runner gauge, not a counter: derive the ratio from the
      // request counter. `or 0 * ...` keeps journeys with no failures at 0 instead of absent.
      family: 'error_ratio',
      unit: 'ratio',
      by: 'journey',
      title: 'errors',
      expr: `(sum by (journey) (rate(${failed}[${w}])) or 0 * sum by (journey) (rate(${reqs}[${w}]))) / sum by (journey) (rate(${reqs}[${w}]))`,
    },
    { family: 'replicas_available', unit: 'replicas', by: 'deployment', title: 'available', expr: mapped('replicas_available') },
    { family: 'replicas_spec', unit: 'replicas', by: 'deployment', title: 'desired', expr: mapped('replicas_spec') },
    { family: 'cpu_percent', unit: '%', by: 'deployment', title: 'cpu', expr: mapped('cpu_percent') },
    { family: 'queue_depth', unit: 'messages', by: 'queue', title: 'queue', expr: mapped('queue_depth') },
  ];
}

/** Planned request rate per journey (iterations/s x requests per iteration), on the query grid. */
export function targetSeries(plan: Plan, loadStart: number, start: number, end: number, step: number): Series[] {
  const byJourney = new Map<string, PlanScenario[]>();
  for (const s of plan.scenarios) byJourney.set(s.journey, [...(byJourney.get(s.journey) ?? []), s]);
  return [...byJourney].map(([journey, scenarios]) => {
    const points: Array<[number, number]> = [];
    for (let t = start; t <= end; t += step) {
      const rate = scenarios.reduce((sum, s) => sum + plannedRate(s, t - loadStart) * s.requestsPerIteration, 0);
      points.push([t, rate]);
    }
    return { id: `target_rps:${journey}`, title: `target ${journey}`, unit: 'req/s', labels: { journey }, points };
  });
}

/** Run start/end and, per trigger, when it fired and when replicas rose. */
export function markersFor(verdict: Verdict): Marker[] {
  const markers: Marker[] = [
    { time: verdict.startedAt, label: 'load start', kind: 'run' },
    { time: verdict.endedAt, label: 'load end', kind: 'run' },
  ];
  for (const t of verdict.triggers) {
    if (t.firedAt !== null) markers.push({ time: t.firedAt, label: `${t.id} fired`, kind: 'fire' });
    if (t.scaledAt !== null) {
      const lag = t.lagSeconds === null ? '' : ` (+${Math.round(t.lagSeconds)} s)`;
      markers.push({ time: t.scaledAt, label: `${t.id} scaled${lag}`, kind: 'scale' });
    }
  }
  return markers.sort((a, b) => a.time - b.time);
}

/**
 * Queries every family over `window` (epoch s). A failing query is recorded in `errors`, not
 * thrown and not ignored, so the caller can mark the run inconclusive and still write a report.
 */
export async function collectSeries(
  source: MetricSource,
  plan: Plan,
  verdict: Verdict,
  window: { start: number; end: number },
): Promise<RunSeries> {
  const step = stepFor(window.end - window.start);
  const mapping = TARGET_MAPPINGS[plan.mapping?.name ?? 'embedded'];
  const queries = seriesQueries(plan.runId, rateWindowFor(step), mapping?.report, plan.mapping?.namespace);
  const required = requiredFamilies(plan);
  const errors: SeriesError[] = [];
  const measured = await Promise.all(
    queries.map(async (q): Promise<Series[]> => {
      const must = required.includes(q.family);
      if (!q.expr) {
        if (must) errors.push({ family: q.family, expr: '', message: `the ${plan.mapping?.name ?? 'embedded'} mapping names no query for it (profiles/targets.ts: report)` });
        return [];
      }
      try {
        const result = await source.queryRange(q.expr, window.start, window.end, step);
        // A family the verdict leans on that answers nothing is missing evidence, not an empty chart.
        if (must && result.every((r) => r.values.length === 0)) errors.push({ family: q.family, expr: q.expr, message: `returned no data over the run: ${q.expr}` });
        return result
          .map((r) => {
            const key = r.metric[q.by] ?? '';
            return {
              id: key ? `${q.family}:${key}` : q.family,
              title: key ? `${q.title} ${key}` : q.title,
              unit: q.unit,
              labels: { ...r.metric },
              points: r.values.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)),
            };
          })
          .sort((a, b) => a.id.localeCompare(b.id));
      } catch (err) {
        errors.push({ family: q.family, expr: q.expr, message: err instanceof Error ? err.message : String(err) });
        return [];
      }
    }),
  );
  return {
    start: window.start,
    end: window.end,
    step,
    series: [...targetSeries(plan, verdict.startedAt, window.start, window.end, step), ...measured.flat()],
    markers: markersFor(verdict),
    errors: errors.sort((a, b) => SERIES_FAMILIES.indexOf(a.family) - SERIES_FAMILIES.indexOf(b.family)),
  };
}
