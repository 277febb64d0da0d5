/** `run <profile>`: one load run against the embedded stack or a target. */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { runProfile } from '../run/index.ts';
import { renderTable, useColor } from '../report/table.ts';
import { resolveMapping } from '../../profiles/targets.ts';
import { RUNS_DIR } from '../util/paths.ts';
import { duration, list, num, optional, parallel, parse, str, year as yearFlag } from './args.ts';
import { exitForVerdict } from './exit-codes.ts';
import { FLAGS } from './flags.ts';
import { checkPlan, checkUrl, CommandLock, MAX_SCALE, MAX_TIME_SCALE, parseFaults } from './guard.ts';
import type { Io } from './main.ts';

export async function runCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  if (argv.some((a) => a === '--engine' || a.startsWith('--engine='))) return (await import('./cmd-operator.ts')).operatorRunCommand(argv, io, signal);
  const { values, positionals } = parse(argv, FLAGS.run);
  const profile = positionals[0];
  if (!profile) throw new InputError('run: name a profile, e.g. `run spike` (profiles/runs/*.ts) or a path to a profile file');
  if (positionals.length > 1) throw new InputError(`run: one profile at a time (got ${positionals.join(' ')})`);
  const year = yearFlag(values);
  const holidayName = str(values, 'holiday');
  if (year !== undefined && holidayName === undefined) throw new InputError(`--year: goes with --holiday NAME (got ${year})`);
  const faults = list(values, 'fault');
  parseFaults(faults);
  for (const f of ['target', 'prometheus', 'grafana-url', 'results-url']) checkUrl(`--${f}`, str(values, f));
  const mapping = str(values, 'mapping');
  resolveMapping(mapping ?? 'kubernetes', str(values, 'queue-namespace'));
  const timeScale = num(values, 'time-scale', { min: 0, above: true, max: MAX_TIME_SCALE });
  const durationSeconds = duration(values, 'duration');
  const lock = new CommandLock(['run', ...argv].join(' '), values['allow-concurrent'] === true, io.err);
  try {
    const result = await runProfile({
      profile,
      ...(holidayName !== undefined ? { holiday: { name: holidayName, year: year ?? new Date().getUTCFullYear() } } : {}),
      quick: values.quick === true,
      ...optional('durationSeconds', durationSeconds),
      ...optional('scale', num(values, 'scale', { min: 0, above: true, max: MAX_SCALE })),
      ...optional('timeScale', timeScale),
      ...optional('target', str(values, 'target')),
      ...optional('prometheus', str(values, 'prometheus')),
      ...optional('mapping', mapping),
      ...optional('namespace', str(values, 'namespace')),
      ...optional('queueNamespace', str(values, 'queue-namespace')),
      ...optional('parallel', parallel(values)),
      allowHosts: list(values, 'allow-host'),
      faults,
      ...(values['no-autoscale'] ? { autoscale: false } : {}),
      ...optional('grafanaUrl', str(values, 'grafana-url')),
      ...optional('grafanaToken', process.env.GRAFANA_TOKEN),
      ...optional('resultsUrl', str(values, 'results-url')),
      ...optional('containers', values.containers === true ? true : values['no-containers'] === true ? false : undefined),
      onPrepared: async (plan) => {
        await checkPlan(plan, faults, { timeScale: timeScale !== undefined, duration: durationSeconds !== undefined });
        await lock.acquire(RUNS_DIR, plan);
      },
      ...(signal ? { signal } : {}),
      log: (l) => io.err(l),
    });
    await lock.note(result.runDir, result.verdict);
    io.out(renderTable({ plan: result.plan, verdict: result.verdict }, { color: useColor() }));
    io.out(`run folder: ${path.relative(process.cwd(), result.runDir) || result.runDir}`);
    return exitForVerdict(result.verdict, signal?.aborted === true);
  } finally {
    lock.release();
  }
}
