/**
 * CPU per request, side by side at one rate, each against a fresh embedded stack (no Prometheus,
 * no harness): the harness's scenario with its plan, a minimal k6 script on the same route mix
 * (one `http.request` per iteration, no checks, no tags), and the minimal script on `/health`
 * (the cheapest pair). CPU from /proc over the steady window (and over the whole k6 run, VU
 * start-up included, beside it); k6's peak memory from
 * `/usr/bin/time`. The ratios are the issue's goals: k6 ≤ 1.2 × minimal, stack ≤ 1.5 × /health.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { presetNames } from '../../src/network/presets.ts';
import { spawnStack } from '../../src/stack/spawn.ts';
import { SCENARIOS_DIR } from '../../src/util/paths.ts';
import { loadAverage, round, type CpuSampler } from './cpu.ts';
import { run, stopStack, track } from './procs.ts';
import { FLAT_PROFILE } from './harness-step.ts';
import { K6Progress, steadyWindow } from './k6-progress.ts';
import { readLoadFigures } from './k6-summary.ts';

/** Length of each reference run at a constant rate, s. */
const SECONDS = 20;

export type CostKind = 'scenario' | 'minimal-mix' | 'minimal-health';

export interface CostRun {
  kind: CostKind;
  targetRps: number;
  /** Requests k6 completed (from its end-of-test line). */
  requests: number;
  droppedIterations: number;
  /** CPU µs per request in the steady window (2 s after the first iteration to 1 s before the end). */
  k6UsPerRequest: number | null;
  stackUsPerRequest: number | null;
  /** The same over the whole k6 run, VU start-up and shutdown included. */
  wholeRun: { k6UsPerRequest: number | null; stackUsPerRequest: number | null };
  k6MaxRssMiB: number | null;
  othersBusyCores: number;
  loadAverage: [number, number, number];
}

/** The minimal script's route table for `/health` alone (the cheapest pair). */
export const HEALTH_ROUTES = JSON.stringify([{ method: 'GET', path: '/health', cum: 1.1 }]);

export function minimalScript(rate: number, vus: number, seconds = SECONDS): string {
  return `import http from 'k6/http';
const ROUTES = JSON.parse(__ENV.ROUTES);
const BASE = __ENV.BASE;
export const options = { discardResponseBodies: true, summaryTrendStats: ['p(99)'],
  scenarios: { s: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '${seconds}s', preAllocatedVUs: ${vus}, maxVUs: ${vus * 4} } } };
export default function () {
  const r = Math.random();
  for (const x of ROUTES) if (r < x.cum) { http.request(x.method, BASE + x.path, x.method === 'POST' ? '{}' : null); return; }
}
`;
}

/** The plan's route mix as cumulative shares (requests, not iterations). */
function routeMix(plan: ReturnType<typeof resolvePlan>): Array<{ method: string; path: string; cum: number }> {
  const weights = new Map<string, number>();
  for (const s of plan.scenarios) {
    const rate = s.stages.at(-1)?.target ?? 0;
    for (const r of s.routes ?? []) weights.set(r, (weights.get(r) ?? 0) + rate);
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  let cum = 0;
  return [...weights].map(([route, w]) => {
    cum += w / total;
    const [method = 'GET', p = '/'] = route.split(' ');
    return { method, path: p, cum };
  });
}

export async function costRun(kind: CostKind, rate: number, opts: { k6Bin: string; dir: string; sampler: CpuSampler; log: (l: string) => void }): Promise<CostRun> {
  const loaded = await loadProfile(FLAT_PROFILE);
  const profile = { ...loaded.profile, startRate: rate, stages: [{ duration: SECONDS, target: rate }] };
  const stack = track(await spawnStack({ stack: profile.stack, scale: 1, timeScale: 1, autoscale: false, onLog: opts.log }));
  try {
    const plan = resolvePlan(profile, { runId: `bench-cost-${kind}`, file: loaded.file, targetUrl: stack.url, networkPresets: presetNames() });
    const dir = path.join(opts.dir, `cost-${kind}-${rate}`);
    await mkdir(dir, { recursive: true });
    const planFile = path.join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    let script = path.join(SCENARIOS_DIR, 'spike.ts');
    const env: Record<string, string> = { PLAN_FILE: planFile, K6_NO_USAGE_REPORT: 'true', K6_NO_COLOR: 'true', BASE: stack.url };
    if (kind !== 'scenario') {
      script = path.join(dir, 'minimal.js');
      // Little's law for the minimal script: ~50 ms per request, twice over.
      await writeFile(script, minimalScript(rate, Math.max(10, Math.ceil(rate * 0.1))));
      env.ROUTES = kind === 'minimal-health' ? HEALTH_ROUTES : JSON.stringify(routeMix(plan));
    }
    let rssKb: number | null = null;
    opts.sampler.sample();
    const t0 = Date.now();
    const progress = new K6Progress();
    const summary = path.join(dir, 'summary.json');
    await run('/usr/bin/time', ['-f', 'maxrss_kb=%M', opts.k6Bin, 'run', `--summary-export=${summary}`, script], {
      env,
      onLine: (l) => {
        progress.feed(l);
        const r = /^maxrss_kb=(\d+)/.exec(l.trim());
        if (r) rssKb = Number(r[1]);
        opts.log(`[cost ${kind}] ${l}`);
      },
    }).done;
    const figures = await readLoadFigures(summary, rate, 0, SECONDS);
    const requests = figures?.requests ?? 0;
    const iterations = figures?.iterations ?? 0;
    opts.sampler.sample();
    const cpu = opts.sampler.window(t0, Date.now());
    const per = (s: number) => (requests > 0 ? round((s / requests) * 1e6) : null);
    const steady = steadyWindow(progress, opts.sampler, { spawnedAtMs: t0, rampSeconds: 0, holdSeconds: SECONDS, requestsPerIteration: iterations > 0 ? requests / iterations : 1 });
    const steadyRequests = steady?.achievedRps ? steady.achievedRps * (steady.toSeconds - steady.fromSeconds) : 0;
    const perSteady = (s: number | undefined) => (steadyRequests > 0 && s !== undefined ? round((s / steadyRequests) * 1e6) : null);
    return {
      kind,
      targetRps: rate,
      requests,
      droppedIterations: figures?.droppedIterations ?? 0,
      k6UsPerRequest: perSteady(steady?.cpu.cpuSeconds.k6),
      stackUsPerRequest: perSteady(steady?.cpu.cpuSeconds.stack),
      wholeRun: { k6UsPerRequest: per(cpu.cpuSeconds.k6), stackUsPerRequest: per(cpu.cpuSeconds.stack) },
      k6MaxRssMiB: rssKb === null ? null : round(rssKb / 1024),
      othersBusyCores: cpu.othersBusyCores,
      loadAverage: loadAverage(),
    };
  } finally {
    await stopStack(stack);
  }
}
