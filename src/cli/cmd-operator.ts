/**
 * `run <profile> --engine k6-operator`: the run as a k6-operator TestRun on a cluster
 * (src/k8s/run.ts), judged from Prometheus like `judge`.
 */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { runOnKubernetes } from '../k8s/run.ts';
import { renderTable, useColor } from '../report/table.ts';
import { duration, num, optional, parse, str } from './args.ts';
import { planShape } from './cmd-judge.ts';
import { OPERATOR_FLAGS } from './flags.ts';
import { exitForStatus } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function operatorRunCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, OPERATOR_FLAGS);
  if (str(values, 'engine') !== 'k6-operator') throw new InputError(`--engine: must be k6-operator or left out (got ${JSON.stringify(str(values, 'engine'))})`);
  const profile = positionals[0];
  if (!profile || positionals.length > 1) throw new InputError('run: name one profile, e.g. `run peak --engine k6-operator --target URL --prometheus URL`');
  const target = str(values, 'target');
  const prometheus = str(values, 'prometheus');
  if (!target || !prometheus) throw new InputError('--engine k6-operator: needs --target URL (as the runner pods reach it) and --prometheus URL');
  const startTimeout = duration(values, 'start-timeout');
  const result = await runOnKubernetes({
    profile,
    target,
    prometheus,
    ...optional('kubeconfig', str(values, 'kubeconfig')),
    ...optional('context', str(values, 'context')),
    ...optional('remoteWriteUrl', str(values, 'remote-write-url')),
    ...optional('perRunnerRps', num(values, 'per-runner-rps', { min: 0, above: true })),
    ...optional('image', str(values, 'image')),
    ...optional('startTimeoutMs', startTimeout === undefined ? undefined : startTimeout * 1000),
    ...planShape(values),
    ...(signal ? { signal } : {}),
    log: (l) => io.err(l),
  });
  io.out(renderTable({ plan: result.plan, verdict: result.verdict }, { color: useColor() }));
  io.out(`run folder: ${path.relative(process.cwd(), result.runDir) || result.runDir}`);
  return exitForStatus(result.verdict.status, signal?.aborted === true);
}
