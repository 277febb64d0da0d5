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
import { cheapestCeiling, type Ceiling } from './ceiling.ts';
import { startupRuns, type StartupRun } from './startup.ts';
import type { HarnessStep } from './harness-step.ts';
import { builtInStack } from '../../src/stack/stacks.ts';

/** The rate of the per-request references, req/s (the issue's side-by-side rate). */
export const COST_RPS = 1500;

export interface Goal {
  what: string;
  goal: string;
  measured: string;
  met: boolean | null;
  /** 1-minute load average when measured (2 cores shared). */
  load: number;
}

/** What the rate search found, for the sustained-rate goals. */
export interface SearchFigures {
  highestSustainedRps: number | null;
  /** The live view's PromQL queries per second in the step at that rate. */
  liveQueriesPerSecond: number | null;
  /** Triggers and deployments the live view showed (its rows grow with them, its queries do not). */
  liveRows: string;
  load: number;
}

/** The search's figures at its highest sustained rate (else its first step). */
export function searchFigures(steps: HarnessStep[], lo: number | null): SearchFigures {
  const at = steps.find((x) => x.targetRps === lo) ?? steps[0];
  const meqenet = builtInStack('meqenet');
  return {
    highestSustainedRps: lo,
    liveQueriesPerSecond: at?.liveQueriesPerSecond ?? null,
    liveRows: `${meqenet.triggers.length} triggers, ${meqenet.deployments.length} deployments, ${at?.targetRps ?? 'n/a'} req/s step`,
    load: at?.loadAverage.end[0] ?? 0,
  };
}

export interface GoalFigures {
  createdAt: string;
  /** Each kind twice, interleaved; the goals take each kind's lower CPU figure. */
  costs: CostRun[];
  ceiling: Ceiling | null;
  startup: StartupRun[];
  soak24: Soak24Result | null;
  soak24Error?: string;
  goals: Goal[];
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 ? round(a / b, 2) : null;
}

function best(costs: CostRun[], k: CostKind): CostRun | undefined {
  const runs = costs.filter((c) => c.kind === k);
  const min = (f: (c: CostRun) => number | null) => Math.min(...runs.map((c) => f(c) ?? Infinity));
  if (runs.length === 0) return undefined;
  const k6 = min((c) => c.k6UsPerRequest);
  const stack = min((c) => c.stackUsPerRequest);
  const rss = Math.max(...runs.map((c) => c.k6MaxRssMiB ?? -Infinity));
  return { ...runs[0]!, k6UsPerRequest: Number.isFinite(k6) ? k6 : null, stackUsPerRequest: Number.isFinite(stack) ? stack : null, k6MaxRssMiB: Number.isFinite(rss) ? rss : null, loadAverage: runs.at(-1)!.loadAverage };
}

function median(xs: number[]): number | null {
  const v = [...xs].sort((a, b) => a - b);
  return v.length === 0 ? null : v.length % 2 ? v[(v.length - 1) / 2]! : round((v[v.length / 2 - 1]! + v[v.length / 2]!) / 2, 2);
}

function goalsFor(g: Omit<GoalFigures, 'goals' | 'createdAt'>, search: SearchFigures): Goal[] {
  const { costs, soak24: s, ceiling, startup } = g;
  const sc = best(costs, 'scenario');
  const mix = best(costs, 'minimal-mix');
  const health = best(costs, 'minimal-health');
  const k6Ratio = ratio(sc?.k6UsPerRequest, mix?.k6UsPerRequest);
  const stackRatio = ratio(sc?.stackUsPerRequest, health?.stackUsPerRequest);
  const rate = search.highestSustainedRps;
  const ceil = ceiling?.highestSustainedRps ?? null;
  const ceilRatio = ratio(rate, ceil);
  const cold = startup.find((r) => r.kind === 'cold');
  const warm = median(startup.filter((r) => r.kind === 'warm' && r.firstRequestSeconds !== null).map((r) => r.firstRequestSeconds!));
  const out: Goal[] = [
    { what: 'sustained rate on the Meqenet mix at scale 1.0 (harness verdict pass: dropped < 0.5 %, p99 in SLO)', goal: '≥ 4000 req/s', measured: `${rate ?? 'none'} req/s`, met: rate === null ? false : rate >= 4000, load: search.load },
    { what: `… against the cheapest pair's ceiling (minimal k6 script on /health, ${ceil ?? 'n/a'} req/s${ceil !== null && ceil === ceiling?.steps.at(-1)?.targetRps && ceiling.steps.at(-1)!.sustained ? ', the top of its ladder' : ''})`, goal: '≥ 0.8', measured: `${ceilRatio ?? 'n/a'}`, met: ceilRatio === null ? null : ceilRatio >= 0.8, load: ceiling?.loadAverage[0] ?? 0 },
    { what: `k6 CPU per request, scenario / minimal script on the same mix (${COST_RPS} req/s, steady window, lower of 2 runs each)`, goal: '≤ 1.2', measured: `${k6Ratio ?? 'n/a'} (${sc?.k6UsPerRequest ?? 'n/a'} / ${mix?.k6UsPerRequest ?? 'n/a'} µs)`, met: k6Ratio === null ? null : k6Ratio <= 1.2, load: sc?.loadAverage[0] ?? 0 },
    { what: `stack CPU per request, the mix / /health (${COST_RPS} req/s, steady window, lower of 2 runs each)`, goal: '≤ 1.5', measured: `${stackRatio ?? 'n/a'} (${sc?.stackUsPerRequest ?? 'n/a'} / ${health?.stackUsPerRequest ?? 'n/a'} µs)`, met: stackRatio === null ? null : stackRatio <= 1.5, load: health?.loadAverage[0] ?? 0 },
    { what: `k6 peak memory, the scenario at ${COST_RPS} req/s (VUs by Little's law; dropped iterations ${costs.filter((c) => c.kind === 'scenario').map((c) => c.droppedIterations).join(', ')})`, goal: '≤ 250 MB', measured: `${sc?.k6MaxRssMiB ?? 'n/a'} MiB`, met: sc?.k6MaxRssMiB == null ? null : sc.k6MaxRssMiB * 1.048576 <= 250, load: sc?.loadAverage[0] ?? 0 },
    { what: `command to first request, cold (\`npm run spike -- --quick\`; tsx cache removed${cold?.pageCacheDropped ? ', page cache dropped' : ', page cache not dropped (not permitted)'})`, goal: '≤ 8 s', measured: `${cold?.firstRequestSeconds ?? 'n/a'} s`, met: cold?.firstRequestSeconds == null ? null : cold.firstRequestSeconds <= 8, load: 0 },
    { what: 'command to first request, warm (median of 2)', goal: '≤ 5 s', measured: `${warm ?? 'n/a'} s (${startup.filter((r) => r.kind === 'warm').map((r) => r.firstRequestSeconds ?? 'n/a').join(', ')})`, met: warm === null ? null : warm <= 5, load: 0 },
    { what: `live view PromQL queries per second during the load (${search.liveRows})`, goal: 'one per tick, whatever the rows', measured: `${search.liveQueriesPerSecond ?? 'n/a'} /s`, met: search.liveQueriesPerSecond === null ? null : search.liveQueriesPerSecond <= 1.05, load: search.load },
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

export async function goalFigures(
  search: SearchFigures,
  opts: { k6Bin: string; dir: string; sampler: CpuSampler; log: (l: string) => void; say: (l: string) => void },
): Promise<GoalFigures> {
  const costs: CostRun[] = [];
  for (let rep = 0; rep < 2; rep++) {
    for (const kind of ['scenario', 'minimal-mix', 'minimal-health'] as const) {
      const c = await costRun(kind, COST_RPS, opts);
      costs.push(c);
      opts.say(`cost ${kind} at ${COST_RPS} req/s: ${c.requests} requests, ${c.droppedIterations} dropped; k6 ${c.k6UsPerRequest ?? 'n/a'} µs/req, stack ${c.stackUsPerRequest ?? 'n/a'} µs/req, k6 peak ${c.k6MaxRssMiB ?? 'n/a'} MiB; load ${c.loadAverage[0]}`);
    }
  }
  let ceiling: Ceiling | null = null;
  try {
    ceiling = await cheapestCeiling(opts);
    opts.say(`cheapest pair (minimal k6 on /health): highest sustained ${ceiling.highestSustainedRps ?? 'none'} req/s (${ceiling.steps.map((x) => `${x.targetRps}${x.sustained ? '' : ' fails'}`).join(', ')})`);
  } catch (err) {
    opts.say(`cheapest-pair ceiling failed: ${(err as Error).message}`);
  }
  const startup = await startupRuns(`${opts.dir}/startup-runs`, opts.log);
  opts.say(`command to first request: ${startup.map((r) => `${r.kind} ${r.firstRequestSeconds ?? 'n/a'} s`).join(', ')}`);
  let s: Soak24Result | null = null;
  let soak24Error: string | undefined;
  try {
    s = await soak24({ log: opts.log });
    opts.say(`24 h soak judged in ${round(s.judgeSeconds, 1)} s + series ${round(s.seriesSeconds, 1)} s, peak ${round(s.maxRssMiB)} MiB, ${s.status}; load ${s.loadAverage.end[0]}`);
  } catch (err) {
    soak24Error = (err as Error).message;
    opts.say(`24 h soak bench failed: ${soak24Error}`);
  }
  const figures = { costs, ceiling, startup, soak24: s, ...(soak24Error ? { soak24Error } : {}) };
  return { createdAt: new Date().toISOString(), ...figures, goals: goalsFor(figures, search) };
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
