/**
 * A run's verdict as Prometheus series (named in series.ts), remote-written at the end of the
 * run so that Grafana can chart verdicts across runs next to the load that produced them.
 */
import type { Verdict } from '../controller/types.ts';
import type { Plan } from '../plan/types.ts';
import { plannedRate } from '../plan/rate.ts';
import { remoteWrite, sortedLabels, type ResultSeries } from '../metrics/remote-write.ts';
import { RESULT_SERIES as R } from './series.ts';

export { RemoteWriteError, remoteWrite, type ResultSeries } from '../metrics/remote-write.ts';

/** Most samples a target-rate curve gets per scenario (plus one per stage boundary). */
const TARGET_POINTS = 300;

function series(name: string, labels: Record<string, string>, value: number, timestampMs: number): ResultSeries {
  return { labels: sortedLabels(name, labels), samples: [{ value, timestamp: timestampMs }] };
}

function targetRateSeries(plan: Plan, verdict: Verdict): ResultSeries[] {
  const length = Math.max(0, verdict.endedAt - verdict.startedAt);
  const step = Math.max(1, Math.ceil(length / TARGET_POINTS));
  return plan.scenarios.map((s) => {
    const times = new Set<number>();
    for (let t = 0; t <= length; t += step) times.add(t);
    let boundary = 0;
    for (const stage of s.stages) {
      boundary += stage.durationSeconds;
      if (boundary <= length) times.add(boundary);
    }
    // The executor stops at the last boundary: one ms later the plan is 0, drawn as a step down.
    if (boundary + 0.001 <= length) times.add(boundary + 0.001);
    times.add(length);
    const samples = [...times]
      .sort((a, b) => a - b)
      .map((t) => ({ value: plannedRate(s, t), timestamp: Math.round((verdict.startedAt + t) * 1000) }));
    const labels = { testid: verdict.runId, profile: verdict.profile, scenario: s.name, journey: s.journey, cohort: s.cohort, service: s.service };
    return { labels: sortedLabels(R.targetRate.name, labels), samples };
  });
}

/** Every result series of a run. All are stamped at `verdict.endedAt` except the target-rate curves. */
export function resultSeries(plan: Plan, verdict: Verdict): ResultSeries[] {
  const at = Math.round(verdict.endedAt * 1000);
  const run = { run_id: verdict.runId, profile: verdict.profile, target: verdict.target };
  const out: ResultSeries[] = [
    series(R.runStatus.name, { ...run, stack: verdict.stack, status: verdict.status }, 1, at),
    series(R.runDuration.name, run, verdict.endedAt - verdict.startedAt, at),
  ];
  for (const slo of verdict.slos) {
    const l = { ...run, slo: slo.id };
    out.push(series(R.sloPass.name, { ...l, objective: slo.objective, status: slo.status }, slo.status === 'pass' ? 1 : 0, at));
    out.push(series(R.sloThreshold.name, { ...l, unit: slo.unit }, slo.threshold, at));
    if (slo.observed !== null) out.push(series(R.sloObserved.name, { ...l, unit: slo.unit }, slo.observed, at));
    if (slo.worstWindow !== null) out.push(series(R.sloWorstWindow.name, { ...l, unit: slo.unit }, slo.worstWindow.value, at));
  }
  for (const t of verdict.triggers) {
    const l = { ...run, trigger: t.id };
    out.push(series(R.triggerOutcome.name, { ...l, service: t.service, outcome: t.outcome, status: t.status }, 1, at));
    out.push(series(R.triggerGrace.name, l, t.graceSeconds, at));
    if (t.lagSeconds !== null) out.push(series(R.triggerLag.name, l, t.lagSeconds, at));
  }
  out.push(...targetRateSeries(plan, verdict));
  return out;
}

export interface PushOptions {
  /** @default 15000 ms */
  timeoutMs?: number;
  /**
   * Samples older than this many seconds before `now` are left out: Prometheus rejects samples
   * older than about an hour behind its newest data, and one rejected sample fails the batch.
   * @default 3300 s
   */
  maxAgeSeconds?: number;
  /** Epoch ms. @default Date.now() */
  now?: number;
}

export interface PushSummary {
  series: number;
  samples: number;
  /** Samples left out for being older than `maxAgeSeconds`. */
  dropped: number;
}

/** Remote-writes `resultSeries(plan, verdict)`; throws RemoteWriteError on a non-2xx answer. */
export async function pushResults(remoteWriteUrl: string, plan: Plan, verdict: Verdict, opts: PushOptions = {}): Promise<PushSummary> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const oldest = (opts.now ?? Date.now()) - (opts.maxAgeSeconds ?? 3300) * 1000;
  let dropped = 0;
  const all = resultSeries(plan, verdict)
    .map((s) => {
      const samples = s.samples.filter((x) => x.timestamp >= oldest);
      dropped += s.samples.length - samples.length;
      return { ...s, samples };
    })
    .filter((s) => s.samples.length > 0);
  await remoteWrite(remoteWriteUrl, all, timeoutMs);
  return { series: all.length, samples: all.reduce((n, s) => n + s.samples.length, 0), dropped };
}
