/**
 * Load: k6 with the plan, the live view, the breakpoint watch and a watchdog that stops k6 when
 * a component of the environment dies or the run is interrupted. Returns what the judge needs.
 */
import { watchBreakpoint } from '../controller/breakpoint.ts';
import { startLiveView } from '../controller/live.ts';
import type { RunWindow } from '../controller/slo.ts';
import { HarnessError } from '../errors.ts';
import { readSummaries, startK6, type K6Summary } from '../k6/runner.ts';
import path from 'node:path';
import type { Plan } from '../plan/types.ts';
import type { PreparedRun } from './prepare.ts';
import type { RunEnvironment } from './resources.ts';
import { startHealthSampler, type RawInterval } from '../health/sampler.ts';
import type { HarnessHealth } from '../health/types.ts';
import { quickRuleLine } from '../health/quick.ts';

/** Time for the last remote-write push and one more scrape to land after k6 ends, ms. */
const SETTLE_MS = 2500;

export interface LoadOutcome {
  window: RunWindow;
  k6ExitCode: number | null;
  summary: K6Summary | null;
  /** A breakpoint run whose k6 was stopped on purpose once an SLO broke. */
  stoppedAtBreak: boolean;
  /** Ctrl-C, or a component of the environment stopped during the load. */
  interrupted: boolean;
  /** What the health sampler saw (verdict.health is built from it once Prometheus is read). */
  health: { raw: RawInterval[]; k6: HarnessHealth['k6']; crash: string | null; otherRuns: string[] };
}

/** A k6 that ended on its own before its plan did: killed, or crashed (not stopped by the harness). */
export function k6Crash(results: Array<{ exitCode: number | null; signal: string | null }>, stoppedByHarness: boolean): string | null {
  if (stoppedByHarness) return null;
  const bad = results.find((r) => r.signal !== null || (r.exitCode !== 0 && r.exitCode !== 99));
  if (!bad) return null;
  return bad.signal ? `k6 was killed by ${bad.signal}` : `k6 crashed (exit code ${bad.exitCode ?? 'none'})`;
}

export interface LoadOptions {
  k6Bin: string;
  planFile: string;
  runDir: string;
  parallel: number;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** Receives the live view's line sink (or null once it stops), so every log line goes through it. */
  onLive?: (line: ((l: string) => void) | null) => void;
  /** Every line k6 prints; with it, k6 keeps its progress lines even without a terminal. */
  onK6Line?: (line: string) => void;
}

export async function runLoad(prep: PreparedRun, env: RunEnvironment, plan: Plan, opts: LoadOptions): Promise<LoadOutcome> {
  if (opts.signal?.aborted) throw new HarnessError('interrupted', 'interrupted before the load started');
  const start = Date.now() / 1000;
  const live = startLiveView(env.source, plan, {
    start,
    log: opts.log,
    isTTY: Boolean(process.stderr.isTTY),
    scrapeIntervalSeconds: env.scrapeIntervalSeconds,
    mapping: prep.mapping,
    namespace: prep.namespace,
    file: path.join(opts.runDir, 'live.log'),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  opts.onLive?.(live.line);
  const log = live.line;
  log(quickRuleLine(plan.triggers, plan.timeScale, env.scrapeIntervalSeconds));
  const run = startK6({
    bin: opts.k6Bin,
    script: prep.scenario,
    planFile: opts.planFile,
    runDir: opts.runDir,
    runId: plan.runId,
    remoteWriteUrl: env.remoteWriteUrl,
    parallel: opts.parallel,
    onLine: (l) => {
      opts.onK6Line?.(l);
      log(l);
    },
    quiet: live.quietK6 && !opts.onK6Line,
  });
  let componentStopped = false;
  let stoppedAtBreak = false;
  const stopK6 = (): void => run.stop();
  opts.signal?.addEventListener('abort', stopK6);
  const breakpoint = plan.breakpoint
    ? watchBreakpoint(env.source, plan, start, (slo) => {
        stoppedAtBreak = true;
        log(`breakpoint: ${slo} broke; stopping the ramp`);
        run.stop();
      })
    : null;
  const sampler = startHealthSampler();
  let failure: string | null = null;
  const watchdog = setInterval(() => {
    failure ??= env.failure();
    if (failure && !componentStopped) {
      log(`a component stopped during the run (${failure}); stopping k6`);
      componentStopped = true;
      run.stop();
    }
  }, 1000);
  try {
    const results = await run.done;
    const end = Date.now() / 1000;
    const raw = sampler.stop();
    failure ??= env.failure();
    const crash = failure ?? k6Crash(results, stoppedAtBreak || opts.signal?.aborted === true);
    const failed = results.find((r) => r.exitCode !== 0);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return {
      window: { start, end },
      k6ExitCode: failed ? failed.exitCode : 0,
      summary: await readSummaries(results.map((r) => r.summaryFile)),
      stoppedAtBreak,
      interrupted: componentStopped || opts.signal?.aborted === true,
      health: { raw, k6: results.map((r) => ({ exitCode: r.exitCode, signal: r.signal })), crash, otherRuns: sampler.otherRuns() },
    };
  } finally {
    sampler.stop();
    clearInterval(watchdog);
    live.stop();
    breakpoint?.stop();
    opts.signal?.removeEventListener('abort', stopK6);
  }
}
