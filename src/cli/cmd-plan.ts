/** `plan`: prints the capacity formula with its inputs, the per-service targets and the growth phases. */
import { formatPlan } from '../plan/capacity-format.ts';
import { holidaysFor } from '../plan/calendar.ts';
import { formatFleet } from '../k8s/fleet.ts';
import { parse, num } from './args.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { year: { type: 'string' } });
  io.out(formatPlan());
  io.out(`\n${formatFleet()}`);
  const year = num(values, 'year', { integer: true, positive: true }) ?? new Date().getUTCFullYear();
  io.out(`\nHolidays that move traffic in ${year} (Gregorian dates, East Africa Time)`);
  for (const h of holidaysFor(year)) io.out(`  ${h.date}${h.endDate ? `..${h.endDate}` : '          '}  ${h.name}`);
  return EXIT.pass;
}
