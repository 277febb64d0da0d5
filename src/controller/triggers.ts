/**
 * Judges each scaling trigger of the plan from Prometheus range data alone: when its condition
 * held, when it fired, whether the promised scaling followed within a grace period, and the lag.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { PlanTrigger, Plan } from '../plan/types.ts';
import { scaledDeployment } from '../plan/trigger.ts';
import { TARGET_MAPPINGS, type TargetMapping } from '../../profiles/targets.ts';
import { signalStep } from './recording.ts';
import { activeSpans, classify, fireTimes, heldIntervals, unexplainedScaleUps, type Points } from './trigger-math.ts';
import type { RunWindow } from './slo.ts';
import type { Status, TriggerResult } from './types.ts';

export interface TriggerJudgeOptions {
  mapping?: TargetMapping;
  namespace?: string;
  scrapeIntervalSeconds?: number;
}

export { scaledDeployment };

/** Evaluation window of a signal, wall-clock s: the autoscaler's 60 s, time-compressed, and at least 4 scrapes. */
export function evalWindowSeconds(plan: Plan, scrape: number): number {
  return Math.max(60 / plan.timeScale, 4 * scrape);
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\$(deployment|service|route|method|path|queue|namespace|window|quantile)\b/g, (_, k: string) => vars[k] ?? '');
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

/** The grace period and how it was derived, wall-clock s. */
export function graceFor(t: PlanTrigger, plan: Plan, mapping: TargetMapping, scrape: number): { seconds: number; derivation: string } {
  const sync = mapping.syncPeriodSeconds / plan.timeScale;
  const win = evalWindowSeconds(plan, scrape);
  const seconds = sync + 2 * scrape + 0.25 * win + 0.1 * t.forWallSeconds + 1;
  const derivation = `sync ${sync.toFixed(2)} s + 2 scrapes ${(2 * scrape).toFixed(2)} s + window skew ${(0.25 * win).toFixed(2)} s + 10% of for ${(0.1 * t.forWallSeconds).toFixed(2)} s + 1 s`;
  return { seconds, derivation };
}

export function conditionText(t: PlanTrigger): string {
  const unit = t.signal === 'latency' ? 'ms' : t.signal === 'queue' ? 'messages' : '%';
  const what = t.signal === 'latency' ? `p${t.percentile} latency of ${t.route ?? t.service}` : t.signal === 'queue' ? `queue ${t.queue}` : `${t.signal} of ${t.service}`;
  return `${what} ${t.op} ${t.threshold} ${unit} for ${t.forSeconds} s (${t.forWallSeconds.toFixed(1)} s wall)`;
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

function statusOf(outcome: TriggerResult['outcome'], expect: PlanTrigger['expect']): Status {
  const fired = outcome !== 'not-fired' && outcome !== 'expected-but-not-fired' && outcome !== 'scaled-without-trigger';
  if (expect === 'quiet' && fired) return 'fail';
  if (['fired-not-scaled', 'scaled-late', 'wrong-step', 'flapping', 'scaled-without-trigger', 'expected-but-not-fired'].includes(outcome)) return 'fail';
  return 'pass';
}

async function range(source: MetricSource, expr: string, w: RunWindow, end: number, step: number): Promise<Points> {
  const r = await source.queryRange(expr, w.start, end, step);
  return r[0]?.values ?? [];
}

export async function judgeTriggers(source: MetricSource, plan: Plan, w: RunWindow, opts: TriggerJudgeOptions = {}): Promise<TriggerResult[]> {
  const mapping = opts.mapping ?? TARGET_MAPPINGS.embedded!;
  const scrape = opts.scrapeIntervalSeconds ?? 1;
  const ns = opts.namespace ?? 'default';
  const step = signalStep(Math.max(0.25, Math.min(scrape, 1)), w.end - w.start);
  const win = evalWindowSeconds(plan, scrape);
  const flapWindow = 300 / plan.timeScale;
  const fires = new Map<string, number[]>();
  const heldBy = new Map<string, Array<[number, number]>>();
  const replicas = new Map<string, Points>();
  const maxGrace = Math.max(...plan.triggers.map((t) => graceFor(t, plan, mapping, scrape).seconds), 0);
  const end = w.end;
  for (const t of plan.triggers) {
    const points = await range(source, signalExpr(t, mapping, win, ns), w, end, step);
    const held = heldIntervals(points, t.op, t.threshold);
    heldBy.set(t.id, held);
    fires.set(t.id, fireTimes(held, t.forWallSeconds, 0));
    const dep = scaledDeployment(t);
    if (!replicas.has(dep)) replicas.set(dep, await range(source, replicasExpr(dep, mapping, ns), w, end, step));
  }
  const results: TriggerResult[] = [];
  for (const t of plan.triggers) {
    const dep = scaledDeployment(t);
    const reps = replicas.get(dep) ?? [];
    const grace = graceFor(t, plan, mapping, scrape);
    const earlySlack = grace.seconds;
    const points = fires.get(t.id) ?? [];
    const promised = t.action.type === 'add-instances' || t.action.type === 'add-workers' ? t.action.count : null;
    const c = classify({ action: t.action.type, fires: points, replicas: reps, step: promised, maxReplicas: t.maxReplicas, graceSeconds: grace.seconds, earlySlackSeconds: earlySlack, flapWindowSeconds: flapWindow });
    let outcome = c.outcome;
    let detail = c.detail;
    if (reps.length === 0 && t.action.type !== 'alert') {
      results.push(base(t, plan, grace, c, 'not-fired', 'inconclusive', `no replica data for ${dep}`, []));
      continue;
    }
    if (outcome === 'not-fired') {
      const spans = plan.triggers
        .filter((o) => scaledDeployment(o) === dep && o.action.type !== 'alert')
        .flatMap((o) => activeSpans(heldBy.get(o.id) ?? [], o.forWallSeconds, earlySlack, maxGrace, win));
      const stray = t.action.type === 'alert' ? [] : unexplainedScaleUps(reps, spans);
      if (stray.length > 0) {
        outcome = 'scaled-without-trigger';
        detail = `${dep} scaled ${stray.map((s) => `${s.from}->${s.to}`).join(', ')} while no trigger of it had fired`;
      } else if (t.expect === 'fire') {
        outcome = 'expected-but-not-fired';
        detail = 'the profile expects this trigger to fire; its condition never held for its window';
      }
    }
    if (t.expect === 'quiet' && c.firedAt !== null) detail = `expected to stay quiet, but ${detail}`;
    results.push(base(t, plan, grace, { ...c, outcome, detail }, outcome, statusOf(outcome, t.expect), detail, heldBy.get(t.id) ?? []));
  }
  return results;
}

function base(
  t: PlanTrigger,
  _plan: Plan,
  grace: { seconds: number; derivation: string },
  c: ReturnType<typeof classify>,
  outcome: TriggerResult['outcome'],
  status: Status,
  detail: string,
  held: Array<[number, number]>,
): TriggerResult {
  return {
    id: t.id,
    service: t.service,
    condition: conditionText(t),
    action: actionText(t),
    expect: t.expect,
    outcome,
    status,
    heldIntervals: held,
    firedAt: c.firedAt,
    scaledAt: c.scaledAt,
    lagSeconds: c.lagSeconds,
    graceSeconds: Math.round(grace.seconds * 100) / 100,
    graceDerivation: grace.derivation,
    replicasBefore: c.replicasBefore,
    replicasAfter: c.replicasAfter,
    expectedStep: t.action.type === 'add-instances' || t.action.type === 'add-workers' ? t.action.count : null,
    detail,
  };
}
