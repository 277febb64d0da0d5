/**
 * Scale equivalence: rates and per-instance capacity scale together, so a run at a small scale
 * shows the same utilization and the same trigger outcomes as a run at a larger scale.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun, runCli } from './helpers.ts';
import type { RunSeries } from '../../src/report/series.ts';

async function run(scale: string) {
  const r = await runCli(['run', 'test/fixtures/profiles/triggers.ts', '--scale', scale]);
  expect(r.runDir, r.stderr.slice(-1500)).not.toBeNull();
  const { verdict } = await readRun(r.runDir!);
  const series = JSON.parse(await readFile(path.join(r.runDir!, 'series.json'), 'utf8')) as RunSeries;
  const cpu = series.series.find((s) => s.id === 'cpu_percent:marketplace')!.points;
  // Mean marketplace CPU over the overload before the first scale-up (seconds 3..9 of the load).
  const t0 = verdict.startedAt;
  const inWindow = cpu.filter(([t]) => t - t0 >= 3 && t - t0 <= 9).map(([, v]) => v);
  return { verdict, meanCpu: inWindow.reduce((a, b) => a + b, 0) / inWindow.length };
}

describe('scale equivalence', () => {
  it('0.01 and 0.04 give the same utilization and the same trigger outcomes', async () => {
    const small = await run('0.01');
    const large = await run('0.04');
    expect(small.meanCpu).toBeGreaterThan(60);
    expect(Math.abs(small.meanCpu - large.meanCpu)).toBeLessThan(10);
    const outcomes = (v: typeof small.verdict) => Object.fromEntries(v.triggers.map((t) => [t.id, t.outcome]));
    expect(outcomes(small.verdict)).toEqual(outcomes(large.verdict));
    expect(outcomes(small.verdict)['marketplace-search-latency']).toBe('fired-and-scaled');
  }, 400_000);
});
