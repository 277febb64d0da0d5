/**
 * Joins the /proc samples with what Prometheus recorded in the same seconds (the stack's
 * event-loop lag, the stack's scrapes) and flags each interval `starved` by fixed rules, so that
 * blame.ts can tell a broken stack from a starved harness.
 */
import type { MetricSource } from '../metrics/client.ts';
import { CORES, SAMPLE_PERIOD_MS, type RawInterval } from './sampler.ts';
import type { HarnessHealth, HealthInterval } from './types.ts';

/** Share of the machine's cores at which k6 counts as saturated. */
export const K6_SATURATED = 0.9;
/** Share of the cores at which a k6 that drops iterations counts as exhausted. */
export const K6_BUSY = 0.5;
/** A stall this long (s, wall) of the harness's tick or the stack's event loop is starvation: at time scale 66 it is 16 s of plan time. */
export const STALL_SECONDS = 0.25;
/** Other processes' CPU (cores) and CPU pressure (share of time a task waited) that, together, starve the run. */
export const OTHER_CPU = 0.25;
export const PRESSURE = 0.25;

export interface EvidenceInput {
  raw: RawInterval[];
  source: MetricSource | null;
  stackJob?: string;
  /** The run's testid, for k6's own series. */
  runId?: string;
  scrapeIntervalSeconds: number;
  k6: HarnessHealth['k6'];
  droppedIterations: number | null;
  crash: string | null;
  otherRuns: string[];
}

/** Value of `expr` at each interval's end (1 s lookback), or an empty map when Prometheus cannot answer. */
async function perInterval(source: MetricSource, expr: string, raw: RawInterval[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (raw.length === 0) return out;
  // Points at whole seconds; an interval reads the point at its end (see `at` in buildHealth).
  const start = Math.floor(raw[0]!.t + raw[0]!.seconds);
  const end = Math.floor(raw[raw.length - 1]!.t + raw[raw.length - 1]!.seconds);
  if (end < start) return out;
  try {
    const series = await source.queryRange(expr, start, end, 1);
    for (const [t, v] of series[0]?.values ?? []) out.set(t, v);
  } catch {
    /* Prometheus gone: the figures stay null and the crash says why */
  }
  return out;
}

const fmt = (n: number, d = 2): string => n.toFixed(d);

export function flagInterval(i: Omit<HealthInterval, 'starved' | 'why'>, cores: number, periodSeconds: number): HealthInterval {
  const why: string[] = [];
  if (i.k6Cpu !== null && i.k6Cpu >= K6_SATURATED * cores) why.push(`k6 saturated (${fmt(i.k6Cpu)} of ${cores} cores)`);
  if (i.seconds > periodSeconds + STALL_SECONDS) why.push(`harness process stalled ${fmt(i.seconds - periodSeconds)} s`);
  if (i.stackLoopLag !== null && i.stackLoopLag >= STALL_SECONDS) why.push(`stack event loop stalled ${fmt(i.stackLoopLag)} s`);
  if (i.scrapes && i.scrapes.got <= i.scrapes.due / 2) why.push(`Prometheus got ${i.scrapes.got} of ${i.scrapes.due} stack scrapes`);
  // Dropped iterations with a busy k6 are the generator's exhaustion; with an idle one, the stack's slowness.
  if (i.dropped !== null && i.dropped > 0 && i.k6Cpu !== null && i.k6Cpu >= K6_BUSY * cores) why.push(`k6 dropped ${fmt(i.dropped, 0)} iterations at ${fmt(i.k6Cpu)} cores`);
  if (i.otherRuns > 0) why.push(`${i.otherRuns} other harness run(s) on the machine`);
  const contended = i.cpuPressure !== null ? i.cpuPressure >= PRESSURE : i.machineCpu !== null && i.machineCpu >= 0.9 * cores;
  if (i.otherCpu !== null && i.otherCpu >= OTHER_CPU && contended) {
    const p = i.cpuPressure !== null ? `, CPU pressure ${fmt(i.cpuPressure * 100, 0)} %` : '';
    why.push(`other processes took ${fmt(i.otherCpu)} cores${p}`);
  }
  return { ...i, starved: why.length > 0, why };
}

/** Merges starved intervals that touch into spans, epoch s. */
export function starvedSpans(intervals: HealthInterval[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const i of intervals) {
    if (!i.starved) continue;
    const last = spans[spans.length - 1];
    if (last && i.t <= last[1] + 0.01) last[1] = i.t + i.seconds;
    else spans.push([i.t, i.t + i.seconds]);
  }
  return spans;
}

function summarise(h: Omit<HarnessHealth, 'summary'>): string {
  const max = (f: (i: HealthInterval) => number | null): number | null => {
    const v = h.intervals.map(f).filter((x): x is number => x !== null);
    return v.length ? Math.max(...v) : null;
  };
  const parts = [
    `k6 max ${fmt(max((i) => i.k6Cpu) ?? 0)} cores`,
    `others max ${fmt(max((i) => i.otherCpu) ?? 0)} cores`,
    `CPU pressure max ${fmt((max((i) => i.cpuPressure) ?? 0) * 100, 0)} %`,
    `stack loop lag max ${fmt(max((i) => i.stackLoopLag) ?? 0)} s`,
    `starved ${Math.round(h.intervals.filter((i) => i.starved).reduce((a, i) => a + i.seconds, 0))} of ${Math.round(h.intervals.reduce((a, i) => a + i.seconds, 0))} s`,
  ];
  if (h.crash) parts.unshift(`crash: ${h.crash}`);
  return parts.join(', ');
}

/** Most intervals kept in the verdict: a 4 h soak keeps one per 4 s (the worst figures of each). */
export const MAX_INTERVALS = 3600;

const r3 = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000);

function rounded(i: HealthInterval): HealthInterval {
  return { ...i, t: r3(i.t)!, seconds: r3(i.seconds)!, k6Cpu: r3(i.k6Cpu), otherCpu: r3(i.otherCpu), machineCpu: r3(i.machineCpu), cpuPressure: r3(i.cpuPressure), stackLoopLag: r3(i.stackLoopLag), scrapeSeconds: r3(i.scrapeSeconds), dropped: r3(i.dropped) };
}

/** Joins runs of intervals so at most MAX_INTERVALS remain; each keeps the worst figures and every reason. */
export function coarsen(intervals: HealthInterval[], max = MAX_INTERVALS): HealthInterval[] {
  const k = Math.ceil(intervals.length / max);
  if (k <= 1) return intervals;
  const worst = (xs: Array<number | null>): number | null => (xs.some((x) => x !== null) ? Math.max(...xs.filter((x): x is number => x !== null)) : null);
  const out: HealthInterval[] = [];
  for (let i = 0; i < intervals.length; i += k) {
    const g = intervals.slice(i, i + k);
    const scrapes = g.every((x) => x.scrapes) ? { got: g.reduce((a, x) => a + x.scrapes!.got, 0), due: g.reduce((a, x) => a + x.scrapes!.due, 0) } : null;
    out.push({
      t: g[0]!.t,
      seconds: r3(g.reduce((a, x) => a + x.seconds, 0))!,
      k6Cpu: worst(g.map((x) => x.k6Cpu)),
      otherCpu: worst(g.map((x) => x.otherCpu)),
      machineCpu: worst(g.map((x) => x.machineCpu)),
      cpuPressure: worst(g.map((x) => x.cpuPressure)),
      load1: worst(g.map((x) => x.load1)),
      stackLoopLag: worst(g.map((x) => x.stackLoopLag)),
      scrapeSeconds: worst(g.map((x) => x.scrapeSeconds)),
      dropped: g.some((x) => x.dropped !== null) ? g.reduce((a, x) => a + (x.dropped ?? 0), 0) : null,
      scrapes,
      otherRuns: Math.max(...g.map((x) => x.otherRuns)),
      starved: g.some((x) => x.starved),
      why: [...new Set(g.flatMap((x) => x.why))],
    });
  }
  return out;
}

export async function buildHealth(input: EvidenceInput): Promise<HarnessHealth> {
  const periodSeconds = SAMPLE_PERIOD_MS / 1000;
  const job = input.stackJob;
  const lag = input.source && job ? await perInterval(input.source, `max_over_time(stack_eventloop_lag_max_seconds{job="${job}"}[1s])`, input.raw) : new Map<number, number>();
  const ups = input.source && job ? await perInterval(input.source, `count_over_time(up{job="${job}"}[1s])`, input.raw) : new Map<number, number>();
  const scrapeSecs = input.source && job ? await perInterval(input.source, `max_over_time(scrape_duration_seconds{job="${job}"}[1s])`, input.raw) : new Map<number, number>();
  const dropped = input.source && input.runId ? await perInterval(input.source, `sum(increase(k6_dropped_iterations_total{testid="${input.runId}"}[1s]))`, input.raw) : new Map<number, number>();
  const due = Math.round(1 / input.scrapeIntervalSeconds);
  const at = (m: Map<number, number>, i: RawInterval): number | undefined => m.get(Math.floor(i.t + i.seconds));
  const intervals = input.raw.map((r) => {
    const got = at(ups, r);
    const scrapes = job && ups.size > 0 ? { got: got ?? 0, due } : null;
    const extra = { stackLoopLag: at(lag, r) ?? null, scrapes, scrapeSeconds: at(scrapeSecs, r) ?? null, dropped: dropped.size > 0 ? (at(dropped, r) ?? 0) : null };
    return flagInterval({ ...r, ...extra }, CORES, periodSeconds);
  });
  const kept = coarsen(intervals.map(rounded));
  const base = { periodSeconds, cores: CORES, k6: input.k6, droppedIterations: input.droppedIterations, crash: input.crash, otherRuns: input.otherRuns, intervals: kept, starvedSpans: starvedSpans(intervals) };
  // The summary counts every second, before coarsening.
  return { ...base, summary: summarise({ ...base, intervals }) };
}
