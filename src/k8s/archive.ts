/**
 * What a k6-operator run ships: the scenario and its plan packed by `k6 archive` (the plan is
 * read with open() at init, so the archive carries it, and PLAN_FILE is recorded in the
 * archive's environment), and the number of runner pods for the plan's peak rate.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { ToolError } from '../errors.ts';

/**
 * Requests/s one runner sustains: bench/results/latest.md measured 2,000 req/s through the
 * harness on a 2-core machine (k6 and the stack sharing it), so a 2-core runner pod with the
 * stack elsewhere does at least that.
 */
export const PER_RUNNER_RPS = 2000;
/** Resources per runner pod at PER_RUNNER_RPS: 2 cores, k6's memory at that rate with headroom. */
export const RUNNER_RESOURCES = { cpu: '2', memory: '2Gi' } as const;

/** Runner pods for `peakRps`: enough that none exceeds `perRunnerRps`. */
export function runnersFor(peakRps: number, perRunnerRps = PER_RUNNER_RPS): number {
  if (!(peakRps > 0) || !(perRunnerRps > 0)) return 1;
  return Math.max(1, Math.ceil(peakRps / perRunnerRps));
}

/** Runs `k6 archive` of `scenario` with PLAN_FILE set; returns the tar's bytes. */
export async function k6Archive(k6Bin: string, scenario: string, planFile: string, outDir: string): Promise<Uint8Array> {
  const out = path.join(outDir, 'archive.tar');
  const r = await $({ nothrow: true, quiet: true, timeout: '120s', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } })`${k6Bin} archive ${['-e', `PLAN_FILE=${planFile}`, '-O', out, scenario]}`;
  if (!r.ok) throw new ToolError(`k6 archive ${path.basename(scenario)} failed: ${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-2).join(' | ')}`);
  return new Uint8Array(await readFile(out));
}
