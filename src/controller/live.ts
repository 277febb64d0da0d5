/**
 * The live view during a run: per deployment, replicas; per trigger, its signal against its
 * threshold and its state, armed / pending (with the time held) / fired; the gateway rate
 * against the plan, p95 and errors; the SLOs so far. All rows come from one PromQL query per
 * tick. In a terminal one screen redraws in place (k6's progress folded into it); in a CI log a
 * status line is printed every `statusEverySeconds` and at each stage change.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import type { Slo } from '../plan/schema.ts';
import { TARGET_MAPPINGS, type TargetMapping } from '../../profiles/targets.ts';
import { errorRatioRate, k6Selector, latencyOver, windowIncrease } from './queries.ts';
import { targetIterations, targetRateAt } from './slo-math.ts';
import { evalWindowSeconds, replicasExpr, scaledDeployment, signalExpr } from './triggers.ts';
import { queryBatch } from './live-query.ts';
import { LiveConsole, RECENT } from './live-console.ts';
import { changedTriggers, nextState, renderScreen, statusLine, type LiveSnapshot, type SloRow, type TriggerRow, type TriggerState } from './live-render.ts';

export { nextState, type TriggerState } from './live-render.ts';

export interface LiveOptions {
  /** Epoch s the load started. */
  start: number;
  /** Takes the CI log's lines (status lines and the lines that are not folded). */
  log: (line: string) => void;
  isTTY: boolean;
  /** Seconds between queries. @default 1 */
  pollSeconds?: number;
  /** Seconds between CI status lines (wall clock); a stage change prints one sooner. @default 10 */
  statusEverySeconds?: number;
  scrapeIntervalSeconds?: number;
  mapping?: TargetMapping;
  namespace?: string;
  /** Raw output (stderr). @default process.stderr.write */
  write?: (text: string) => void;
  /** Terminal width, columns. @default process.stderr.columns */
  columns?: () => number;
  /** File that receives every line, folded or not (the run folder's live.log). */
  file?: string;
  /** Aborting (Ctrl-C) stops redrawing in place, so the shutdown lines read in order. */
  signal?: AbortSignal;
}

export interface LiveView {
  /**
   * Every line k6, the stack and the harness print from the load on goes here; after `stop` it
   * still folds a CI log's autoscaler lines into live.log and prints the rest as they come.
   */
  line(l: string): void;
  /** Whether k6 should run with `--quiet` (its progress is not wanted: CI log). */
  quietK6: boolean;
  stop(): void;
}

/** Stage (1-based) of the plan's first scenario at `elapsed` s, and the number of stages. */
export function stageAt(plan: Plan, elapsed: number): { stage: number; stages: number } {
  const stages = plan.scenarios[0]?.stages ?? [];
  let end = 0;
  for (let i = 0; i < stages.length; i++) {
    end += stages[i]!.durationSeconds;
    if (elapsed < end) return { stage: i + 1, stages: stages.length };
  }
  return { stage: stages.length, stages: stages.length };
}

const UNIT: Record<string, string> = { latency: 'ms', queue: 'msg' };
const WINDOWED: Array<Slo['objective']> = ['latency', 'error-rate', 'achieved-rate', 'dropped-iterations'];

function sloRow(slo: Slo): SloRow | null {
  switch (slo.objective) {
    case 'latency':
      // A window has its own bound when the SLO gives one (windowMaxMs, windowMax).
      return { id: slo.id, bound: `window p${slo.percentile} <= ${slo.windowMaxMs ?? slo.maxMs} ms`, unit: 'ms', threshold: slo.windowMaxMs ?? slo.maxMs, kind: 'max', now: null, worst: null };
    case 'error-rate':
      return { id: slo.id, bound: `window errors <= ${((slo.windowMax ?? slo.max) * 100).toFixed(2)} %`, unit: 'ratio', threshold: slo.windowMax ?? slo.max, kind: 'max', now: null, worst: null };
    case 'achieved-rate':
      return { id: slo.id, bound: `achieved >= ${(slo.min * 100).toFixed(1)} %`, unit: 'ratio', threshold: slo.min, kind: 'min', now: null, worst: null };
    case 'dropped-iterations':
      return { id: slo.id, bound: `dropped <= ${(slo.max * 100).toFixed(2)} %`, unit: 'ratio', threshold: slo.max, kind: 'max', now: null, worst: null };
    default:
      return null;
  }
}

export function startLiveView(source: MetricSource, plan: Plan, opts: LiveOptions): LiveView {
  const mapping = opts.mapping ?? TARGET_MAPPINGS.embedded!;
  const ns = opts.namespace ?? 'default';
  const poll = opts.pollSeconds ?? 1;
  const every = opts.statusEverySeconds ?? 10;
  const win = evalWindowSeconds(plan, opts.scrapeIntervalSeconds ?? 1);
  const sloWin = plan.sloWindowSeconds;
  const out = new LiveConsole({
    tty: opts.isTTY,
    write: opts.write ?? ((t) => void process.stderr.write(t)),
    log: opts.log,
    columns: opts.columns ?? (() => process.stderr.columns ?? 120),
    ...(opts.file ? { file: opts.file } : {}),
  });
  const onAbort = () => out.freeze();
  opts.signal?.addEventListener('abort', onAbort);
  const states = new Map<string, { state: TriggerState; since: number | null }>();
  for (const t of plan.triggers) states.set(t.id, { state: { state: 'armed' }, since: null });
  const slos = plan.slos.filter((s) => WINDOWED.includes(s.objective)).map((s) => ({ slo: s, row: sloRow(s)! }));
  const deployments = [...new Set(plan.triggers.map(scaledDeployment))];
  const sel = k6Selector(plan.runId);
  const rows: Record<string, string> = {
    rate: `sum(rate(k6_http_reqs_total${sel}[5s]))`,
    p95: `histogram_quantile(0.95, sum(rate(k6_http_req_duration_seconds${sel}[10s]))) * 1000`,
    err: errorRatioRate(plan.runId, {}, 10),
  };
  for (const t of plan.triggers) rows[`t:${t.id}`] = signalExpr(t, mapping, win, ns);
  for (const d of deployments) rows[`r:${d}`] = replicasExpr(d, mapping, ns);
  for (const { slo } of slos) {
    const s = k6Selector(plan.runId, slo.scope);
    if (slo.objective === 'latency') rows[`s:${slo.id}`] = latencyOver(slo.percentile, s, sloWin, '', 'rate');
    else if (slo.objective === 'error-rate') rows[`s:${slo.id}`] = errorRatioRate(plan.runId, slo.scope, sloWin);
    else {
      rows[`i:${slo.id}`] = windowIncrease('k6_iterations_total', s, sloWin);
      rows[`d:${slo.id}`] = windowIncrease('k6_dropped_iterations_total', s, sloWin);
    }
  }

  let lastLine = opts.start;
  let lastStage = 1;
  let atLastLine = new Map<string, TriggerState['state']>(plan.triggers.map((t) => [t.id, 'armed']));
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const v = await queryBatch(source, rows);
      const now = Date.now() / 1000;
      const elapsed = now - opts.start;
      const get = (k: string) => v.get(k) ?? null;
      const trows: TriggerRow[] = plan.triggers.map((t) => {
        const value = get(`t:${t.id}`);
        const holds = value !== null && (t.op === '>' ? value > t.threshold : value < t.threshold);
        const prev = states.get(t.id)!;
        const next = nextState(prev.state, holds, now, t.forWallSeconds, prev.since);
        states.set(t.id, next);
        return { id: t.id, value, op: t.op, threshold: t.threshold, unit: UNIT[t.signal] ?? '%', forWallSeconds: t.forWallSeconds, state: next.state };
      });
      // Windows that started before the load, or hold too few planned iterations, are not judged.
      const judged = elapsed >= sloWin + 2;
      for (const { slo, row } of slos) {
        let value = get(`s:${slo.id}`);
        if (slo.objective === 'achieved-rate' || slo.objective === 'dropped-iterations') {
          const done = get(`i:${slo.id}`);
          const dropped = get(`d:${slo.id}`) ?? 0;
          const target = targetIterations(plan, slo.scope, elapsed - sloWin, elapsed);
          value = done === null || target < 20 ? null : slo.objective === 'achieved-rate' ? Math.max(0, target - dropped) / target : done + dropped > 0 ? dropped / (done + dropped) : 0;
        }
        row.now = value;
        if (judged && value !== null) row.worst = row.worst === null ? value : row.kind === 'max' ? Math.max(row.worst, value) : Math.min(row.worst, value);
      }
      const { stage, stages } = stageAt(plan, elapsed);
      const snap: LiveSnapshot = {
        runId: plan.runId,
        profile: plan.profile,
        start: opts.start,
        totalSeconds: plan.durationSeconds,
        elapsedSeconds: elapsed,
        stage,
        stages,
        rate: get('rate'),
        targetRate: targetRateAt(plan, {}, Math.min(elapsed, plan.durationSeconds)),
        p95Ms: get('p95'),
        errorRatio: get('err'),
        deployments: deployments.map((d) => ({ name: d, replicas: get(`r:${d}`), triggers: trows.filter((t) => scaledDeployment(plan.triggers.find((p) => p.id === t.id)!) === d) })),
        slos: slos.map((s) => s.row),
        k6: out.progress(),
        events: { lines: out.events(), rows: RECENT },
      };
      if (opts.isTTY) return out.draw(renderScreen(snap, out.width()));
      const since = now - lastLine;
      if (since >= every - 0.01 || (stage !== lastStage && since >= every / 2)) {
        out.status(statusLine(snap, changedTriggers(atLastLine, trows), out.takeNotes()));
        lastLine = now;
        lastStage = stage;
        atLastLine = new Map(trows.map((t) => [t.id, t.state.state]));
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), poll * 1000);
  return {
    line: (l) => out.line(l),
    quietK6: !opts.isTTY,
    stop: () => {
      clearInterval(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      out.freeze();
    },
  };
}
