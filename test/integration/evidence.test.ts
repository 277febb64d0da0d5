/**
 * Verdicts on their own evidence, end to end with the CLI, real k6 and a real Prometheus: a
 * target whose signal series are missing stops before the load; a fault on a row that never
 * fired is no silent pass and is recorded in plan.json, verdict.json and summary.md; a journey
 * that fails on its own fails the run.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteWrite, type ResultSeries } from '../../src/grafana/results.ts';
import { clusterSeries, meqenetCluster } from '../fixtures/export/kube-cluster.ts';
import { startPrometheus, type TestPrometheus } from '../grafana/prom-helper.ts';
import { readRun, runCli } from './helpers.ts';

describe('a target whose trigger signal has no series', () => {
  let prom: TestPrometheus;

  beforeAll(async () => {
    prom = await startPrometheus();
    // Fresh samples up to now (the live check queries "now"), without cAdvisor's CPU series.
    const seconds = 120;
    const start = Math.floor(Date.now() / 1000) - seconds + 1;
    const all = clusterSeries(meqenetCluster('shop', start, seconds, { replicas: () => 2, cpuCores: () => 0.4 }));
    const kept: ResultSeries[] = all.filter((s) => s.labels.__name__ !== 'container_cpu_usage_seconds_total');
    for (let i = 0; i < kept.length; i += 25) await remoteWrite(prom.remoteWriteUrl, kept.slice(i, i + 25));
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it('exits 2 before the load, naming the mapping key and the expression, and leaves no run folder', async () => {
    const r = await runCli(['run', 'spike', '--quick', '--target', prom.url, '--prometheus', prom.url, '--mapping', 'kubernetes', '--namespace', 'shop']);
    expect(r.code, r.stderr.slice(-1500)).toBe(2);
    const line = r.stderr.split('\n').find((l) => l.includes('matches no series'));
    expect(line).toMatch(/profiles\/targets\.ts: kubernetes\.signals\.cpu: matches no series in Prometheus \(trigger auth-cpu\) \(got "100 \* sum\(rate\(container_cpu_usage_seconds_total\{namespace=\\"shop\\"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/k6 v|running \(/);
    expect(r.runDir === null || !existsSync(r.runDir)).toBe(true);
  });
});

describe('a fault on a row that never fires', () => {
  it('spike --quick --fault ignore:auth-latency is inconclusive (exit 3), the row not exercised, the fault recorded', async () => {
    const r = await runCli(['run', 'spike', '--quick', '--fault', 'ignore:auth-latency']);
    expect(r.runDir, r.stderr.slice(-1500)).not.toBeNull();
    const { plan, verdict } = await readRun(r.runDir!);
    const row = verdict.triggers.find((t) => t.id === 'auth-latency')!;
    expect([row.outcome, row.status], row.detail).toEqual(['not-exercised', 'inconclusive']);
    expect(row.detail).toMatch(/^fault ignore:auth-latency injected, but the row never fired/);
    expect(verdict.status, verdict.reasons.join('\n')).toBe('inconclusive');
    expect(r.code).toBe(3);
    expect(plan.faults).toEqual([{ kind: 'ignore', trigger: 'auth-latency' }]);
    expect(verdict.faults).toEqual([{ kind: 'ignore', trigger: 'auth-latency' }]);
    const md = await readFile(path.join(r.runDir!, 'summary.md'), 'utf8');
    expect(md).toContain('**Faults injected:** ignore:auth-latency');
    expect(md).toMatch(/\*\*Not exercised:\*\* [^\n]*auth-latency/);
    expect(verdict.reasons.join('\n')).toMatch(/trigger auth-latency: not-exercised: fault ignore:auth-latency injected/);
  });
});

describe('a journey that fails on its own', () => {
  it('fails the run on the journey error SLO while all traffic stays within its bound', async () => {
    const r = await runCli(['run', 'test/fixtures/stacks/till/profile.ts', '--quick']);
    expect(r.runDir, r.stderr.slice(-1500)).not.toBeNull();
    const { verdict } = await readRun(r.runDir!);
    const slo = (id: string) => verdict.slos.find((s) => s.id === id)!;
    expect(slo('order-errors').status, slo('order-errors').detail).toBe('fail');
    expect(slo('order-errors').observed!).toBeGreaterThan(0.01);
    expect(slo('errors').status, slo('errors').detail).toBe('pass');
    expect(verdict.status).toBe('fail');
    expect(r.code).toBe(1);
  });
});
