/**
 * The spine, end to end with real processes: k6 (TypeScript scenario) -> embedded stack ->
 * Prometheus (scrape + remote write) -> controller -> verdict and reports.
 */
import { describe, expect, it } from 'vitest';
import { readRun, runCli } from './helpers.ts';

describe('spike run against the embedded stack', () => {
  it('passes, with traffic for every service and counts that agree with k6', async () => {
    const r = await runCli(['run', 'spike', '--quick']);
    expect(r.runDir, r.stderr.slice(-2000)).not.toBeNull();
    const { verdict, plan, files } = await readRun(r.runDir!);
    expect(files).toEqual(expect.arrayContaining(['plan.json', 'verdict.json', 'k6-summary.json', 'junit.xml', 'summary.md', 'report.html', 'series.json']));
    const services = verdict.traffic.filter((t) => t.kind === 'service');
    expect(services.map((s) => s.name).sort()).toEqual(['auth', 'marketplace', 'payments', 'rewards']);
    for (const s of services) expect(s.requests, s.name).toBeGreaterThan(50);
    expect(verdict.crossCheck.status).toBe('pass');
    expect(verdict.crossCheck.diffRatio).toBeLessThanOrEqual(0.01);
    expect(plan.quick).toBe(true);
    expect(verdict.status, verdict.reasons.join('\n')).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('fails with exit 1 when an SLO is impossibly tight, naming the SLO', async () => {
    const r = await runCli(['run', 'test/fixtures/profiles/tight.ts']);
    expect(r.code, r.stderr.slice(-2000)).toBe(1);
    const { verdict } = await readRun(r.runDir!);
    expect(verdict.status).toBe('fail');
    const slo = verdict.slos.find((s) => s.id === 'impossible-p95')!;
    expect(slo.status).toBe('fail');
    expect(slo.observed).toBeGreaterThan(0.01);
    expect(verdict.slos.find((s) => s.id === 'errors')!.status).toBe('pass');
    expect(r.stdout).toMatch(/impossible-p95/);
  });

  it('two local k6 runners split the load by execution segments; the verdict aggregates both', async () => {
    const r = await runCli(['run', 'test/fixtures/profiles/tight.ts', '--parallel', '2']);
    // The fixture's p95 bound is impossible: the aggregated verdict must still fail on it, and only on it.
    expect(r.code, r.stderr.slice(-2000)).toBe(1);
    const { verdict, files } = await readRun(r.runDir!);
    expect(verdict.status).toBe('fail');
    expect(verdict.slos.filter((s) => s.status !== 'pass').map((s) => s.id)).toEqual(['impossible-p95']);
    expect(files).toEqual(expect.arrayContaining(['k6-summary-1.json', 'k6-summary-2.json']));
    expect(r.stderr).toMatch(/\[k6 1\/2\]/);
    expect(r.stderr).toMatch(/\[k6 2\/2\]/);
    // Prometheus sums both runners' series; k6's two summaries are added up: they must agree.
    expect(verdict.crossCheck.status, JSON.stringify(verdict.crossCheck)).toBe('pass');
    expect(verdict.crossCheck.k6Requests!).toBeGreaterThan(200);
  });

  it('an interrupted run writes its verdict as inconclusive and exits 130', async () => {
    const r = await runCli(['run', 'spike', '--quick'], {
      onSpawn: (pid, stderr) => {
        const t = setInterval(() => {
          // k6 runs --quiet: the harness's own status line says the load is under way.
          if (/^\[live\] \d+\/\d+ s/m.test(stderr())) {
            clearInterval(t);
            setTimeout(() => process.kill(pid, 'SIGINT'), 3000);
          }
        }, 200);
      },
    });
    expect(r.code, r.stderr.slice(-1500)).toBe(130);
    const { verdict } = await readRun(r.runDir!);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.interrupted).toBe(true);
    expect(verdict.reasons.join(' ')).toMatch(/interrupted/);
  });
});
