/** `plan`: prints the capacity formula with its inputs, the per-service targets and the growth phases. */
import { formatHolidays, formatPlan } from '../plan/capacity-format.ts';
import { parse, num } from './args.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { year: { type: 'string' } });
  io.out(formatPlan());
  const year = num(values, 'year', { integer: true, positive: true }) ?? new Date().getUTCFullYear();
  io.out(`\n${formatHolidays(year)}`);
  return EXIT.pass;
}
