/**
 * The live view during a run: per deployment, replicas; per trigger, armed / pending (with the
 * time held) / fired; and the gateway rate, p95 and error ratio. In a terminal it refreshes at
 * every poll; in a plain CI log it prints a compact block every few seconds.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import { TARGET_MAPPINGS, type TargetMapping } from '../../profiles/targets.ts';
import { k6Selector } from './queries.ts';
import { evalWindowSeconds, replicasExpr, scaledDeployment, signalExpr } from './triggers.ts';

export interface LiveOptions {
  start: number;
  log: (line: string) => void;
  isTTY: boolean;
  pollSeconds?: number;
  scrapeIntervalSeconds?: number;
  mapping?: TargetMapping;
  namespace?: string;
}

export type TriggerState = { state: 'armed' } | { state: 'pending'; heldSeconds: number } | { state: 'fired'; at: number };

/** Advances one trigger's state given whether its condition holds now. */
export function nextState(prev: TriggerState, holds: boolean, now: number, forSeconds: number, since: number | null): { state: TriggerState; since: number | null } {
  if (!holds) return { state: prev.state === 'fired' ? prev : { state: 'armed' }, since: null };
  const from = since ?? now;
  if (now - from >= forSeconds) return { state: { state: 'fired', at: now }, since: from };
  return { state: { state: 'pending', heldSeconds: now - from }, since: from };
}

async function one(source: MetricSource, expr: string): Promise<number | null> {
  try {
    const v = (await source.query(expr))[0]?.value[1];
    return v === undefined || !Number.isFinite(v) ? null : v;
  } catch {
    return null;
  }
}

export function startLiveView(source: MetricSource, plan: Plan, opts: LiveOptions): { stop(): void } {
  const mapping = opts.mapping ?? TARGET_MAPPINGS.embedded!;
  const ns = opts.namespace ?? 'default';
  const poll = opts.pollSeconds ?? 1;
  const printEvery = opts.isTTY ? poll : Math.max(5, Math.round(plan.durationSeconds / 12));
  const win = evalWindowSeconds(plan, opts.scrapeIntervalSeconds ?? 1);
  const states = new Map<string, { state: TriggerState; since: number | null }>();
  for (const t of plan.triggers) states.set(t.id, { state: { state: 'armed' }, since: null });
  let lastPrint = 0;
  let busy = false;
  const sel = k6Selector(plan.runId);
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = Date.now() / 1000;
      const lines: string[] = [];
      const rate = await one(source, `sum(rate(k6_http_reqs_total${sel}[5s]))`);
      const p95 = await one(source, `histogram_quantile(0.95, sum(rate(k6_http_req_duration_seconds${sel}[10s]))) * 1000`);
      const err = await one(source, `(sum(rate(k6_http_reqs_total${k6Selector(plan.runId, {}, { expected_response: 'false' })}[10s])) or vector(0)) / sum(rate(k6_http_reqs_total${sel}[10s]))`);
      const elapsed = Math.round(now - opts.start);
      lines.push(
        `[live] ${elapsed}s/${Math.round(plan.durationSeconds)}s  rate ${rate === null ? '-' : rate.toFixed(0)} req/s  p95 ${p95 === null ? '-' : `${p95.toFixed(0)} ms`}  errors ${err === null ? '-' : `${(err * 100).toFixed(2)} %`}`,
      );
      const byDep = new Map<string, string[]>();
      for (const t of plan.triggers) {
        const v = await one(source, signalExpr(t, mapping, win, ns));
        const holds = v !== null && (t.op === '>' ? v > t.threshold : v < t.threshold);
        const prev = states.get(t.id)!;
        const next = nextState(prev.state, holds, now, t.forWallSeconds, prev.since);
        states.set(t.id, next);
        const s = next.state;
        const text = s.state === 'pending' ? `pending ${s.heldSeconds.toFixed(1)}/${t.forWallSeconds.toFixed(1)}s` : s.state;
        const dep = scaledDeployment(t);
        byDep.set(dep, [...(byDep.get(dep) ?? []), `${t.id}=${v === null ? '-' : v.toFixed(0)} ${text}`]);
      }
      for (const [dep, trig] of byDep) {
        const reps = await one(source, replicasExpr(dep, mapping, ns));
        lines.push(`[live]   ${dep.padEnd(14)} replicas ${reps ?? '-'}  ${trig.join('  ')}`);
      }
      if (now - lastPrint >= printEvery - 0.01) {
        lastPrint = now;
        for (const l of lines) opts.log(l);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), poll * 1000);
  return { stop: () => clearInterval(timer) };
}
