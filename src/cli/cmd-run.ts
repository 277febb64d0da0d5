/** `run <profile>`: one load run against the embedded stack or a target. */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { runProfile } from '../run/index.ts';
import { renderTable, useColor } from '../report/table.ts';
import { RUN_FLAGS, duration, list, num, parse, str } from './args.ts';
import { exitForStatus } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function runCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  if (argv.some((a) => a === '--engine' || a.startsWith('--engine='))) return (await import('./cmd-operator.ts')).operatorRunCommand(argv, io, signal);
  const { values, positionals } = parse(argv, RUN_FLAGS);
  const profile = positionals[0];
  if (!profile) throw new InputError('run: name a profile, e.g. `run spike` (profiles/*.ts) or a path to a profile file');
  if (positionals.length > 1) throw new InputError(`run: one profile at a time (got ${positionals.join(' ')})`);
  const year = num(values, 'year', { integer: true, positive: true });
  const holidayName = str(values, 'holiday');
  if (year !== undefined && holidayName === undefined) throw new InputError(`--year: goes with --holiday NAME (got ${year})`);
  const result = await runProfile({
    profile,
    ...(holidayName !== undefined ? { holiday: { name: holidayName, year: year ?? new Date().getUTCFullYear() } } : {}),
    quick: values.quick === true,
    ...optional('durationSeconds', duration(values, 'duration')),
    ...optional('scale', num(values, 'scale', { positive: true })),
    ...optional('timeScale', num(values, 'time-scale', { positive: true })),
    ...optional('target', str(values, 'target')),
    ...optional('prometheus', str(values, 'prometheus')),
    ...optional('mapping', str(values, 'mapping')),
    ...optional('namespace', str(values, 'namespace')),
    ...optional('parallel', num(values, 'parallel', { positive: true, integer: true })),
    allowHosts: list(values, 'allow-host'),
    faults: list(values, 'fault'),
    ...(values['no-autoscale'] ? { autoscale: false } : {}),
    ...optional('grafanaUrl', str(values, 'grafana-url')),
    ...optional('grafanaToken', process.env.GRAFANA_TOKEN),
    ...optional('resultsUrl', str(values, 'results-url')),
    ...optional('containers', values.containers === true ? true : values['no-containers'] === true ? false : undefined),
    ...(signal ? { signal } : {}),
    log: (l) => io.err(l),
  });
  io.out(renderTable({ plan: result.plan, verdict: result.verdict }, { color: useColor() }));
  io.out(`run folder: ${path.relative(process.cwd(), result.runDir) || result.runDir}`);
  return exitForStatus(result.verdict.status, result.verdict.interrupted || signal?.aborted === true);
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
