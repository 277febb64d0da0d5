/**
 * The traffic profiles in their quick form against the embedded stack: rural cohorts through a
 * real Toxiproxy, the soak's drift verdicts, the breakpoint's sustainable rate, and the scale
 * equivalence of the peak.
 */
import { describe, expect, it } from 'vitest';
import { readRun, runCli } from './helpers.ts';

describe('profiles, quick, against the embedded stack', () => {
  it('rural: per-cohort latency follows the presets, through Toxiproxy, within the byte budget', async () => {
    const r = await runCli(['run', 'rural', '--quick']);
    expect(r.runDir, r.stderr.slice(-1500)).not.toBeNull();
    const { verdict, plan } = await readRun(r.runDir!);
    const p95 = Object.fromEntries(verdict.traffic.filter((t) => t.kind === 'cohort').map((t) => [t.name, t.p95Ms ?? NaN]));
    // Every cohort's base URL is a Toxiproxy listener, not the gateway.
    for (const s of plan.scenarios) expect(s.baseUrl).not.toBe(plan.targetUrl);
    expect(r.stderr).toMatch(/toxiproxy http:\/\/127\.0\.0\.1:\d+: .*edge-2g via 2g-edge/);
    // 2G/EDGE: 840 ms RTT at 240 kbit/s; urban 4G: 170 ms RTT at 9 Mbit/s. The same service
    // times sit under both, so the 2G cohort is slower by at least most of the RTT difference.
    expect(p95['edge-2g']!).toBeGreaterThan(2 * p95['urban-4g']!);
    expect(p95['edge-2g']! - p95['urban-4g']!).toBeGreaterThan(400);
    expect(p95['rural-3g']!).toBeGreaterThan(p95['urban-4g']!);
    expect(p95['edge-2g']!).toBeGreaterThan(p95['rural-3g']!);
    expect(p95['urban-4g']!).toBeGreaterThan(170);
    const bytes = verdict.slos.find((s) => s.id === 'edge-2g-bytes')!;
    expect(bytes.status).toBe('pass');
    expect(bytes.observed!).toBeLessThan(4000);
    expect(verdict.status, verdict.reasons.join('\n')).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('reloop: the HPA on CPU scales the backend (the second plan, exercised)', async () => {
    const r = await runCli(['run', 'reloop', '--quick']);
    const { verdict } = await readRun(r.runDir!);
    const cpu = verdict.triggers.find((t) => t.id === 'backend-cpu')!;
    expect(cpu.outcome, verdict.reasons.join('\n')).toMatch(/^(fired-and-scaled|max-replicas-reached)$/);
    expect(cpu.replicasAfter!).toBeGreaterThan(cpu.replicasBefore!);
    expect(cpu.action).toMatch(/HPA/);
    expect(verdict.status, verdict.reasons.join('\n')).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('soak: judges latency slope, error creep and memory growth', async () => {
    const r = await runCli(['run', 'soak', '--quick']);
    const { verdict } = await readRun(r.runDir!);
    for (const id of ['p95-slope', 'error-creep', 'memory-growth']) {
      const s = verdict.slos.find((x) => x.id === id)!;
      expect(s.observed, `${id}: ${s.detail}`).not.toBeNull();
      expect(s.status, `${id}: ${s.detail}`).toBe('pass');
    }
    expect(verdict.status, verdict.reasons.join('\n')).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('breakpoint: ramps until an SLO breaks and reports the sustainable rate and headroom', async () => {
    const r = await runCli(['run', 'breakpoint', '--quick']);
    const { verdict } = await readRun(r.runDir!);
    const bp = verdict.breakpoint!;
    expect(bp, verdict.reasons.join('\n')).toBeDefined();
    expect(bp.brokeAt).not.toBeNull();
    expect(bp.sustainableRate).toBeGreaterThan(1000);
    expect(bp.headroom).toBeCloseTo(bp.sustainableRate / bp.requiredRate, 2);
    expect(r.stderr).toMatch(/breakpoint: .* broke; stopping the ramp/);
    expect(verdict.interrupted).toBe(false);
    // The embedded stack scales past the holiday target before an SLO breaks.
    expect(bp.headroom, bp.detail).toBeGreaterThanOrEqual(1);
    expect(bp.status).toBe('pass');
    expect(verdict.status, verdict.reasons.join('\n')).toBe('pass');
    expect(r.code).toBe(0);
  });
});
