/**
 * `gate`: the nightly CI gate. A short, time-compressed suite (holiday spike, rural cohorts, a
 * soak slice) against the embedded stack or `--target`, each run compared with its baseline;
 * one JUnit file and one Markdown summary for the whole suite.
 */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { runSuite, type SuiteEntry } from '../run/suite.ts';
import { renderTable, useColor } from '../report/table.ts';
import { parse, list, str, num } from './args.ts';
import { exitForStatus } from './exit-codes.ts';
import type { Io } from './main.ts';
import { optional } from './cmd-run.ts';

export const GATE_PROFILES = ['spike', 'rural', 'soak'] as const;

export async function gateCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values } = parse(argv, {
    only: { type: 'string', multiple: true },
    baselines: { type: 'string' },
    'update-baseline': { type: 'boolean' },
    target: { type: 'string' },
    prometheus: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    fault: { type: 'string', multiple: true },
    'grafana-url': { type: 'string' },
    'results-url': { type: 'string' },
    parallel: { type: 'string' },
  });
  const only = list(values, 'only').flatMap((s) => s.split(','));
  for (const o of only) {
    if (!(GATE_PROFILES as readonly string[]).includes(o)) throw new InputError(`--only: unknown gate profile ${JSON.stringify(o)}; the gate runs ${GATE_PROFILES.join(', ')}`);
  }
  const names = only.length ? GATE_PROFILES.filter((p) => only.includes(p)) : [...GATE_PROFILES];
  const common = {
    quick: true,
    ...optional('target', str(values, 'target')),
    ...optional('prometheus', str(values, 'prometheus')),
    ...optional('grafanaUrl', str(values, 'grafana-url')),
    ...optional('grafanaToken', process.env.GRAFANA_TOKEN),
    ...optional('resultsUrl', str(values, 'results-url')),
    ...optional('parallel', num(values, 'parallel', { positive: true, integer: true })),
    allowHosts: list(values, 'allow-host'),
    faults: list(values, 'fault'),
  };
  const entries: SuiteEntry[] = names.map((name) => ({ name, options: { profile: name, ...common } }));
  const suite = await runSuite({
    name: 'gate',
    entries,
    baselines: true,
    ...optional('baselinesDir', str(values, 'baselines') ? path.resolve(str(values, 'baselines')!) : undefined),
    updateBaseline: values['update-baseline'] === true,
    ...(signal ? { signal } : {}),
    log: (l) => io.err(l),
  });
  for (const r of suite.runs) io.out(renderTable({ plan: r.result.plan, verdict: r.result.verdict, baseline: r.baseline }, { color: useColor() }));
  for (const n of suite.notes) io.out(`note: ${n}`);
  io.out(`gate: ${suite.status.toUpperCase()}  (${suite.runs.length}/${entries.length} runs; JUnit ${path.relative(process.cwd(), suite.files[0]!)})`);
  return exitForStatus(suite.status, suite.interrupted);
}
