/**
 * One run, end to end: load and resolve the profile, provision tools, start the stack (unless a
 * target is given), Prometheus and the network cohorts, run k6, judge, report, and stop
 * everything again. Whatever happens (Ctrl-C, a tool crash), the run folder gets what was
 * collected and a verdict that is never `pass` for an incomplete run.
 */
import { existsSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError, InputError, ToolError } from '../errors.ts';
import { startK6, readSummaries } from '../k6/runner.ts';
import { PrometheusClient } from '../metrics/client.ts';
import { scrapeIntervalFor, startPrometheus, type RunningPrometheus } from '../metrics/prometheus.ts';
import { loadProfile } from '../plan/load.ts';
import { resolvePlan } from '../plan/resolve.ts';
import { holidayEvening } from '../plan/holiday-slice.ts';
import type { Plan } from '../plan/types.ts';
import { spawnStack, type StackProcess } from '../stack/spawn.ts';
import { ensureTool } from '../tools/index.ts';
import { judgeRun, inconclusiveVerdict } from '../controller/verdict.ts';
import { judgeTriggers } from '../controller/triggers.ts';
import { validateQueries } from '../controller/validate.ts';
import { TARGET_MAPPINGS } from '../../profiles/targets.ts';
import { startLiveView } from '../controller/live.ts';
import { watchBreakpoint } from '../controller/breakpoint.ts';
import type { Verdict } from '../controller/types.ts';
import { assertAllowed, assertReachable, DEFAULT_ALLOW } from '../util/net.ts';
import { onForcedExit } from '../util/process.ts';
import { writeFileAtomic, writeFileAtomicSync } from '../report/run-folder.ts';
import { RUNS_DIR, SCENARIOS_DIR } from '../util/paths.ts';
import { newRunId } from './run-id.ts';
import { setupNetwork, type NetworkSetup } from './network.ts';
import { writeReports } from './reports.ts';
import { publishResults } from './publish.ts';

/** Default scale of a full (not `--quick`) run against the embedded stack. */
export const EMBEDDED_DEFAULT_SCALE = 0.04;

export interface RunOptions {
  profile: string;
  /** Scenario file in scenarios/ (default: the profile's name). */
  scenario?: string;
  scale?: number;
  timeScale?: number;
  durationSeconds?: number;
  quick?: boolean;
  /** A real stack instead of the embedded one. */
  target?: string;
  /** Prometheus that already scrapes the target (with the remote-write receiver on). */
  prometheus?: string;
  allowHosts?: string[];
  parallel?: number;
  faults?: string[];
  autoscale?: boolean;
  /** Extra inputs recorded in the plan (capacity plan, holiday). */
  inputs?: Record<string, unknown>;
  /** Metric mapping of the target (profiles/targets.ts): `embedded` by default, `kubernetes` for a cluster. */
  mapping?: string;
  /** Kubernetes namespace of the target's deployments. @default 'default' */
  namespace?: string;
  /** Runs this holiday's evening (overrides the profile's own `holiday`). */
  holiday?: { name: string; year: number };
  /** Replaces the profile's stages (holiday shapes, breakpoint ramps). */
  stagesOverride?: { startRate: number; stages: Array<{ duration: number; target: number }> };
  runsDir?: string;
  /** Grafana to annotate (with `grafanaToken`). */
  grafanaUrl?: string;
  grafanaToken?: string;
  /** A long-lived Prometheus remote-write URL that keeps result series across runs. */
  resultsUrl?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /**
   * Called after the verdict and reports are written, while Prometheus still holds the run's
   * data (e.g. to execute every dashboard panel's query against it).
   */
  afterRun?: (ctx: { source: PrometheusClient; plan: Plan; verdict: Verdict; runDir: string }) => Promise<void>;
  /** Called with the plan once all input is checked, before anything starts (may throw). */
  onPrepared?: (plan: Plan) => void | Promise<void>;
}

export interface RunResult {
  plan: Plan;
  verdict: Verdict;
  runDir: string;
  files: string[];
}

async function writeJson(file: string, data: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * Prometheus applies its scrape targets a few seconds after it starts: load must not begin
 * before the stack's first scrape has landed, or the start of the run has no stack data.
 */
async function waitForFirstScrape(source: PrometheusClient, job: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await source.query(`up{job="${job}"}`).catch(() => []);
    if (r[0]?.value[1] === 1) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new ToolError(`prometheus did not scrape the ${job} within ${timeoutMs / 1000} s`);
}

export async function runProfile(opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const loaded = await loadProfile(opts.profile);
  const holiday = opts.holiday ?? loaded.profile.holiday;
  const evening = holiday ? holidayEvening(holiday.name, holiday.year, opts.holiday ? '--holiday' : `${loaded.file}: holiday.name`) : null;
  const override = opts.stagesOverride ?? (evening ? { startRate: evening.startRate, stages: evening.stages } : undefined);
  const profile = override ? { ...loaded.profile, ...override } : loaded.profile;
  const allow = [...DEFAULT_ALLOW, ...(opts.allowHosts ?? [])];
  if (opts.target) assertAllowed(opts.target, allow, '--target');
  if (opts.prometheus) assertAllowed(opts.prometheus, allow, '--prometheus');
  if (opts.target && !opts.prometheus) throw new InputError('--target: needs --prometheus URL too (the Prometheus that scrapes the target)');
  const mappingName = opts.mapping ?? (opts.target ? 'kubernetes' : 'embedded');
  const mapping = TARGET_MAPPINGS[mappingName];
  if (!mapping) throw new InputError(`--mapping: unknown target mapping ${JSON.stringify(mappingName)}; known: ${Object.keys(TARGET_MAPPINGS).join(', ')}`);
  const namespace = opts.namespace ?? 'default';
  const runId = newRunId(profile.name);
  const base = { runId, file: loaded.file, quick: opts.quick ?? false, inputs: { ...(evening ? { holiday: evening.inputs } : {}), ...opts.inputs } } as const;
  // The embedded stack is about behaviour, not raw capacity: unless told otherwise it runs at a
  // rate one machine can generate, with its capacities scaled alike (bench/: ~2,000 req/s).
  const scale = opts.scale ?? (!opts.target && !opts.quick && loaded.profile.scale === undefined ? EMBEDDED_DEFAULT_SCALE : undefined);
  const overrides = {
    ...(scale !== undefined ? { scale } : {}),
    ...(opts.timeScale !== undefined ? { timeScale: opts.timeScale } : {}),
    ...(opts.durationSeconds !== undefined ? { durationSeconds: opts.durationSeconds } : {}),
  };
  const { presetNames } = await import('./network.ts');
  // Resolve once before anything starts, so bad input fails before any process exists.
  let plan = resolvePlan(profile, { ...base, ...overrides, targetUrl: opts.target ?? 'http://127.0.0.1:0', networkPresets: presetNames() });
  const scenarioName = opts.scenario ?? profile.scenario ?? profile.name;
  const scenario = path.join(SCENARIOS_DIR, `${scenarioName}.ts`);
  if (!(await access(scenario).then(() => true, () => false))) {
    throw new InputError(`${loaded.file}: scenario: no k6 script scenarios/${scenarioName}.ts (got ${JSON.stringify(scenarioName)})`);
  }

  if (opts.target) await assertReachable(opts.target, '--target', allow);
  if (opts.prometheus) await assertReachable(`${opts.prometheus.replace(/\/+$/, '')}/-/ready`, '--prometheus', allow);
  await opts.onPrepared?.(plan);
  // Tools first: a missing tool leaves no half-made run folder behind.
  const k6 = await ensureTool('k6', { log });
  const promBin = opts.prometheus ? null : await ensureTool('prometheus', { log });
  if (profile.cohorts.some((c) => c.network !== 'direct')) await ensureTool('toxiproxy', { log });

  const runDir = path.join(opts.runsDir ?? RUNS_DIR, runId);
  await mkdir(runDir, { recursive: true });
  const planFile = path.join(runDir, 'plan.json');
  await writeJson(planFile, plan);
  log(`run ${runId}: profile ${profile.name} (${loaded.file}), scale ${plan.scale}, time scale ${plan.timeScale}, ${plan.durationSeconds} s of load, peak ${plan.peakRate} req/s`);


  let stack: StackProcess | null = null;
  let prom: RunningPrometheus | null = null;
  let network: NetworkSetup | null = null;
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
  };
  opts.signal?.addEventListener('abort', onAbort);
  let window = { start: Date.now() / 1000, end: Date.now() / 1000 };
  let k6ExitCode: number | null = null;
  let verdict: Verdict;
  let promUrl = opts.prometheus ?? '';
  // A second Ctrl-C ends the process at once: the folder still gets an inconclusive verdict.
  const verdictFile = path.join(runDir, 'verdict.json');
  const dropForced = onForcedExit(() => {
    if (existsSync(verdictFile)) return;
    const v = inconclusiveVerdict(plan, { window, interrupted: true, k6ExitCode, target: opts.target ?? 'embedded' }, 'interrupted twice: stopped at once, nothing was judged');
    writeFileAtomicSync(verdictFile, `${JSON.stringify(v, null, 2)}\n`);
  });
  try {
    if (!opts.target) {
      stack = await spawnStack({
        stack: plan.stack,
        scale: plan.scale,
        timeScale: plan.timeScale,
        triggersFile: planFile,
        ...(opts.autoscale !== undefined ? { autoscale: opts.autoscale } : {}),
        faults: opts.faults ?? [],
        onLog: log,
      });
      log(`embedded ${plan.stack} stack at ${stack.url}`);
    }
    const targetUrl = opts.target ?? stack?.url ?? '';
    network = await setupNetwork(profile.cohorts, targetUrl, log);
    plan = resolvePlan(profile, { ...base, ...overrides, targetUrl, cohortUrls: network.cohortUrls, networkPresets: presetNames() });
    plan.inputs = { ...plan.inputs, network: network.describe };
    await writeJson(planFile, plan);
    if (!opts.prometheus) {
      prom = await startPrometheus({
        bin: promBin!.path,
        targets: stack ? [{ job: 'stack', address: stack.address }] : [],
        scrapeIntervalSeconds: scrapeIntervalFor(plan.timeScale),
        log,
      });
      promUrl = prom.url;
    }
    const source = new PrometheusClient(promUrl, { allow });
    if (prom && stack) await waitForFirstScrape(source, 'stack', 20_000);
    await validateQueries(source, plan, mapping, mappingName, namespace);
    if (opts.signal?.aborted) throw new HarnessError('interrupted', 'interrupted before the load started');

    window = { start: Date.now() / 1000, end: Date.now() / 1000 };
    const run = startK6({
      bin: k6.path,
      script: scenario,
      planFile,
      runDir,
      runId,
      remoteWriteUrl: prom?.remoteWriteUrl ?? `${promUrl}/api/v1/write`,
      parallel: opts.parallel ?? 1,
      onLine: (l) => log(l),
    });
    const stopK6 = () => run.stop();
    opts.signal?.addEventListener('abort', stopK6);
    let stoppedAtBreak = false;
    const bpWatch = plan.breakpoint
      ? watchBreakpoint(source, plan, window.start, (slo) => {
          stoppedAtBreak = true;
          log(`breakpoint: ${slo} broke; stopping the ramp`);
          run.stop();
        })
      : null;
    const live = startLiveView(source, plan, { start: window.start, log, isTTY: Boolean(process.stderr.isTTY), scrapeIntervalSeconds: prom?.scrapeIntervalSeconds ?? 1, mapping, namespace });
    const watchdog = setInterval(() => {
      const info = stack?.exitInfo();
      if (info || (prom && !prom.alive())) {
        log(`a component stopped during the run (${info ? `stack: ${info}` : 'prometheus exited'}); stopping k6`);
        interrupted = true;
        run.stop();
      }
    }, 1000);
    const results = await run.done;
    clearInterval(watchdog);
    live.stop();
    bpWatch?.stop();
    opts.signal?.removeEventListener('abort', stopK6);
    window.end = Date.now() / 1000;
    k6ExitCode = results.every((r) => r.exitCode === 0) ? 0 : (results.find((r) => r.exitCode !== 0)?.exitCode ?? null);
    // Let the last remote-write push and one more scrape land.
    await new Promise((r) => setTimeout(r, 2500));
    const summary = await readSummaries(results.map((r) => r.summaryFile));
    try {
      verdict = await judgeRun(source, plan, {
        window,
        k6Summary: summary,
        k6ExitCode,
        interrupted,
        stoppedAtBreak,
        ...(stack ? { stackJob: 'stack' } : {}),
        scrapeIntervalSeconds: prom?.scrapeIntervalSeconds ?? 1,
        target: opts.target ?? 'embedded',
        judgeTriggers: (src, p, win) => judgeTriggers(src, p, { start: win.start, end: win.end + 2 }, { scrapeIntervalSeconds: prom?.scrapeIntervalSeconds ?? 1, mapping, namespace }),
      });
    } catch (err) {
      verdict = inconclusiveVerdict(plan, { window, interrupted, k6ExitCode, target: opts.target ?? 'embedded' }, `could not judge: ${(err as Error).message}`);
    }
    await publishResults(plan, verdict, {
      remoteWriteUrls: [prom?.remoteWriteUrl, opts.resultsUrl].filter((u): u is string => Boolean(u)),
      ...(opts.grafanaUrl ? { grafanaUrl: opts.grafanaUrl } : {}),
      ...(opts.grafanaToken ? { grafanaToken: opts.grafanaToken } : {}),
      log,
    });
    const files = await writeReports(runDir, plan, verdict, source, log);
    await opts.afterRun?.({ source, plan, verdict, runDir });
    return { plan, verdict, runDir, files: [planFile, ...files] };
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof ToolError && !stack && !prom) throw err;
    const reason = err instanceof HarnessError && err.kind === 'interrupted' ? err.message : `run failed: ${(err as Error).message}`;
    verdict = inconclusiveVerdict(plan, { window, interrupted: interrupted || opts.signal?.aborted === true, k6ExitCode, target: opts.target ?? 'embedded' }, reason);
    await writeJson(path.join(runDir, 'verdict.json'), verdict);
    if (err instanceof ToolError) throw err;
    return { plan, verdict, runDir, files: [planFile, path.join(runDir, 'verdict.json')] };
  } finally {
    dropForced();
    opts.signal?.removeEventListener('abort', onAbort);
    await network?.stop().catch(() => undefined);
    await prom?.stop().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
  }
}
