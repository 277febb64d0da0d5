/**
 * One run as a pipeline: prepare (profile + flags -> plan; every input error) -> tools and run
 * folder -> environment (stack, cohorts, Prometheus; stopped in reverse on every exit path) ->
 * load (k6, live view, watchdog) -> judge -> report -> publish. Whatever happens (Ctrl-C, a tool
 * crash), the run folder gets what was collected and a verdict that is never `pass` for an
 * incomplete run.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Verdict } from '../controller/types.ts';
import { inconclusiveVerdict } from '../controller/verdict.ts';
import { HarnessError, InputError, ToolError } from '../errors.ts';
import { publishResults } from '../grafana/publish.ts';
import { bindTargets } from '../plan/resolve.ts';
import type { Plan } from '../plan/types.ts';
import { RUN_FILES, writeFileAtomicSync, writeJson } from '../report/run-folder.ts';
import { RUNS_DIR } from '../util/paths.ts';
import { onForcedExit } from '../util/process.ts';
import { judge } from './judge.ts';
import { runLoad } from './load.ts';
import type { RunOptions, RunOutcome } from './options.ts';
import { prepareRun } from './prepare.ts';
import { reportAndPublish, type Publish } from './reports.ts';
import { provisionTools, startEnvironment, type RunEnvironment } from './resources.ts';

export type { RunOptions, RunOutcome } from './options.ts';

export async function runProfile(opts: RunOptions): Promise<RunOutcome> {
  const baseLog = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  // From the load on, the live view owns the terminal: every line goes through it.
  let liveLine: ((l: string) => void) | null = null;
  const log = (l: string): void => (liveLine ?? baseLog)(l);
  const prep = await prepareRun(opts);
  const tools = await provisionTools(prep, opts, log);
  const runDir = path.join(opts.runsDir ?? RUNS_DIR, prep.plan.runId);
  await mkdir(runDir, { recursive: true });
  const planFile = path.join(runDir, RUN_FILES.plan);
  let plan = prep.plan;
  log(`run ${plan.runId}: profile ${plan.profile} (${plan.profileFile}), scale ${plan.scale}, time scale ${plan.timeScale}, ${plan.durationSeconds} s of load, peak ${plan.peakRate} req/s`);
  const started = Date.now() / 1000;
  // A second Ctrl-C ends the process at once: the folder still gets an inconclusive verdict.
  const dropForced = onForcedExit(() => writeForcedVerdict(runDir, plan, started, prep.target ?? 'embedded'));
  try {
    await using env = await startEnvironment(prep, tools, plan, { ...(opts.autoscale !== undefined ? { autoscale: opts.autoscale } : {}), faults: opts.faults ?? [], log });
    plan = bindTargets(plan, env.targetUrl, env.cohortUrls);
    plan.inputs = { ...plan.inputs, network: env.network };
    await writeJson(runDir, RUN_FILES.plan, plan);
    const load = await runLoad(prep, env, plan, { k6Bin: tools.k6.path, planFile, runDir, parallel: opts.parallel ?? 1, log: baseLog, onLive: (line) => (liveLine = line), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onK6Line ? { onK6Line: opts.onK6Line } : {}) });
    const judged = withDashboard(await judge(prep, env, plan, load), env, load.window, log);
    const { verdict, files } = await reportAndPublish(runDir, plan, judged, env.source, publisher(env, opts, log), log);
    await opts.afterRun?.({ source: env.source, plan, verdict, runDir });
    return { plan, verdict, runDir, files: [planFile, ...files] };
  } catch (err) {
    if (err instanceof InputError) {
      // Bad input found once Prometheus could parse the mapping's queries: no partial run folder.
      await rm(runDir, { recursive: true, force: true });
      throw err;
    }
    const verdict = await writeFailure(runDir, plan, err, { started, interrupted: opts.signal?.aborted === true, target: prep.target ?? 'embedded' });
    if (err instanceof ToolError) throw err;
    return { plan, verdict, runDir, files: [planFile, path.join(runDir, RUN_FILES.verdict)] };
  } finally {
    dropForced();
  }
}

function writeForcedVerdict(runDir: string, plan: Plan, started: number, target: string): void {
  const file = path.join(runDir, RUN_FILES.verdict);
  if (existsSync(file)) return;
  const window = { start: started, end: Date.now() / 1000 };
  const v = inconclusiveVerdict(plan, { window, interrupted: true, k6ExitCode: null, target }, 'interrupted twice: stopped at once, nothing was judged');
  writeFileAtomicSync(file, `${JSON.stringify(v, null, 2)}\n`);
}

/** The verdict with the link to the run's dashboard when Grafana runs as a container. */
function withDashboard(verdict: Verdict, env: RunEnvironment, window: { start: number; end: number }, log: (l: string) => void): Verdict {
  if (!env.grafana) return verdict;
  const dashboardUrl = env.grafana.dashboardUrl(verdict.runId, window.start * 1000, window.end * 1000);
  log(`grafana: ${dashboardUrl}`);
  return { ...verdict, dashboardUrl };
}

/** Result series to the run's Prometheus and `--results-url`; annotations to the run's Grafana or `--grafana-url`. */
function publisher(env: RunEnvironment, opts: RunOptions, log: (l: string) => void): Publish {
  const urls = [env.ownPrometheus ? env.remoteWriteUrl : undefined, opts.resultsUrl].filter((u): u is string => Boolean(u));
  const grafanaUrl = env.grafana?.grafanaUrl ?? opts.grafanaUrl;
  const grafanaToken = env.grafana?.grafanaToken ?? opts.grafanaToken;
  return (plan, verdict) => publishResults(plan, verdict, { remoteWriteUrls: urls, ...(grafanaUrl ? { grafanaUrl } : {}), ...(grafanaToken ? { grafanaToken } : {}), log });
}

/** A run that could not finish: plan.json and an inconclusive verdict.json with the reason. */
async function writeFailure(runDir: string, plan: Plan, err: unknown, ctx: { started: number; interrupted: boolean; target: string }): Promise<Verdict> {
  const reason = err instanceof HarnessError && err.kind === 'interrupted' ? err.message : `run failed: ${(err as Error).message}`;
  const window = { start: ctx.started, end: Date.now() / 1000 };
  const verdict = inconclusiveVerdict(plan, { window, interrupted: ctx.interrupted, k6ExitCode: null, target: ctx.target }, reason);
  await writeJson(runDir, RUN_FILES.plan, plan);
  await writeJson(runDir, RUN_FILES.verdict, verdict);
  return verdict;
}
