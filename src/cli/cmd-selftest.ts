/**
 * `selftest`: runs the fault matrix (src/selftest) and prints the confusion matrix. Exit 1 on
 * any miss, wrong detection or false alarm; 3 when a case could not be judged (harness
 * trouble) and nothing failed; 130 when interrupted.
 */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { runSelftest, selectCases } from '../selftest/index.ts';
import { confusionTable } from '../selftest/report.ts';
import { resolveFaults } from '../selftest/run-case.ts';
import { list, optional, parse, str } from './args.ts';
import { EXIT, exitForStatus } from './exit-codes.ts';
import { FLAGS } from './flags.ts';
import type { Io } from './main.ts';

export async function selftestCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS.selftest);
  if (positionals.length) throw new InputError(`selftest: takes no profile (got ${positionals.join(' ')}); use --only ID or --matrix FILE`);
  const only = list(values, 'only').flatMap((s) => s.split(',')).filter(Boolean);
  const opts = { quick: values.quick === true, ...optional('matrixFile', str(values, 'matrix')), ...(only.length ? { only } : {}) };
  if (values.list === true) {
    for (const c of await selectCases(opts)) {
      const faults = await resolveFaults(c);
      const expect = c.expect === 'pass' ? 'pass' : `${c.expect.row} ${c.expect.outcome}`;
      io.out(`${c.id.padEnd(40)} ${c.profile.padEnd(34)} ${[...faults, ...(c.noAutoscale ? ['--no-autoscale'] : [])].join(' ').padEnd(44)} -> ${expect}`);
    }
    return EXIT.pass;
  }
  const r = await runSelftest({ ...opts, ...optional('outDir', str(values, 'out')), ...(signal ? { signal } : {}), log: (l) => io.err(l) });
  io.out(confusionTable(r).join('\n'));
  for (const c of r.cases.filter((x) => x.cell !== 'detected' && x.cell !== 'passed')) io.out(`${c.cell}: ${c.case.id}: ${c.detail}`);
  io.out(`selftest: ${r.status.toUpperCase()}  (${r.cases.length} cases; ${path.relative(process.cwd(), r.files[0]!) || r.files[0]}, JUnit ${path.relative(process.cwd(), r.files[1]!) || r.files[1]})`);
  return exitForStatus(r.status, r.interrupted);
}
