/**
 * The per-request cost references and the 24 h soak's judging, each figure next to its goal,
 * with the machine's load at the time: bench/results/goals.json and goals.md, written by the
 * same `npm run bench` as latest.*.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { soak24, SOAK24_GOALS, type Soak24Result } from '../soak24.ts';
import { loadAverage, round, type CpuSampler } from './cpu.ts';
import { costRun, type CostKind, type CostRun } from './cost-refs.ts';

/** The rate of the per-request references, req/s (the side-by-side rate). */
export const COST_RPS = 1500;

export interface Goal {
  what: string;
  goal: string;
  measured: string;
  met: boolean | null;
  /** 1-minute load average when measured (2 cores shared). */
  load: number;
}

export interface GoalFigures {
  createdAt: string;
  costs: CostRun[];
  soak24: Soak24Result | null;
  soak24Error?: string;
  goals: Goal[];
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 ? round(a / b, 2) : null;
}

function goalsFor(costs: CostRun[], s: Soak24Result | null): Goal[] {
  const by = (k: CostKind) => costs.find((c) => c.kind === k);
  const sc = by('scenario');
  const mix = by('minimal-mix');
  const health = by('minimal-health');
  const k6Ratio = ratio(sc?.k6UsPerRequest, mix?.k6UsPerRequest);
  const stackRatio = ratio(sc?.stackUsPerRequest, health?.stackUsPerRequest);
  const out: Goal[] = [
    { what: `k6 CPU per request, scenario / minimal script on the same mix (${COST_RPS} req/s)`, goal: '≤ 1.2', measured: `${k6Ratio ?? 'n/a'} (${sc?.k6UsPerRequest ?? 'n/a'} / ${mix?.k6UsPerRequest ?? 'n/a'} µs)`, met: k6Ratio === null ? null : k6Ratio <= 1.2, load: sc?.loadAverage[0] ?? 0 },
    { what: `stack CPU per request, the mix / /health (${COST_RPS} req/s)`, goal: '≤ 1.5', measured: `${stackRatio ?? 'n/a'} (${sc?.stackUsPerRequest ?? 'n/a'} / ${health?.stackUsPerRequest ?? 'n/a'} µs)`, met: stackRatio === null ? null : stackRatio <= 1.5, load: health?.loadAverage[0] ?? 0 },
    { what: `k6 peak memory, the scenario at ${COST_RPS} req/s`, goal: '≤ 250 MB', measured: `${sc?.k6MaxRssMiB ?? 'n/a'} MiB`, met: sc?.k6MaxRssMiB == null ? null : sc.k6MaxRssMiB * 1.048576 <= 250, load: sc?.loadAverage[0] ?? 0 },
  ];
  if (s) {
    const total = round(s.judgeSeconds + s.seriesSeconds, 1);
    out.push(
      { what: `24 h soak judged (verdict + report series), ${s.samples.toLocaleString('en')} samples`, goal: `≤ ${SOAK24_GOALS.judgeSeconds} s`, measured: `${total} s (verdict ${round(s.judgeSeconds, 1)} s, series ${round(s.seriesSeconds, 1)} s; ${s.status})`, met: total <= SOAK24_GOALS.judgeSeconds, load: s.loadAverage.end[0] },
      { what: '24 h soak, harness peak memory while judging', goal: `≤ ${SOAK24_GOALS.maxRssMiB} MB`, measured: `${round(s.maxRssMiB)} MiB`, met: s.maxRssMiB * 1.048576 <= SOAK24_GOALS.maxRssMiB, load: s.loadAverage.end[0] },
    );
  }
  return out;
}

export async function goalFigures(opts: { k6Bin: string; dir: string; sampler: CpuSampler; log: (l: string) => void; say: (l: string) => void }): Promise<GoalFigures> {
  const costs: CostRun[] = [];
  for (const kind of ['scenario', 'minimal-mix', 'minimal-health'] as const) {
    const c = await costRun(kind, COST_RPS, opts);
    costs.push(c);
    opts.say(`cost ${kind} at ${COST_RPS} req/s: ${c.requests} requests; k6 ${c.k6UsPerRequest ?? 'n/a'} µs/req, stack ${c.stackUsPerRequest ?? 'n/a'} µs/req, k6 peak ${c.k6MaxRssMiB ?? 'n/a'} MiB; load ${c.loadAverage[0]}`);
  }
  let s: Soak24Result | null = null;
  let soak24Error: string | undefined;
  try {
    s = await soak24({ log: opts.log });
    opts.say(`24 h soak judged in ${round(s.judgeSeconds, 1)} s + series ${round(s.seriesSeconds, 1)} s, peak ${round(s.maxRssMiB)} MiB, ${s.status}; load ${s.loadAverage.end[0]}`);
  } catch (err) {
    soak24Error = (err as Error).message;
    opts.say(`24 h soak bench failed: ${soak24Error}`);
  }
  return { createdAt: new Date().toISOString(), costs, soak24: s, ...(soak24Error ? { soak24Error } : {}), goals: goalsFor(costs, s) };
}

export function goalsMarkdown(g: GoalFigures): string {
  const rows = g.goals.map((x) => `| ${x.what} | ${x.goal} | ${x.measured} | ${x.met === null ? 'n/a' : x.met ? 'yes' : 'no'} | ${x.load} |`);
  const slow = (g.soak24?.slowest ?? []).slice(0, 5).map((q) => `- ${round(q.seconds, 2)} s ${q.kind}: \`${q.expr.slice(0, 140)}\``);
  return [
    `## Goals (${g.createdAt}, 2 cores shared; load = 1-minute load average when measured)`,
    '',
    '| what | goal | measured | met | load |',
    '| --- | --- | --- | --- | ---: |',
    ...rows,
    '',
    ...(g.soak24 ? [`24 h soak dataset: ${g.soak24.series} series, 1 s apart, written in ${g.soak24.writeSeconds} s (cached between runs); cross-check ${JSON.stringify(g.soak24.crossCheck)}; whole-run p95 harness ${round(g.soak24.p95.harnessMs ?? NaN, 2)} ms, Prometheus ${round(g.soak24.p95.prometheusMs ?? NaN, 2)} ms. Slowest queries:`, '', ...slow, ''] : []),
    ...(g.soak24Error ? [`24 h soak bench failed: ${g.soak24Error}`, ''] : []),
  ].join('\n');
}

export async function writeGoals(dir: string, g: GoalFigures): Promise<string> {
  const md = goalsMarkdown(g);
  await writeFile(path.join(dir, 'goals.json'), `${JSON.stringify({ ...g, loadAverageAtWrite: loadAverage() }, null, 2)}\n`);
  await writeFile(path.join(dir, 'goals.md'), `${md}\n`);
  return md;
}
