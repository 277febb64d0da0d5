/**
 * The runner fleet for the plan's rates on k6-operator: runner pods and their resources for the
 * current peak, the holiday surge and the future capacity target, from the bench's per-runner
 * figure (PER_RUNNER_RPS).
 */
import { capacityTargetRate } from '../plan/capacity.ts';
import { PER_RUNNER_RPS, RUNNER_RESOURCES, runnersFor } from './archive.ts';

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

export function formatFleet(perRunnerRps = PER_RUNNER_RPS): string {
  const rows = [
    ['peak (current)', capacityTargetRate('current')],
    ['holiday surge', capacityTargetRate('seasonal')],
    ['future target', capacityTargetRate('future')],
  ] as const;
  const lines = [
    `k6-operator runners (--engine k6-operator), at ${fmt(perRunnerRps)} req/s per runner (bench/results/latest.md, a 2-core machine)`,
    '  rate             req/s    runners  per runner                 fleet',
  ];
  for (const [name, rate] of rows) {
    const n = runnersFor(rate, perRunnerRps);
    const per = `${RUNNER_RESOURCES.cpu} cores, ${RUNNER_RESOURCES.memory}, ${fmt(rate / n)} req/s`;
    const cores = n * Number(RUNNER_RESOURCES.cpu);
    lines.push(`  ${name.padEnd(16)} ${fmt(rate).padStart(6)}  ${String(n).padStart(7)}  ${per.padEnd(26)} ${cores} cores`);
  }
  return lines.join('\n');
}
