/**
 * `judge` on a run the harness did not start: two k6 processes, launched here by hand with the
 * flags and environment a k6-operator runner or a CI machine would give them (half the
 * execution segments each, one testid, a distinct `runner` tag, remote write into one
 * Prometheus; without a distinct tag two runners' series collide in Prometheus), against the embedded
 * stack. `judge` must reach one verdict whose totals match a `run --parallel 2` of the same plan
 * within 1 %.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrometheus, type RunningPrometheus } from '../../src/metrics/prometheus.ts';
import { spawnStack, type StackProcess } from '../../src/stack/spawn.ts';
import { ensureTool } from '../../src/tools/index.ts';
import { SCENARIOS_DIR } from '../../src/util/paths.ts';
import { readRun, runCli } from './helpers.ts';

const PROFILE = 'test/fixtures/profiles/tight.ts';
let stack: StackProcess | null = null;
let prom: RunningPrometheus | null = null;
let dir = '';

afterAll(async () => {
  await prom?.stop();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function k6Process(bin: string, args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
}

describe('judge: a run started outside the harness', () => {
  it('two k6 processes with half the segments each are judged into one verdict matching run --parallel 2 within 1 %', async () => {
    const local = await runCli(['run', PROFILE, '--parallel', '2']);
    expect(local.runDir, local.stderr.slice(-1500)).not.toBeNull();
    const harness = await readRun(local.runDir!);
    const harnessTotal = harness.verdict.crossCheck.prometheusRequests!;
    expect(harnessTotal).toBeGreaterThan(200);

    // The same plan, another testid, against a fresh stack and a fresh Prometheus.
    dir = await mkdtemp(path.join(os.tmpdir(), 'scale-harness-judge-'));
    const testid = `external-${Date.now()}`;
    stack = await spawnStack({ stack: harness.plan.stack, scale: harness.plan.scale, timeScale: harness.plan.timeScale, faults: [] });
    prom = await startPrometheus({ bin: (await ensureTool('prometheus')).path, targets: [{ job: 'stack', address: stack.address }] });
    const plan = { ...harness.plan, runId: testid, targetUrl: stack.url, scenarios: harness.plan.scenarios.map((sc) => ({ ...sc, baseUrl: stack!.url })) };
    const planFile = path.join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    const k6 = (await ensureTool('k6')).path;
    const env = { PLAN_FILE: planFile, K6_PROMETHEUS_RW_SERVER_URL: prom.remoteWriteUrl, K6_FEATURES: 'native-histograms', K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s', K6_NO_USAGE_REPORT: 'true' };
    // The fixture profile's scenario (`scenario: 'spike'`).
    const script = path.join(SCENARIOS_DIR, 'spike.ts');
    const runner = (segment: string, i: number) =>
      k6Process(k6, ['run', '--out', 'experimental-prometheus-rw', '--tag', `testid=${testid}`, '--tag', `runner=${i}`, `--execution-segment=${segment}`, '--execution-segment-sequence=0,1/2,1', `--summary-export=${path.join(dir, `summary-${i}.json`)}`, script], env);
    const codes = await Promise.all([runner('0:1/2', 1), runner('1/2:1', 2)]);
    expect(codes).toEqual([0, 0]);
    await new Promise((r) => setTimeout(r, 2500));

    const judged = await runCli(['judge', '--profile', PROFILE, '--testid', testid, '--prometheus', prom.url, '--plan', planFile, '--mapping', 'embedded', '--stack-job', 'stack', '--summary', path.join(dir, 'summary-1.json'), '--summary', path.join(dir, 'summary-2.json')]);
    expect(judged.runDir, judged.stderr.slice(-1500)).not.toBeNull();
    const external = await readRun(judged.runDir!);
    expect(external.files).toEqual(expect.arrayContaining(['plan.json', 'verdict.json', 'junit.xml', 'summary.md', 'report.html']));
    const externalTotal = external.verdict.crossCheck.prometheusRequests!;
    expect(Math.abs(externalTotal - harnessTotal) / harnessTotal).toBeLessThanOrEqual(0.01);
    expect(external.verdict.crossCheck.status).toBe('pass');
    // Same plan, same stack model: the same verdict and exit code as the harness's own run.
    expect(external.verdict.status, external.verdict.reasons.join('\n')).toBe(harness.verdict.status);
    expect(judged.code).toBe(local.code);
    expect(external.verdict.endedAt - external.verdict.startedAt).toBeGreaterThan(plan.durationSeconds * 0.95);
  });
});
