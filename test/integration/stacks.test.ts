/**
 * A third stack, added without touching src/: its module, profile and journeys live in
 * test/fixtures/stacks/kiosk/, and `run <its profile> --quick` runs it end to end on the
 * embedded stack with real k6 and Prometheus.
 */
import { describe, expect, it } from 'vitest';
import { readRun, runCli } from './helpers.ts';

describe('a stack of your own', () => {
  it('runs through a quick run and passes, with traffic on each of its journeys', async () => {
    const r = await runCli(['run', 'test/fixtures/stacks/kiosk/profile.ts', '--quick']);
    expect(r.runDir, r.stderr.slice(-2000)).not.toBeNull();
    const { plan, verdict } = await readRun(r.runDir!);
    expect(plan.stack).toBe('kiosk');
    expect(r.stderr).toMatch(/embedded kiosk stack at http:\/\/127\.0\.0\.1:\d+/);
    const journeys = verdict.traffic.filter((t) => t.kind === 'journey');
    expect(journeys.map((j) => j.name).sort()).toEqual(['browse', 'order']);
    for (const j of journeys) expect(j.requests, j.name).toBeGreaterThan(100);
    expect(verdict.triggers.map((t) => [t.id, t.outcome])).toEqual([['kiosk-cpu', 'not-fired']]);
    expect(verdict.status, verdict.reasons.join('\n')).toBe('pass');
    expect(r.code).toBe(0);
  });
});
