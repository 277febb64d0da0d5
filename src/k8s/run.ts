/**
 * A run on k6-operator, end to end: resolve the plan for the target, pack it with `k6 archive`,
 * run the TestRun (src/k8s/operator.ts), then judge the run's window from Prometheus with
 * `judge` into the same run folder `run` writes (plus operator.json: stages, runners, what was
 * created and deleted). An operator or runner failure, a time-out or Ctrl-C makes the verdict
 * inconclusive with the reason.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { judgeExternal, type JudgeResult } from '../judge/index.ts';
import { PrometheusClient } from '../metrics/client.ts';
import { loadProfile } from '../plan/load.ts';
import { resolvePlan } from '../plan/resolve.ts';
import { ensureTool } from '../tools/index.ts';
import { assertAllowed, DEFAULT_ALLOW } from '../util/net.ts';
import { RUNS_DIR, SCENARIOS_DIR } from '../util/paths.ts';
import { newRunId } from '../run/run-id.ts';
import { k6Archive } from './archive.ts';
import { connect, type Kube, type KubeOptions } from './client.ts';
import { runOnOperator, type OperatorRunResult } from './operator.ts';

export interface OperatorEngineOptions extends KubeOptions {
  profile: string;
  /** The system under test as the runner pods reach it. */
  target: string;
  /** Prometheus the harness queries, and where the runners remote-write (as the pods reach it). */
  prometheus: string;
  remoteWriteUrl?: string;
  quick?: boolean;
  scale?: number;
  timeScale?: number;
  durationSeconds?: number;
  mapping?: string;
  /** Namespace of the queue exporter when not the target's (e.g. a Kafka exporter in `kafka`). */
  queueNamespace?: string;
  /** Replaces the profile's stages (the sign-off's peak at the capacity target). */
  stagesOverride?: { startRate: number; stages: Array<{ duration: number; target: number }> };
  /** Extra inputs recorded in the plan. */
  inputs?: Record<string, unknown>;
  perRunnerRps?: number;
  image?: string;
  startTimeoutMs?: number;
  allowHosts?: string[];
  runsDir?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * The engine's input, checked before anything is created or written: hosts allowed, the
 * kubeconfig readable, Prometheus answering (without it the run could not be judged).
 */
export async function checkEngine(o: Omit<OperatorEngineOptions, 'profile'>): Promise<Kube> {
  const allow = [...DEFAULT_ALLOW, ...(o.allowHosts ?? [])];
  assertAllowed(o.target, allow, '--target');
  assertAllowed(o.prometheus, allow, '--prometheus');
  const kube = connect(o);
  await new PrometheusClient(o.prometheus, { allow }).query('vector(1)').catch((err: Error) => {
    throw new InputError(`--prometheus: ${o.prometheus} does not answer queries (${err.message})`);
  });
  return kube;
}

export async function runOnKubernetes(o: OperatorEngineOptions): Promise<JudgeResult & { operator: OperatorRunResult }> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const loaded = await loadProfile(o.profile);
  const runId = newRunId(loaded.profile.name);
  const profile = o.stagesOverride ? { ...loaded.profile, ...o.stagesOverride } : loaded.profile;
  const plan = resolvePlan(profile, {
    runId,
    file: loaded.file,
    targetUrl: o.target,
    ...(o.quick !== undefined ? { quick: o.quick } : {}),
    ...(o.scale !== undefined ? { scale: o.scale } : {}),
    ...(o.timeScale !== undefined ? { timeScale: o.timeScale } : {}),
    ...(o.durationSeconds !== undefined ? { durationSeconds: o.durationSeconds } : {}),
    inputs: { ...o.inputs, engine: 'k6-operator' },
  });
  if (loaded.profile.cohorts.some((c) => c.network !== 'direct')) {
    throw new InputError(`${loaded.file}: cohorts: network presets need Toxiproxy next to k6, which runner pods do not have; use direct cohorts with --engine k6-operator`);
  }
  const kube = await checkEngine(o);
  const k6 = await ensureTool('k6', { log });
  const runDir = path.join(o.runsDir ?? RUNS_DIR, runId);
  await mkdir(runDir, { recursive: true });
  const planFile = path.join(runDir, 'plan.json');
  await writeFile(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const scenario = path.join(SCENARIOS_DIR, `${loaded.profile.scenario ?? loaded.profile.name}.ts`);
  const archive = await k6Archive(k6.path, scenario, planFile, runDir);
  log(`run ${runId}: k6 archive of ${path.basename(scenario)} with its plan, ${archive.byteLength} bytes`);
  const operator = await runOnOperator({
    kube,
    plan,
    archive,
    remoteWriteUrl: o.remoteWriteUrl ?? `${o.prometheus.replace(/\/+$/, '')}/api/v1/write`,
    ...(o.perRunnerRps !== undefined ? { perRunnerRps: o.perRunnerRps } : {}),
    ...(o.image ? { image: o.image } : {}),
    ...(o.startTimeoutMs !== undefined ? { startTimeoutMs: o.startTimeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    log,
  });
  await writeFile(path.join(runDir, 'operator.json'), `${JSON.stringify(operator, null, 2)}\n`);
  const judged = await judgeExternal({
    profile: o.profile,
    testid: runId,
    prometheus: o.prometheus,
    planFile,
    // Nothing created, nothing started: the window is looked for in the run's own series.
    ...(operator.window.end > operator.window.start ? { from: operator.window.start, to: operator.window.end } : {}),
    ...(o.mapping ? { mapping: o.mapping } : {}),
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(o.queueNamespace ? { queueNamespace: o.queueNamespace } : {}),
    ...(o.allowHosts ? { allowHosts: o.allowHosts } : {}),
    ...(operator.outcome !== 'finished' ? { inconclusiveBecause: `k6-operator: ${operator.outcome}: ${operator.reason}` } : {}),
    runsDir: path.dirname(runDir),
    log,
  });
  return { ...judged, operator };
}
