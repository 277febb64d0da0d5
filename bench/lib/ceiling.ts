/**
 * The ceiling of the cheapest pair on this machine: a minimal k6 script (one `http.get`, no
 * checks, no tags) against the stack's `/health` (no modeled service time), at rising constant
 * rates of SECONDS each, one fresh stack. A rate is sustained when k6 dropped under 0.5 % of
 * its iterations and completed at least 99 % of the requests asked for. The harness's own
 * highest sustained rate on the Meqenet mix is judged against 0.8 × this ceiling.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnStack } from '../../src/stack/spawn.ts';
import { loadAverage, round } from './cpu.ts';
import { HEALTH_ROUTES, minimalScript } from './cost-refs.ts';
import { readLoadFigures } from './k6-summary.ts';
import { run, stopStack, track } from './procs.ts';

const SECONDS = 10;
export const CEILING_RATES = [4000, 6000, 8000, 10000, 12000, 14000, 16000];

export interface CeilingStep {
  targetRps: number;
  requests: number;
  droppedIterations: number;
  droppedPct: number;
  sustained: boolean;
}

export interface Ceiling {
  /** Highest sustained rate of the ladder, req/s (null: not even the first). */
  highestSustainedRps: number | null;
  steps: CeilingStep[];
  loadAverage: [number, number, number];
}

export async function cheapestCeiling(opts: { k6Bin: string; dir: string; log: (l: string) => void; rates?: number[] }): Promise<Ceiling> {
  const stack = track(await spawnStack({ stack: 'meqenet', scale: 1, timeScale: 1, autoscale: false, onLog: opts.log }));
  const steps: CeilingStep[] = [];
  try {
    const dir = path.join(opts.dir, 'ceiling');
    await mkdir(dir, { recursive: true });
    for (const rate of opts.rates ?? CEILING_RATES) {
      const script = path.join(dir, `health-${rate}.js`);
      await writeFile(script, minimalScript(rate, Math.max(10, Math.ceil(rate * 0.05)), SECONDS));
      const summary = path.join(dir, `health-${rate}.json`);
      const env = { K6_NO_USAGE_REPORT: 'true', K6_NO_COLOR: 'true', BASE: stack.url, ROUTES: HEALTH_ROUTES };
      await run(opts.k6Bin, ['run', '--quiet', `--summary-export=${summary}`, script], { env, onLine: (l) => opts.log(`[ceiling ${rate}] ${l}`) }).done;
      const f = await readLoadFigures(summary, rate, 0, SECONDS);
      const requests = f?.requests ?? 0;
      const dropped = f?.droppedIterations ?? 0;
      const droppedPct = requests + dropped > 0 ? round((100 * dropped) / (requests + dropped), 3) : 100;
      const sustained = droppedPct < 0.5 && requests >= 0.99 * rate * SECONDS;
      steps.push({ targetRps: rate, requests, droppedIterations: dropped, droppedPct, sustained });
      if (!sustained) break;
    }
  } finally {
    await stopStack(stack);
  }
  const ok = steps.filter((s) => s.sustained).map((s) => s.targetRps);
  return { highestSustainedRps: ok.length ? Math.max(...ok) : null, steps, loadAverage: loadAverage() };
}
