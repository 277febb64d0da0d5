/** `plan`: prints the capacity formula with its inputs, the per-service targets and the growth phases. */
import { formatHolidays, formatPlan } from '../plan/capacity-format.ts';
import { InputError } from '../errors.ts';
import { parse, year as yearFlag } from './args.ts';
import { FLAGS } from './flags.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS.plan);
  if (positionals.length) throw new InputError(`plan: takes no arguments (got ${positionals.join(' ')})`);
  const year = yearFlag(values) ?? new Date().getUTCFullYear();
  io.out(formatPlan());
  io.out(`\n${formatHolidays(year)}`);
  return EXIT.pass;
}
