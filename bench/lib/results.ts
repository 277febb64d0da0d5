/**
 * The shape of bench/results/latest.json (documented in bench/README.md) and the analysis that
 * turns the measurements into "where the time goes".
 */
import { ROLES, round, type CpuWindow, type Role } from './cpu.ts';
import type { HarnessStep } from './harness-step.ts';
import type { RawK6Run } from './raw-k6.ts';
import type { WrkResult } from './wrk.ts';

export const SCHEMA = 'scale-harness-bench/1';

/** Harness vs raw k6 at one rate. */
export interface Comparison {
  targetRps: number;
  /** Whole run, from k6's summary (hold-rate equivalent, see LoadFigures). */
  harnessAchievedRps: number | null;
  rawAchievedRps: number | null;
  /** harness / raw, whole run. */
  achievedRatio: number | null;
  /** Steady window of the hold: req/s and harness / raw. */
  steady: { harnessRps: number | null; rawRps: number | null; ratio: number | null };
  harnessDroppedPct: number | null;
  rawDroppedPct: number | null;
  /** CPU µs per request of the whole process tree in the steady window, and harness / raw. */
  usPerRequest: { harness: number | null; raw: number | null; ratio: number | null };
  /** k6's own CPU µs per request in the steady window: with remote write (harness), without (raw). */
  k6UsPerRequest: { harness: number | null; raw: number | null };
}

/** CPU cost per request of each role in a step's steady window, and what the goal would need. */
export interface CostAt {
  targetRps: number;
  achievedRps: number | null;
  /** Share of the process tree's CPU, %. */
  sharePct: Record<Role, number>;
  /** Cores in use (CPU s / wall s); `othersOnMachine` is everyone else on the machine. */
  cores: Record<Role, number> & { total: number; othersOnMachine: number };
  /** CPU µs per completed request. */
  usPerRequest: Record<Role, number> & { total: number };
  /** Cores the whole tree would need for the goal at the same cost per request. */
  coresForGoal: number;
  /** Stack cores the goal would need: above 1 the single Node event loop cannot carry it. */
  stackCoresForGoal: number;
  /** k6 start-up before the first iteration (VU initialisation): wall s and k6 CPU s. */
  k6Init: { seconds: number; k6CpuSeconds: number } | null;
}

function perRequestUs(cpuSeconds: number, rps: number | null, wallSeconds: number): number | null {
  return rps && rps > 0 ? round((cpuSeconds / (rps * wallSeconds)) * 1e6) : null;
}

const ratio = (a: number | null | undefined, b: number | null | undefined, digits = 3) => (a !== null && a !== undefined && b ? round(a / b, digits) : null);

export function compare(step: HarnessStep, raw: RawK6Run): Comparison {
  const hs = step.steady;
  const rs = raw.steady;
  const hUs = hs ? perRequestUs(hs.cpu.totalSeconds, hs.achievedRps, hs.cpu.wallSeconds) : null;
  const rUs = rs ? perRequestUs(rs.cpu.totalSeconds, rs.achievedRps, rs.cpu.wallSeconds) : null;
  return {
    targetRps: step.targetRps,
    harnessAchievedRps: step.k6?.achievedRps ?? null,
    rawAchievedRps: raw.k6?.achievedRps ?? null,
    achievedRatio: ratio(step.k6?.achievedRps, raw.k6?.achievedRps),
    steady: { harnessRps: hs?.achievedRps ?? null, rawRps: rs?.achievedRps ?? null, ratio: ratio(hs?.achievedRps, rs?.achievedRps) },
    harnessDroppedPct: step.k6?.droppedPct ?? null,
    rawDroppedPct: raw.k6?.droppedPct ?? null,
    usPerRequest: { harness: hUs, raw: rUs, ratio: ratio(hUs, rUs, 2) },
    k6UsPerRequest: {
      harness: hs ? perRequestUs(hs.cpu.cpuSeconds.k6, hs.achievedRps, hs.cpu.wallSeconds) : null,
      raw: rs ? perRequestUs(rs.cpu.cpuSeconds.k6, rs.achievedRps, rs.cpu.wallSeconds) : null,
    },
  };
}

export function costAt(step: HarnessStep, goalRps: number): CostAt {
  const w: CpuWindow = step.steady?.cpu ?? step.cpuLoad;
  const rps = step.steady?.achievedRps ?? step.k6?.achievedRps ?? null;
  const map = <T>(f: (r: Role) => T) => Object.fromEntries(ROLES.map((r) => [r, f(r)])) as Record<Role, T>;
  const total = w.totalSeconds;
  const us = (cpu: number) => perRequestUs(cpu, rps, w.wallSeconds) ?? 0;
  return {
    targetRps: step.targetRps,
    achievedRps: rps,
    sharePct: map((r) => round(total > 0 ? (100 * w.cpuSeconds[r]) / total : 0, 1)),
    cores: { ...map((r) => round(w.cpuSeconds[r] / w.wallSeconds, 2)), total: round(total / w.wallSeconds, 2), othersOnMachine: w.othersBusyCores },
    usPerRequest: { ...map((r) => us(w.cpuSeconds[r])), total: us(total) },
    coresForGoal: round((goalRps * us(total)) / 1e6, 1),
    stackCoresForGoal: round((goalRps * us(w.cpuSeconds.stack)) / 1e6, 2),
    k6Init: step.steady?.k6Init ?? null,
  };
}

export interface BenchResults {
  schema: typeof SCHEMA;
  createdAt: string;
  /** Wall time of the whole bench, s. */
  durationSeconds: number;
  complete: boolean;
  machine: { cpus: number; cpuModel: string; node: string; tools: Record<string, string>; loadAverage: { start: number[]; end: number[] } };
  config: {
    rates: number[];
    rampSeconds: number;
    holdSeconds: number;
    slo: { p99Ms: number; droppedPct: number; errorPct: number };
    budgetSeconds: number;
    profile: string;
    scenario: string;
  };
  goal: { targetRps: number; reached: boolean; fractionReached: number | null };
  search: { highestSustainedRps: number | null; firstFailedRps: number | null; stoppedBecause: string; steps: HarnessStep[] };
  wrk: WrkResult[];
  rawK6: { runs: RawK6Run[]; comparisons: Comparison[] };
  analysis: { costs: CostAt[]; notes: string[] };
}

/** What the slowest second of a steady window says: a stall, and on which side. */
export function stallDiagnosis(label: string, w: HarnessStep['steady']): string | null {
  if (!w || w.worstSecondRps === null || w.achievedRps === null) return null;
  const hb = w.stackHeartbeat;
  const p = w.peakCores;
  const head = `${label}: the slowest second completed ${w.worstSecondRps} req/s (mean ${w.achievedRps})`;
  const busiest = `each one's busiest second: stack ${p.stack}, k6 ${p.k6}, Prometheus ${p.prometheus}, harness ${p.harness}, others ${p.others} cores`;
  const beat = hb && hb.maxMs !== null ? `the stack's /health heartbeat took up to ${hb.maxMs} ms (p50 ${hb.p50Ms}, ${hb.over250Ms} of ${hb.count} over 250 ms)` : 'no heartbeat';
  if (w.worstSecondRps >= 0.6 * w.achievedRps) return `${head}: no stall; ${beat}; ${busiest}`;
  const side = hb && hb.maxMs !== null && hb.maxMs > 250 ? "the stack's event loop stalled too" : 'the stack stayed responsive, so the stall was on the client side (k6 or the CPU it runs on)';
  return `${head}: completions stalled; ${beat}: ${side}; ${busiest}`;
}

const FLAT_LOAD_SECONDS = (r: Omit<BenchResults, 'analysis'>) => r.config.rampSeconds + r.config.holdSeconds;

const pct = (n: number | null | undefined) => (n === null || n === undefined ? 'n/a' : `${n} %`);

/** One-line conclusions, written into the JSON and the Markdown summary. */
export function notes(r: Omit<BenchResults, 'analysis'>, costs: CostAt[]): string[] {
  const out: string[] = [];
  const s = r.search;
  out.push(
    s.highestSustainedRps === null
      ? `no step was sustained (the first, ${r.config.rates[0]} req/s, failed)`
      : `highest sustained open-model rate through the harness: ${s.highestSustainedRps} req/s (${round((100 * s.highestSustainedRps) / r.goal.targetRps, 1)} % of the ${r.goal.targetRps} req/s goal); ${s.stoppedBecause}`,
  );
  const failed = s.steps.find((x) => x.targetRps === s.firstFailedRps);
  if (failed) out.push(`first failed step ${failed.targetRps} req/s (${failed.verdict}): ${failed.reasons.slice(0, 2).join('; ') || 'no reason given'}`);
  for (const st of [s.steps.find((x) => x.targetRps === s.highestSustainedRps), failed]) {
    const d = st ? stallDiagnosis(`harness at ${st.targetRps} req/s`, st.steady) : null;
    if (d) out.push(d);
  }
  const best = s.steps.find((x) => x.targetRps === s.highestSustainedRps);
  if (best) {
    const load = FLAT_LOAD_SECONDS(r);
    out.push(
      `wall time of one harness step (${best.targetRps} req/s, ${load} s of load): ${best.wall.totalSeconds} s = setup ${best.wall.setupSeconds} s (stack, Prometheus) + k6 ${best.wall.loadSeconds} s ` +
        `(start-up ${best.steady?.k6Init.seconds ?? 'n/a'} s, load, graceful stop) + judging and shutdown ${best.wall.judgeSeconds} s; ` +
        `CPU over the whole step ${best.cpuStep.totalSeconds} s, of which ${best.cpuLoad.totalSeconds} s while k6 ran`,
    );
  }
  for (const raw of r.rawK6.runs) {
    const d = stallDiagnosis(`raw k6 at ${raw.targetRps} req/s`, raw.steady);
    if (d) out.push(d);
  }
  for (const c of costs) {
    out.push(
      `steady hold at ${c.targetRps} req/s (achieved ${c.achievedRps ?? 'n/a'}): the tree used ${c.cores.total} of ${r.machine.cpus} cores, others on the machine ${c.cores.othersOnMachine}; ` +
        `k6 ${c.sharePct.k6} %, stack ${c.sharePct.stack} %, Prometheus ${c.sharePct.prometheus} %, harness process ${c.sharePct.harness} %; ` +
        `${c.usPerRequest.total} µs CPU per request (k6 ${c.usPerRequest.k6}, stack ${c.usPerRequest.stack}, Prometheus ${c.usPerRequest.prometheus}, harness ${c.usPerRequest.harness}) ` +
        `-> ${r.goal.targetRps} req/s would need ~${c.coresForGoal} cores, the stack alone ${c.stackCoresForGoal} cores of one Node event loop (max 1)` +
        (c.k6Init ? `; k6 start-up took ${c.k6Init.seconds} s and ${c.k6Init.k6CpuSeconds} CPU s before the first iteration` : ''),
    );
  }
  for (const c of r.rawK6.comparisons) {
    out.push(
      `harness vs raw k6 at ${c.targetRps} req/s: achieved ${c.harnessAchievedRps ?? 'n/a'} vs ${c.rawAchievedRps ?? 'n/a'} req/s (ratio ${c.achievedRatio ?? 'n/a'}; steady hold ${c.steady.harnessRps ?? 'n/a'} vs ${c.steady.rawRps ?? 'n/a'}, ratio ${c.steady.ratio ?? 'n/a'}), ` +
        `dropped ${pct(c.harnessDroppedPct)} vs ${pct(c.rawDroppedPct)}; CPU per request ${c.usPerRequest.harness ?? 'n/a'} vs ${c.usPerRequest.raw ?? 'n/a'} µs (ratio ${c.usPerRequest.ratio ?? 'n/a'}); ` +
        `k6 alone ${c.k6UsPerRequest.harness ?? 'n/a'} µs with remote write vs ${c.k6UsPerRequest.raw ?? 'n/a'} without`,
    );
  }
  for (const w of r.wrk) {
    const stackCores = round(w.cpu.cpuSeconds.stack / w.cpu.wallSeconds, 2);
    const bound = w.closedLoopBoundRps !== null && w.rps >= 0.85 * w.closedLoopBoundRps && stackCores < 0.9;
    out.push(
      `wrk ${w.path} (${w.threads} threads, ${w.connections} connections, ${w.seconds} s): ${w.rps} req/s, mean ${w.latencyMs.mean ?? 'n/a'} ms, p99 ${w.latencyMs.p99 ?? 'n/a'} ms; ` +
        `stack ${stackCores} cores (${w.rps > 0 ? round((w.cpu.cpuSeconds.stack / (w.rps * w.cpu.wallSeconds)) * 1e6) : 'n/a'} µs per request), wrk ${round(w.cpu.cpuSeconds.wrk / w.cpu.wallSeconds, 2)} cores` +
        (bound
          ? `; set by the model, not the CPU: ${w.connections} connections / ${w.modeledMeanMs} ms modeled mean = ${w.closedLoopBoundRps} req/s at most`
          : w.modeledMeanMs === null
            ? '; no modeled service time: the ceiling of the gateway\'s HTTP handling'
            : ''),
    );
  }
  return out;
}
