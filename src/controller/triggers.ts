/**
 * Judges each scaling trigger of the plan from Prometheus range data alone: when its condition
 * held, when it fired, whether the promised scaling followed within a grace period, and the lag.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { PlanTrigger, Plan } from '../plan/types.ts';
import { scaledDeployment } from '../plan/trigger.ts';
import { TARGET_MAPPINGS, type TargetMapping } from '../../profiles/targets.ts';
import { signalStep } from './recording.ts';
import { activeSpans, fireTimes, heldIntervals, type Points } from './trigger-math.ts';
import { attributeByMatch, attributeByRecord, flapCyclesOf, flapWindowSeconds, type Attribution, type RowEvidence } from './trigger-attribution.ts';
import { judgeFirings, rowOutcome } from './trigger-firings.ts';
import { statusOf, triggerResult } from './trigger-row.ts';
import { actingThreshold } from './trigger-text.ts';
import type { RunWindow } from './slo.ts';
import type { TriggerResult } from './types.ts';

export interface TriggerJudgeOptions {
  mapping?: TargetMapping;
  namespace?: string;
  scrapeIntervalSeconds?: number;
}

export { scaledDeployment };
export { actingThreshold, actionText, conditionText, HPA_TOLERANCE } from './trigger-text.ts';

/** Evaluation window of a signal, wall-clock s: the autoscaler's 60 s, time-compressed, and at least 4 scrapes. */
export function evalWindowSeconds(plan: Plan, scrape: number): number {
  return Math.max(60 / plan.timeScale, 4 * scrape);
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\$(deployment|service|route|method|path|queueNamespace|queue|namespace|window|quantile|trigger|direction)\b/g, (_, k: string) => vars[k] ?? '');
}

/** The PromQL giving the trigger's signal in its unit. */
export function signalExpr(t: PlanTrigger, mapping: TargetMapping, windowSeconds: number, namespace = 'default'): string {
  const vars = {
    deployment: t.service,
    service: t.service,
    route: (t.route ?? '').replace(/"/g, '\\"'),
    // "POST /auth/login" as OpenTelemetry labels it: http_request_method and http_route.
    method: (t.route ?? '').split(' ')[0] ?? '',
    path: (t.route ?? '').split(' ').slice(1).join(' ').replace(/"/g, '\\"'),
    queue: t.queue ?? '',
    namespace,
    queueNamespace: mapping.queueNamespace ?? namespace,
    window: `${Math.max(1, Math.round(windowSeconds))}s`,
    quantile: String(t.percentile / 100),
  };
  const s = mapping.signals;
  const template = t.signal === 'latency' ? (t.route ? s.latency : s.latencyAll) : s[t.signal];
  return fill(template, vars);
}

export function replicasExpr(deployment: string, mapping: TargetMapping, namespace = 'default'): string {
  return fill(mapping.desiredReplicas, { deployment, namespace });
}

/**
 * How far either side of its threshold a signal may read differently to the harness and to the
 * autoscaler, as a fraction of the threshold: the two average over their own windows and sample
 * at their own instants, and a latency percentile is interpolated inside a histogram bucket.
 * Measured on the embedded stack's quick spikes, where a CPU near 70 % read up to 1.3 s of hold
 * apart; a row is judged late or unanswered only once its signal held beyond the band.
 */
export const MEASUREMENT_BAND: Record<PlanTrigger['signal'], number> = { cpu: 0.05, memory: 0.02, latency: 0.1, queue: 0.05 };

/** The acting threshold's edges of the measurement band: [where the condition may hold, where it surely does]. */
export function bandEdges(t: Pick<PlanTrigger, 'action' | 'op' | 'threshold' | 'signal'>): [number, number] {
  const acting = actingThreshold(t);
  const d = acting * MEASUREMENT_BAND[t.signal];
  return t.op === '>' ? [acting - d, acting + d] : [acting + d, acting - d];
}

/**
 * The grace period, wall-clock s, and how it was derived. In plan time it is the autoscaler's
 * sync period, a quarter of the evaluation window (the controller and the autoscaler sample the
 * window at different instants), half the difference between the harness's window and the
 * autoscaler's own where they differ, and a tenth of the `for` window, all divided by the time scale;
 * plus one scrape at each end (the firing and the scale-up are each seen at the scrape after).
 * Quick and full runs judge the same plan-time lateness but for those two scrapes.
 */
export function graceFor(t: PlanTrigger, plan: Plan, mapping: TargetMapping, scrape: number): { seconds: number; derivation: string } {
  const ts = plan.timeScale;
  const win = evalWindowSeconds(plan, scrape);
  const sync = mapping.syncPeriodSeconds;
  const skew = 0.25 * win * ts;
  // A moving average lags a change by half its window: two windows of different lengths see the
  // same change that far apart (the harness's window is at least four scrapes long).
  const targetWindow = mapping.evaluationWindowSeconds ?? win * ts;
  const mismatch = 0.5 * Math.abs(win * ts - targetWindow);
  const hold = 0.1 * t.forSeconds;
  const seconds = (sync + skew + mismatch + hold) / ts + 2 * scrape;
  const p = (n: number): string => `${Math.round(n * 10) / 10} s`;
  const derivation =
    `${p(seconds * ts)} plan = sync ${p(sync)} + window skew ${p(skew)}` +
    (mismatch > 0 ? ` + window mismatch ${p(mismatch)} (${p(win * ts)} vs the autoscaler's ${p(targetWindow)})` : '') +
    ` + 10% of for ${p(hold)} + 2 scrapes ${p(2 * scrape * ts)} (${scrape} s wall each);` +
    ` ${seconds.toFixed(2)} s wall at time scale ${ts}; due once the signal held beyond ±${MEASUREMENT_BAND[t.signal] * 100} % of its threshold for its window`;
  return { seconds, derivation };
}

async function range(source: MetricSource, expr: string, w: RunWindow, step: number): Promise<Points> {
  const r = await source.queryRange(expr, w.start, w.end, step);
  return r[0]?.values ?? [];
}

/** The autoscaler's record of each row of one deployment, or null where the target keeps none. */
async function scalingRecord(source: MetricSource, rows: PlanTrigger[], mapping: TargetMapping, ns: string, w: RunWindow, step: number): Promise<Map<string, { up: Points; down: Points }> | null> {
  const template = mapping.scalingRecord;
  if (!template) return null;
  const out = new Map<string, { up: Points; down: Points }>();
  for (const t of rows) {
    const q = (direction: string): Promise<Points> => range(source, fill(template, { deployment: scaledDeployment(t), trigger: t.id, direction, namespace: ns }), w, step);
    out.set(t.id, { up: await q('up'), down: await q('down') });
  }
  return [...out.values()].some((r) => r.up.length > 0) ? out : null;
}

export async function judgeTriggers(source: MetricSource, plan: Plan, w: RunWindow, opts: TriggerJudgeOptions = {}): Promise<TriggerResult[]> {
  const mapping = opts.mapping ?? TARGET_MAPPINGS.embedded!;
  const scrape = opts.scrapeIntervalSeconds ?? 1;
  const ns = opts.namespace ?? 'default';
  const step = signalStep(Math.max(0.25, Math.min(scrape, 1)), w.end - w.start);
  const win = evalWindowSeconds(plan, scrape);
  const graces = new Map(plan.triggers.map((t) => [t.id, graceFor(t, plan, mapping, scrape)]));
  const maxGrace = Math.max(...[...graces.values()].map((g) => g.seconds), 0);
  // Per row: where its condition held, and where it may and surely held for the autoscaler (its measurement band).
  const evidence = new Map<string, RowEvidence & { held: Array<[number, number]>; maybe: Array<[number, number]>; sure: Array<[number, number]> }>();
  for (const t of plan.triggers) {
    const points = await range(source, signalExpr(t, mapping, win, ns), w, step);
    const grace = graces.get(t.id)!.seconds;
    const held = heldIntervals(points, t.op, t.threshold, step);
    const firing = actingThreshold(t) === t.threshold ? held : heldIntervals(points, t.op, actingThreshold(t), step);
    const spans = activeSpans(held, t.forWallSeconds, grace, maxGrace, win);
    const promised = t.action.type === 'add-instances' || t.action.type === 'add-workers' ? t.action.count : null;
    const [near, far] = bandEdges(t);
    const [maybe, sure] = [heldIntervals(points, t.op, near, step), heldIntervals(points, t.op, far, step)];
    evidence.set(t.id, { id: t.id, step: promised, fires: fireTimes(firing, t.forWallSeconds), spans, graceSeconds: grace, earlySlackSeconds: grace, held, maybe, sure });
  }
  const replicas = new Map<string, Points>();
  const attribution = new Map<string, Attribution>();
  for (const dep of new Set(plan.triggers.map(scaledDeployment))) {
    const reps = await range(source, replicasExpr(dep, mapping, ns), w, step);
    replicas.set(dep, reps);
    const rows = plan.triggers.filter((t) => scaledDeployment(t) === dep && t.action.type !== 'alert');
    const record = await scalingRecord(source, rows, mapping, ns, w, step);
    const ev = rows.map((t) => evidence.get(t.id)!);
    attribution.set(dep, record ? attributeByRecord(reps, record, step) : attributeByMatch(reps, ev));
  }
  return plan.triggers.map((t) => {
    const dep = scaledDeployment(t);
    const reps = replicas.get(dep) ?? [];
    const ev = evidence.get(t.id)!;
    const att = attribution.get(dep)!;
    const row = { t, grace: graces.get(t.id)!, held: ev.held };
    if (reps.length === 0 && t.action.type !== 'alert') return triggerResult(row, null, 'not-fired', `no replica data for ${dep}`, 'inconclusive');
    const ups = t.action.type === 'alert' ? [] : (att.ups.get(t.id) ?? []);
    const firings = judgeFirings({
      action: t.action.type,
      held: ev.maybe,
      sure: ev.sure,
      forSeconds: t.forWallSeconds,
      step: ev.step,
      maxReplicas: t.maxReplicas,
      graceSeconds: ev.graceSeconds,
      earlySlackSeconds: ev.earlySlackSeconds,
      cooldownSeconds: (mapping.cooldownSeconds ?? 0) / plan.timeScale,
      settleSeconds: Math.max(step, win),
      replicas: reps,
      ups,
      windowEnd: w.end,
    });
    const cycles = flapCyclesOf(t.id, ups, att.downs, flapWindowSeconds(plan.timeScale));
    const judged = rowOutcome(firings, cycles.length);
    // The record credits this row with a scale-up while its condition had not held.
    const own = att.how === 'record' ? ups.filter((u) => !ev.spans.some(([a, b]) => u.time >= a && u.time <= b)) : [];
    const stray = own.length > 0 ? own.map((u) => ({ time: u.time, from: u.from, to: u.from + u.delta })) : judged ? [] : att.unexplained;
    if (stray.length > 0 && t.action.type !== 'alert' && (!judged || statusOf(judged.outcome, t.expect) === 'pass')) {
      const by = own.length > 0 ? `the autoscaler credits ${t.id} with` : `${dep} scaled`;
      return triggerResult(row, judged, 'scaled-without-trigger', `${by} ${stray.map((s) => `${s.from}->${s.to}`).join(', ')} while no trigger of it had fired (${att.how === 'record' ? "the autoscaler's record" : 'matched by step and timing'})`);
    }
    if (!judged) {
      if (t.expect === 'fire') return triggerResult(row, null, 'expected-but-not-fired', 'the profile expects this trigger to fire; its condition never held for its window');
      if (t.expect === 'any') return triggerResult(row, null, 'not-exercised', 'never fired, and the profile asks nothing of it: no evidence either way');
      return triggerResult(row, null, 'not-fired', 'condition never held for its window');
    }
    const credit = att.how === 'record' ? "by the autoscaler's record" : 'matched by step and timing';
    const detail = `${judged.detail}${ups.length > 0 ? ` (scale-ups credited ${credit})` : ''}`;
    const result = triggerResult(row, judged, judged.outcome, t.expect === 'quiet' ? `expected to stay quiet, but ${detail}` : detail);
    if (judged.outcome !== 'flapping') return result;
    return { ...result, flapCycles: cycles.map((c) => ({ ...c, heldAtDown: ev.sure.some(([a, b]) => c.down >= a && c.down <= b) })) };
  });
}
