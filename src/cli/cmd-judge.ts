/** `judge --profile P --testid ID --prometheus URL`: the verdict of a run something else produced. */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { judgeExternal } from '../judge/index.ts';
import { parseTime } from '../judge/window.ts';
import { renderTable, useColor } from '../report/table.ts';
import { duration, list, num, optional, parse, str, type Flags } from './args.ts';
import { FLAGS } from './flags.ts';
import { exitForStatus } from './exit-codes.ts';
import { MAX_SCALE, MAX_TIME_SCALE } from './guard.ts';
import type { Io } from './main.ts';

/** The plan-shaping options shared with `run --engine k6-operator`. */
export function planShape(values: Flags) {
  return {
    ...optional('mapping', str(values, 'mapping')),
    ...optional('namespace', str(values, 'namespace')),
    ...optional('queueNamespace', str(values, 'queue-namespace')),
    ...(values.quick === true ? { quick: true } : {}),
    ...optional('durationSeconds', duration(values, 'duration')),
    ...optional('scale', num(values, 'scale', { min: 0, above: true, max: MAX_SCALE })),
    ...optional('timeScale', num(values, 'time-scale', { min: 0, above: true, max: MAX_TIME_SCALE })),
    allowHosts: list(values, 'allow-host'),
  };
}

function time(values: Flags, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const t = parseTime(raw);
  if (t === null) throw new InputError(`--${name}: must be seconds since the epoch or an ISO 8601 time such as 2026-11-30T21:00:00Z (got ${JSON.stringify(raw)})`);
  return t;
}

function required(values: Flags, name: string): string {
  const v = str(values, name);
  if (!v) throw new InputError(`judge: --${name} is required (judge --profile NAME --testid ID --prometheus URL)`);
  return v;
}

export async function judgeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS.judge);
  if (positionals.length > 0) throw new InputError(`judge: takes flags only (got ${positionals.join(' ')})`);
  const result = await judgeExternal({
    profile: required(values, 'profile'),
    testid: required(values, 'testid'),
    prometheus: required(values, 'prometheus'),
    ...optional('planFile', str(values, 'plan')),
    ...optional('from', time(values, 'from')),
    ...optional('to', time(values, 'to')),
    ...optional('stackJob', str(values, 'stack-job')),
    summaries: list(values, 'summary'),
    ...planShape(values),
    log: (l) => io.err(l),
  });
  io.out(renderTable({ plan: result.plan, verdict: result.verdict }, { color: useColor() }));
  io.out(`run folder: ${path.relative(process.cwd(), result.runDir) || result.runDir}`);
  return exitForStatus(result.verdict.status, false);
}
