/**
 * `--engine k6-operator`: `run <profile>` as a k6-operator TestRun on a cluster
 * (src/k8s/run.ts), judged from Prometheus like `judge`; `gate` and `signoff` run each of their
 * runs the same way (src/k8s/suite-runner.ts).
 */
import path from 'node:path';
import { resolveMapping } from '../../profiles/targets.ts';
import { InputError } from '../errors.ts';
import type { EngineSettings } from '../k8s/suite-runner.ts';
import type { RunOptions, RunOutcome } from '../run/options.ts';
import { renderTable, useColor } from '../report/table.ts';
import { duration, list, num, optional, parse, str, type Flags } from './args.ts';
import { planShape } from './cmd-judge.ts';
import { OPERATOR_FLAGS } from './flags.ts';
import { exitForStatus } from './exit-codes.ts';
import type { Io } from './main.ts';

/** The engine's settings from `--engine k6-operator` and its flags; null without `--engine`. */
export function engineSettings(values: Flags, command: string): EngineSettings | null {
  const engine = str(values, 'engine');
  if (engine === undefined) {
    for (const f of ['kubeconfig', 'context', 'remote-write-url', 'per-runner-rps', 'image', 'start-timeout']) {
      if (values[f] !== undefined) throw new InputError(`--${f}: goes with --engine k6-operator`);
    }
    return null;
  }
  if (engine !== 'k6-operator') throw new InputError(`--engine: must be k6-operator or left out (got ${JSON.stringify(engine)})`);
  const target = str(values, 'target');
  const prometheus = str(values, 'prometheus');
  if (!target || !prometheus) throw new InputError(`${command} --engine k6-operator: needs --target URL (as the runner pods reach it) and --prometheus URL`);
  for (const f of ['parallel', 'fault']) {
    if (values[f] !== undefined) throw new InputError(`--${f}: does not go with --engine k6-operator (the operator splits the load; faults break the embedded autoscaler only)`);
  }
  const startTimeout = duration(values, 'start-timeout');
  return {
    target,
    prometheus,
    ...optional('kubeconfig', str(values, 'kubeconfig')),
    ...optional('context', str(values, 'context')),
    ...optional('namespace', str(values, 'namespace')),
    ...optional('mapping', str(values, 'mapping')),
    ...optional('queueNamespace', str(values, 'queue-namespace')),
    ...optional('remoteWriteUrl', str(values, 'remote-write-url')),
    ...optional('perRunnerRps', num(values, 'per-runner-rps', { min: 0, above: true })),
    ...optional('image', str(values, 'image')),
    ...optional('startTimeoutMs', startTimeout === undefined ? undefined : startTimeout * 1000),
    allowHosts: list(values, 'allow-host'),
  };
}

export async function operatorRunCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, OPERATOR_FLAGS);
  const engine = engineSettings(values, 'run');
  const profile = positionals[0];
  if (!engine || !profile || positionals.length > 1) throw new InputError('run: name one profile, e.g. `run peak --engine k6-operator --target URL --prometheus URL`');
  const { runOnKubernetes } = await import('../k8s/run.ts');
  const result = await runOnKubernetes({
    ...engine,
    ...planShape(values),
    profile,
    ...(signal ? { signal } : {}),
    log: (l) => io.err(l),
  });
  io.out(renderTable({ plan: result.plan, verdict: result.verdict }, { color: useColor() }));
  io.out(`run folder: ${path.relative(process.cwd(), result.runDir) || result.runDir}`);
  return exitForStatus(result.verdict.status, signal?.aborted === true);
}

/**
 * `gate`/`signoff --engine k6-operator`: the suite's runner for `runSuite` (nothing without
 * `--engine`), checked before anything starts.
 */
export async function suiteEngine(values: Flags, command: string, profiles: string[], io: Io): Promise<{ runner?: (o: RunOptions) => Promise<RunOutcome> }> {
  const engine = engineSettings(values, command);
  if (!engine) return {};
  const { checkSuiteOnEngine, operatorSuiteRunner } = await import('../k8s/suite-runner.ts');
  await checkSuiteOnEngine(profiles, engine, (l) => io.err(l));
  return { runner: operatorSuiteRunner(engine) };
}

/** `--mapping`, `--namespace`, `--queue-namespace` for a suite's runs on `--target`. */
export function suiteMapping(values: Flags) {
  // Checked now: a bad value must not wait for the suite's first run.
  resolveMapping(str(values, 'mapping') ?? 'kubernetes', str(values, 'queue-namespace'));
  return {
    ...optional('mapping', str(values, 'mapping')),
    ...optional('namespace', str(values, 'namespace')),
    ...optional('queueNamespace', str(values, 'queue-namespace')),
  };
}
