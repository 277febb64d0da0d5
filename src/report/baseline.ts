/**
 * Baselines: the numbers of a known-good run, committed as reports/baselines/<profile>.json, and
 * the comparison that flags a regression beyond tolerance. A baseline only compares with a run
 * of the same profile, scale and time scale; anything else is `inconclusive`, never `pass`.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readJson, writeFileAtomic } from './run-folder.ts';
import { z } from 'zod';
import { inputError, parseInput } from '../errors.ts';
import type { Status, Verdict } from '../controller/types.ts';
import { combine } from '../controller/types.ts';

const LatencySchema = z.strictObject({ p95Ms: z.number().nullable(), p99Ms: z.number().nullable() });

export const BaselineSchema = z.strictObject({
  profile: z.string(),
  runId: z.string(),
  /** ISO date the baseline run started. */
  createdAt: z.string(),
  scale: z.number().positive(),
  timeScale: z.number().positive(),
  journeys: z.record(z.string(), LatencySchema),
  services: z.record(z.string(), LatencySchema),
  /** Failed/total requests over the run, 0..1. */
  errorRate: z.number().nullable(),
  /** Per trigger, scaledAt - firedAt, wall-clock seconds (null when it did not scale). */
  triggerLagSeconds: z.record(z.string(), z.number().nullable()),
  /** Completed/target iterations over all journeys, 0..1. */
  achievedRatio: z.number().nullable(),
});
export type Baseline = z.infer<typeof BaselineSchema>;

/** How much worse than the baseline a run may be. */
export interface BaselineTolerance {
  /** Allowed relative rise of a p95 latency, ratio (0.25 = +25 %). @default 0.25 */
  p95Ratio: number;
  /** Allowed relative rise of a p99 latency, ratio; tails are noisier than p95. @default 0.5 */
  p99Ratio: number;
  /** Latency rises below this are never a regression (timer noise on fast routes), ms. @default 5 */
  latencyMinMs: number;
  /** Allowed absolute rise of the error rate, ratio (0.005 = +0.5 percentage points). @default 0.005 */
  errorRateAbs: number;
  /** Allowed relative rise of a trigger's scale-up lag, ratio. @default 0.5 */
  lagRatio: number;
  /** ...but always allow at least this much extra lag (one autoscaler sync), s. @default 2 */
  lagMinSeconds: number;
  /** Allowed absolute drop of the achieved/target iteration ratio, ratio. @default 0.05 */
  achievedRatioDrop: number;
}

export const DEFAULT_TOLERANCE: Readonly<BaselineTolerance> = Object.freeze({
  p95Ratio: 0.25,
  p99Ratio: 0.5,
  latencyMinMs: 5,
  errorRateAbs: 0.005,
  lagRatio: 0.5,
  lagMinSeconds: 2,
  achievedRatioDrop: 0.05,
});

export interface BaselineRow {
  /** e.g. `journey.login.p95_ms`, `error_rate`, `trigger.auth-cpu.lag_s`, `achieved_ratio`. */
  metric: string;
  baseline: number;
  current: number | null;
  /** (current - baseline) / baseline; null when either is missing or baseline is 0. */
  deltaRatio: number | null;
  /** The worst acceptable current value (an upper bound, a lower bound for achieved_ratio). */
  allowed: number;
  status: Status;
}

export interface BaselineComparison {
  status: Status;
  /** Why the comparison is inconclusive or failed, one line. */
  reason: string | null;
  baseline: Pick<Baseline, 'profile' | 'runId' | 'createdAt' | 'scale' | 'timeScale'>;
  rows: BaselineRow[];
}

/** Extracts the baseline numbers from a verdict. */
export function baselineFromVerdict(v: Verdict): Baseline {
  const latency = (kind: 'journey' | 'service') =>
    Object.fromEntries(v.traffic.filter((r) => r.kind === kind).map((r) => [r.name, { p95Ms: r.p95Ms, p99Ms: r.p99Ms }]));
  const journeys = v.traffic.filter((r) => r.kind === 'journey');
  const withErrors = journeys.filter((r) => r.errorRate !== null && r.requests > 0);
  const requests = withErrors.reduce((n, r) => n + r.requests, 0);
  const withTarget = journeys.filter((r) => r.iterations !== undefined && (r.targetIterations ?? 0) > 0);
  const target = withTarget.reduce((n, r) => n + (r.targetIterations ?? 0), 0);
  return {
    profile: v.profile,
    runId: v.runId,
    createdAt: new Date(v.startedAt * 1000).toISOString(),
    scale: v.scale,
    timeScale: v.timeScale,
    journeys: latency('journey'),
    services: latency('service'),
    errorRate: requests > 0 ? withErrors.reduce((n, r) => n + (r.errorRate ?? 0) * r.requests, 0) / requests : null,
    triggerLagSeconds: Object.fromEntries(v.triggers.map((t) => [t.id, t.lagSeconds])),
    achievedRatio: target > 0 ? withTarget.reduce((n, r) => n + (r.iterations ?? 0), 0) / target : null,
  };
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function row(metric: string, baseline: number | null, current: number | null, allowed: (b: number) => number, lowerIsBetter = true): BaselineRow | null {
  if (baseline === null) return null; // nothing to regress from
  const bound = allowed(baseline);
  const status: Status = current === null ? 'inconclusive' : (lowerIsBetter ? current <= bound : current >= bound) ? 'pass' : 'fail';
  const deltaRatio = current === null || baseline === 0 ? null : (current - baseline) / baseline;
  return { metric, baseline, current, deltaRatio, allowed: bound, status };
}

/**
 * Compares a run with its baseline. Each metric the baseline has is a row; a metric the run
 * lacks is `inconclusive`, except a trigger's lag when that trigger did not fire in this run. A different profile, scale or time scale is not comparable.
 */
export function compareToBaseline(verdict: Verdict, baseline: Baseline, tolerance: Partial<BaselineTolerance> = {}): BaselineComparison {
  const tol: BaselineTolerance = { ...DEFAULT_TOLERANCE, ...tolerance };
  const meta = { profile: baseline.profile, runId: baseline.runId, createdAt: baseline.createdAt, scale: baseline.scale, timeScale: baseline.timeScale };
  const mismatch =
    baseline.profile !== verdict.profile
      ? `profile ${verdict.profile} vs baseline's ${baseline.profile}`
      : !same(baseline.scale, verdict.scale)
        ? `scale ${verdict.scale} vs baseline's ${baseline.scale}`
        : !same(baseline.timeScale, verdict.timeScale)
          ? `time scale ${verdict.timeScale} vs baseline's ${baseline.timeScale}`
          : null;
  if (mismatch) {
    return { status: 'inconclusive', reason: `baseline ${baseline.runId} is not comparable: ${mismatch}`, baseline: meta, rows: [] };
  }
  const current = baselineFromVerdict(verdict);
  const p95 = (b: number) => b + Math.max(b * tol.p95Ratio, tol.latencyMinMs);
  const p99 = (b: number) => b + Math.max(b * tol.p99Ratio, tol.latencyMinMs);
  const rows: Array<BaselineRow | null> = [];
  for (const kind of ['journeys', 'services'] as const) {
    for (const [name, base] of Object.entries(baseline[kind])) {
      const now = current[kind][name];
      const prefix = `${kind.slice(0, -1)}.${name}`;
      rows.push(row(`${prefix}.p95_ms`, base.p95Ms, now?.p95Ms ?? null, p95));
      rows.push(row(`${prefix}.p99_ms`, base.p99Ms, now?.p99Ms ?? null, p99));
    }
  }
  rows.push(row('error_rate', baseline.errorRate, current.errorRate, (b) => b + tol.errorRateAbs));
  for (const [id, lag] of Object.entries(baseline.triggerLagSeconds)) {
    // A trigger that did not fire in this run has no lag to compare; its own row already judges
    // whether it had to fire (expect: fire) or was merely not exercised.
    if (current.triggerLagSeconds[id] == null) continue;
    rows.push(row(`trigger.${id}.lag_s`, lag, current.triggerLagSeconds[id] ?? null, (b) => b + Math.max(b * tol.lagRatio, tol.lagMinSeconds)));
  }
  rows.push(row('achieved_ratio', baseline.achievedRatio, current.achievedRatio, (b) => b - tol.achievedRatioDrop, false));
  const kept = rows.filter((r): r is BaselineRow => r !== null);
  const status = combine(kept.map((r) => r.status));
  const bad = kept.filter((r) => r.status !== 'pass').map((r) => r.metric);
  const reason = status === 'pass' ? null : `${status === 'fail' ? 'regressed' : 'no current value'} vs baseline ${baseline.runId}: ${bad.join(', ')}`;
  return { status, reason, baseline: meta, rows: kept };
}

function baselineFile(profile: string, dir: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(profile)) {
    throw inputError(dir, 'profile', profile, 'a baseline profile name must be lower-case letters, digits and dashes');
  }
  return join(dir, `${profile}.json`);
}

/** Writes `<dir>/<profile>.json` from a verdict and returns its path. */
export async function writeBaseline(verdict: Verdict, dir: string): Promise<string> {
  const file = baselineFile(verdict.profile, dir);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(baselineFromVerdict(verdict), null, 2)}\n`);
  return file;
}

/** Reads a profile's baseline: null when there is none; an InputError naming the file when it is malformed. */
export async function readBaseline(profile: string, dir: string): Promise<Baseline | null> {
  const file = baselineFile(profile, dir);
  const json = await readJson<unknown>(dir, basename(file));
  if (json === null) return null;
  return parseInput(BaselineSchema, json, file);
}
