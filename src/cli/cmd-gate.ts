/**
 * `gate`: the nightly CI gate. A short, time-compressed suite (holiday spike, rural cohorts, a
 * soak slice) against the embedded stack or `--target`, each run compared with its baseline;
 * one JUnit file and one Markdown summary for the whole suite. With `--engine k6-operator` each
 * run is a TestRun on the cluster.
 */
import path from 'node:path';
import { InputError } from '../errors.ts';
import type { Plan } from '../plan/types.ts';
import { runSuite, type SuiteEntry } from '../run/suite.ts';
import { renderTable, useColor } from '../report/table.ts';
import { RUNS_DIR } from '../util/paths.ts';
import { parse, list, str, optional, parallel } from './args.ts';
import { exitForStatus } from './exit-codes.ts';
import { FLAGS } from './flags.ts';
import { checkFaultTriggers, checkPlan, checkUrl, CommandLock } from './guard.ts';
import { faultTargets } from '../stack/faults.ts';
import { loadProfile } from '../plan/load.ts';
import type { Io } from './main.ts';
import { suiteEngine, suiteMapping } from './cmd-operator.ts';

export const GATE_PROFILES = ['spike', 'rural', 'soak'] as const;

export async function gateCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS.gate);
  if (positionals.length) throw new InputError(`gate: takes no profile (got ${positionals.join(' ')}); use --only NAME`);
  const only = list(values, 'only').flatMap((s) => s.split(','));
  for (const o of only) {
    if (!(GATE_PROFILES as readonly string[]).includes(o)) throw new InputError(`--only: unknown gate profile ${JSON.stringify(o)}; the gate runs ${GATE_PROFILES.join(', ')}`);
  }
  const names = only.length ? GATE_PROFILES.filter((p) => only.includes(p)) : [...GATE_PROFILES];
  const faults = list(values, 'fault');
  for (const name of names) {
    const loaded = await loadProfile(name);
    checkFaultTriggers(faults, loaded.profile.stack, faultTargets(loaded.stack, loaded.profile.cohorts));
  }
  for (const f of ['target', 'prometheus', 'grafana-url', 'results-url']) checkUrl(`--${f}`, str(values, f));
  const engine = await suiteEngine(values, 'gate', names, io);
  const common = {
    ...suiteMapping(values),
    quick: true,
    ...optional('target', str(values, 'target')),
    ...optional('prometheus', str(values, 'prometheus')),
    ...optional('grafanaUrl', str(values, 'grafana-url')),
    ...optional('grafanaToken', process.env.GRAFANA_TOKEN),
    ...optional('resultsUrl', str(values, 'results-url')),
    ...optional('parallel', parallel(values)),
    allowHosts: list(values, 'allow-host'),
    faults,
    onPrepared: (plan: Plan) => checkPlan(plan, faults),
  };
  const entries: SuiteEntry[] = names.map((name) => ({ name, options: { profile: name, ...common } }));
  const lock = new CommandLock(['gate', ...argv].join(' '), values['allow-concurrent'] === true, io.err);
  await lock.acquire(RUNS_DIR);
  let suite: Awaited<ReturnType<typeof runSuite>>;
  try {
    suite = await runSuite({
      name: 'gate',
      entries,
      baselines: true,
      ...optional('baselinesDir', str(values, 'baselines') ? path.resolve(str(values, 'baselines')!) : undefined),
      updateBaseline: values['update-baseline'] === true,
      ...engine,
      ...(signal ? { signal } : {}),
      log: (l) => io.err(l),
    });
    for (const r of suite.runs) await lock.note(r.result.runDir, r.result.verdict);
  } finally {
    lock.release();
  }
  for (const r of suite.runs) io.out(renderTable({ plan: r.result.plan, verdict: r.result.verdict, baseline: r.baseline }, { color: useColor() }));
  for (const n of suite.notes) io.out(`note: ${n}`);
  io.out(`gate: ${suite.status.toUpperCase()}  (${suite.runs.length}/${entries.length} runs; JUnit ${path.relative(process.cwd(), suite.files[0]!)})`);
  return exitForStatus(suite.status, suite.interrupted);
}
