/**
 * The same k6 script and the same resolved plan as a harness step, run with a plain `k6 run`:
 * no remote write, no Prometheus, no live view, no verdict. Against a fresh embedded stack, so
 * that the difference to the harness step is the harness's own cost.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { presetNames } from '../../src/network/presets.ts';
import { spawnStack } from '../../src/stack/spawn.ts';
import { SCENARIOS_DIR } from '../../src/util/paths.ts';
import { loadAverage, round, type CpuSampler, type CpuWindow } from './cpu.ts';
import { readLoadFigures, type LoadFigures } from './k6-summary.ts';
import { HealthProbe } from './probe.ts';
import { K6Progress, steadyWindow, type SteadyWindow } from './k6-progress.ts';
import { run, stopStack, track } from './procs.ts';
import { FLAT_SHAPE, flatStages } from '../profiles/flat.ts';
import { FLAT_PROFILE } from './harness-step.ts';

export interface RawK6Run {
  targetRps: number;
  k6ExitCode: number | null;
  k6: LoadFigures | null;
  /** Wall time of `k6 run` (script start-up included), s. */
  wallSeconds: number;
  /** CPU of the whole `k6 run`, start-up included. */
  cpu: CpuWindow;
  /** Inside the hold, past k6's start-up (as for the harness steps). */
  steady: SteadyWindow | null;
  loadAverage: [number, number, number];
  planFile: string;
}

export async function rawK6(rate: number, opts: { k6Bin: string; dir: string; sampler: CpuSampler; log: (l: string) => void }): Promise<RawK6Run> {
  const loaded = await loadProfile(FLAT_PROFILE);
  const profile = { ...loaded.profile, ...flatStages(rate) };
  const stack = track(await spawnStack({ stack: profile.stack, scale: 1, timeScale: 1, autoscale: false, onLog: opts.log }));
  try {
    const plan = resolvePlan(profile, { runId: `bench-raw-${rate}`, file: loaded.file, targetUrl: stack.url, networkPresets: presetNames() });
    const dir = path.join(opts.dir, `raw-k6-${rate}`);
    await mkdir(dir, { recursive: true });
    const planFile = path.join(dir, 'plan.json');
    const summaryFile = path.join(dir, 'k6-summary.json');
    await writeFile(planFile, `${JSON.stringify(plan, null, 2)}\n`);
    const args = ['run', `--summary-export=${summaryFile}`, path.join(SCENARIOS_DIR, `${profile.scenario ?? profile.name}.ts`)];
    opts.log(`$ PLAN_FILE=${planFile} k6 ${args.join(' ')}`);
    const progress = new K6Progress();
    const probe = new HealthProbe();
    probe.start(stack.url);
    opts.sampler.sample();
    const t0 = Date.now();
    const res = await run(opts.k6Bin, args, {
      env: { PLAN_FILE: planFile, K6_NO_USAGE_REPORT: 'true', K6_NO_COLOR: 'true' },
      onLine: (l) => {
        progress.feed(l);
        opts.log(`[raw k6] ${l}`);
      },
    }).done.finally(() => probe.stop());
    opts.sampler.sample();
    const t1 = Date.now();
    const k6 = await readLoadFigures(summaryFile, rate, FLAT_SHAPE.rampSeconds, FLAT_SHAPE.holdSeconds);
    return {
      targetRps: rate,
      k6ExitCode: res.code,
      k6,
      wallSeconds: round((t1 - t0) / 1000, 1),
      cpu: opts.sampler.window(t0, t1),
      steady: steadyWindow(progress, opts.sampler, {
        spawnedAtMs: t0,
        rampSeconds: FLAT_SHAPE.rampSeconds,
        holdSeconds: FLAT_SHAPE.holdSeconds,
        requestsPerIteration: k6 && k6.iterations > 0 ? k6.requests / k6.iterations : 1,
        probe,
      }),
      loadAverage: loadAverage(),
      planFile,
    };
  } finally {
    await stopStack(stack);
  }
}
