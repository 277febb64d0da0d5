/** The text `npm run plan` prints: the capacity formula with its numbers, targets and phases. */
import { builtInStack } from '../stack/stacks.ts';
import { MEQENET_CAPACITY_PLAN, RELOOP_PHASE_PLAN } from '../../profiles/capacity.ts';
import {
  CapacityPlanSchema,
  SAFETY_RANGE,
  futureCapacity,
  serviceTargets,
  type CapacityPlanInput,
} from './capacity.ts';
import { parseInput } from '../errors.ts';
import { PhasePlanSchema, phaseTargets, type PhasePlanInput } from './phases.ts';
import { BUSY_WINDOWS, HOLIDAYS } from '../../profiles/holidays.ts';
import { holidaysFor } from './calendar.ts';

/** The text `npm run plan` prints: the capacity formula and, unless null, the growth phases. */
export function formatPlan(
  plan: CapacityPlanInput = MEQENET_CAPACITY_PLAN,
  phases: PhasePlanInput | null = RELOOP_PHASE_PLAN,
): string {
  const p = parseInput(CapacityPlanSchema, plan, 'capacity plan');
  const f = futureCapacity(p.inputs);
  const i = f.inputs;
  const journeys = builtInStack(p.stack).journeys;
  const cols = [
    ['current', i.currentPeakRps],
    ['holiday (x seasonal)', i.currentPeakRps * i.seasonalFactor],
    ['future', f.rate],
  ] as const;
  const splits = cols.map(([, rate]) => serviceTargets(rate, p.mix, journeys));
  const cell = (t: { reqPerSec: number; itersPerSec: number }) => `${n(t.reqPerSec)} (${n(t.itersPerSec)} it/s)`;
  const growth = f.factors.find((x) => x.key === 'growth')?.value ?? 1;
  const rest = `${i.seasonalFactor} x ${i.featureInteractionFactor} x ${i.safetyFactor}`;
  const out = [
    `Capacity plan: ${p.stack} (${p.source})`,
    '',
    'Inputs',
    ...table([
      ['  current peak', `${n(i.currentPeakRps)} req/s at the gateway`],
      ['  daily active users', i.dailyActiveUsers === undefined ? '-' : n(i.dailyActiveUsers)],
      ['  monthly growth', `${n(i.monthlyGrowth * 100)} % a month`],
      ['  horizon', `${i.months} months`],
      ['  seasonal factor', n(i.seasonalFactor)],
      ['  feature interaction', n(i.featureInteractionFactor)],
      ['  safety factor', `${n(i.safetyFactor)} (plan: ${SAFETY_RANGE[0]}.0-${SAFETY_RANGE[1]}.0)`],
    ]),
    '',
    'Formula',
    '  Future Capacity = Current Peak x (1 + monthly growth)^months x Seasonal x Feature Interaction x Safety',
    `                  = ${n(i.currentPeakRps)} x (1 + ${i.monthlyGrowth})^${i.months} x ${rest}`,
    `                  = ${n(i.currentPeakRps)} x ${n(growth, 4)} x ${rest}`,
    `                  = ${n(f.rate)} req/s`,
    '',
    'Targets by service, req/s (iterations/s)',
    ...table([
      ['  service', ...cols.map(([label]) => label)],
      ...Object.keys(splits[0]?.services ?? {}).map((svc) => [
        `  ${svc}`,
        ...splits.map((s) => cell(s.services[svc] ?? zero)),
      ]),
    ]),
    '',
    'Targets by journey, req/s (iterations/s)',
    ...table([
      ['  journey', 'service', 'share', 'req/iter', ...cols.map(([label]) => label)],
      ...Object.values(splits[0]?.journeys ?? {}).map((j) => [
        `  ${j.journey}`,
        j.service,
        `${n(j.share * 100)} %`,
        String(j.requestsPerIteration),
        ...splits.map((s) => cell(s.journeys[j.journey] ?? zero)),
      ]),
    ]),
  ];
  if (f.warnings.length > 0) out.push('', 'Warnings', ...f.warnings.map((w) => `  - ${w}`));
  if (phases) out.push('', ...formatPhases(phases));
  return out.join('\n');
}

function formatPhases(phases: PhasePlanInput): string[] {
  const pp = parseInput(PhasePlanSchema, phases, 'phase plan');
  const c = pp.conversion;
  const journeys = builtInStack(pp.stack).journeys;
  return [
    `Growth phases: ${pp.stack} (${pp.source})`,
    `  users -> req/s: users x ${n(c.peakConcurrentShare * 100)} % in the app at the daily peak` +
      ` x ${n(c.requestsPerUserPerMinute)} req/user/min / 60`,
    '  each phase is sized for its upper end; an open-ended phase for its start',
    '',
    ...table([
      ['  phase', 'months', 'users', 'sized for', 'concurrent', 'target req/s', 'by service', 'resources (plan)'],
      ...phaseTargets(pp).map((t) => {
        const split = serviceTargets(t.rate, pp.mix, journeys);
        const r = t.resources;
        return [
          `  ${t.id}`,
          t.months,
          t.usersTo === null ? `${n(t.usersFrom)}+` : `${n(t.usersFrom)}-${n(t.usersTo)}`,
          `${n(t.designUsers)}${t.openEnded ? ' (open)' : ''}`,
          n(t.peakConcurrentUsers),
          `${n(t.entryRate)} -> ${n(t.rate)}`,
          Object.values(split.services).map((s) => `${s.service} ${n(s.reqPerSec)}`).join(', '),
          `${r.servers} server(s); ${r.cpu}; ${r.memory}; ${r.storage}; ${r.bandwidth}`,
        ];
      }),
    ]),
  ];
}

/** The holidays of one Gregorian year with their kind, day shape and the window a spike runs. */
export function formatHolidays(year: number): string {
  return [
    `Holidays that move traffic in ${year} (Gregorian dates, East Africa Time)`,
    ...table([
      ['  date', 'holiday', 'kind', 'day shape (spike window, EAT)'],
      ...holidaysFor(year).map((h) => {
        const shape = HOLIDAYS[h.id].shape;
        const w = BUSY_WINDOWS[shape];
        return [`  ${h.date}${h.endDate ? `..${h.endDate}` : ''}`, h.name, h.kind, `${shape} (${w.from}-${w.to})`];
      }),
    ]),
  ].join('\n');
}

const zero = { reqPerSec: 0, itersPerSec: 0 };

function n(x: number, digits = 1): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Left-aligned columns separated by two spaces. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, k) => (widths[k] = Math.max(widths[k] ?? 0, c.length)));
  return rows.map((row) => row.map((c, k) => (k === row.length - 1 ? c : c.padEnd(widths[k] ?? 0))).join('  ').trimEnd());
}

/** Validates with zod; one InputError line per issue, naming the key and the value. */
