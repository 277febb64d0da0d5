/**
 * Evidence behind each trigger row: every query a row depends on (its signal, the replicas of
 * the deployment it scales) must have returned data over the run, and a fault injected on a row
 * must have met a firing of it. A row without that evidence is `inconclusive`, never a pass.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Plan, PlanTrigger } from '../plan/types.ts';
import type { AnyFault } from '../stack/faults.ts';
import type { TargetMapping } from '../../profiles/targets.ts';
import type { RunWindow } from './slo.ts';
import { evalWindowSeconds, replicasExpr, scaledDeployment, signalExpr } from './triggers.ts';
import type { TriggerResult } from './types.ts';

/** Smallest share of the run's evaluation steps a row's series must answer. */
export const MIN_DATA_COVERAGE = 0.5;

export interface EvidenceOptions {
  mapping: TargetMapping;
  namespace: string;
  scrapeIntervalSeconds: number;
}

/** One query's data over a window. A NaN point counts as data: an idle route has a NaN quantile. */
export interface Coverage {
  points: number;
  expected: number;
  /** Epoch s of the last point, null when there was none. */
  last: number | null;
}

/**
 * What is wrong with a query's data over [from, end], or null: no data at all, data that stops
 * more than `tail` seconds before the end (vanished), or fewer than half the expected points.
 */
export function dataProblem(c: Coverage, from: number, end: number, tail: number): string | null {
  if (c.points === 0 || c.last === null) return 'returned no data over the run';
  if (c.last < end - tail) return `returned no data after +${Math.round(c.last - from)} s of ${Math.round(end - from)} s`;
  if (c.expected > 0 && c.points / c.expected < MIN_DATA_COVERAGE) {
    return `answered ${c.points} of ${c.expected} steps (under ${MIN_DATA_COVERAGE * 100} %)`;
  }
  return null;
}

export async function coverage(source: MetricSource, expr: string, from: number, end: number, step: number): Promise<Coverage> {
  const series = await source.queryRange(expr, from, end, step);
  const times = new Set<number>();
  for (const s of series) for (const [t] of s.values) times.add(t);
  const last = times.size > 0 ? Math.max(...times) : null;
  return { points: times.size, expected: Math.floor((end - from) / step) + 1, last };
}

/** The queries a trigger row depends on, by what they are. */
export function rowQueries(t: PlanTrigger, plan: Plan, o: EvidenceOptions): Array<{ what: string; expr: string }> {
  const win = evalWindowSeconds(plan, o.scrapeIntervalSeconds);
  const out = [{ what: 'signal', expr: signalExpr(t, o.mapping, win, o.namespace) }];
  if (t.action.type !== 'alert') out.push({ what: 'replicas', expr: replicasExpr(scaledDeployment(t), o.mapping, o.namespace) });
  return out;
}

/** Marks rows whose queries lack data `no-data` and inconclusive, naming the expression. */
export async function checkRowData(source: MetricSource, plan: Plan, w: RunWindow, rows: TriggerResult[], o: EvidenceOptions): Promise<TriggerResult[]> {
  const step = Math.max(0.25, Math.min(o.scrapeIntervalSeconds, 1));
  const tail = Math.max(2, 2 * step + 2 * o.scrapeIntervalSeconds);
  const cache = new Map<string, string | null>();
  const out: TriggerResult[] = [];
  for (const row of rows) {
    const t = plan.triggers.find((x) => x.id === row.id);
    const problems: string[] = [];
    for (const q of t ? rowQueries(t, plan, o) : []) {
      if (!cache.has(q.expr)) cache.set(q.expr, dataProblem(await coverage(source, q.expr, w.start, w.end, step), w.start, w.end, tail));
      const p = cache.get(q.expr);
      if (p) problems.push(`${q.what} query ${p}: ${q.expr}`);
    }
    out.push(problems.length === 0 ? row : { ...row, outcome: 'no-data', status: 'inconclusive', detail: problems.join('; ') });
  }
  return out;
}

/** A fault as `--fault` spells it. */
export function faultText(f: AnyFault): string {
  switch (f.kind) {
    case 'late':
      return `late:${f.trigger}:${f.delaySeconds}`;
    case 'short':
      return `short:${f.trigger}:${f.count}`;
    case 'ignore':
    case 'flap':
      return `${f.kind}:${f.trigger}`;
    case 'slow':
      return `slow:${f.route}:${f.delayMs}`;
    case 'errors':
      return `errors:${f.journey}:${f.ratio}`;
    case 'leak':
      return `leak:${f.service}:${f.mbPerMinute}`;
    case 'proxy-down':
      return `proxy-down:${f.cohort}`;
  }
}

/**
 * A fault on a row that never fired was never put to the test: the row cannot pass. A row that
 * already fails (e.g. `expect: fire` and it never fired) keeps its failure.
 */
export function checkFaultsExercised(rows: TriggerResult[], faults: readonly AnyFault[]): TriggerResult[] {
  return rows.map((row) => {
    const f = faults.find((x) => 'trigger' in x && x.trigger === row.id);
    if (!f || row.firedAt !== null || row.status === 'fail') return row;
    return { ...row, status: 'inconclusive', detail: `fault ${faultText(f)} injected, but the row never fired: the fault was not exercised (${row.detail})` };
  });
}
