import { describe, expect, it } from 'vitest';
import { minWindowWallSeconds, noiseSafeTimeScale, quickRuleLine } from '../../src/health/quick.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { loadProfile } from '../../src/plan/load.ts';

describe('the quick-mode noise rule', () => {
  it('asks 2 s of wall clock per window at 0.25 s scrapes, 8 scrapes at 1 s', () => {
    expect(minWindowWallSeconds(0.25)).toBe(2);
    expect(minWindowWallSeconds(1)).toBe(8);
    expect(noiseSafeTimeScale([0, 300, 180, 600])).toBe(90);
    expect(noiseSafeTimeScale([0])).toBe(Infinity);
  });

  it('keeps every profile quick run within it (the soak slice no longer at 240)', async () => {
    for (const name of ['spike', 'soak', 'peak', 'rural', 'breakpoint']) {
      const { profile, stack } = await loadProfile(name);
      const plan = resolvePlan(profile, { runId: 'r', file: `profiles/runs/${name}.ts`, stack, quick: true, targetUrl: 'http://127.0.0.1:9' });
      const windows = plan.triggers.filter((t) => t.forSeconds > 0).map((t) => t.forWallSeconds);
      expect(Math.min(...windows), name).toBeGreaterThanOrEqual(2);
      expect(plan.durationSeconds, name).toBeLessThanOrEqual(60);
    }
  });

  it('says when a window is below the rule', () => {
    const t = [{ id: 'auth-latency', forSeconds: 180, forWallSeconds: 0.75 }];
    expect(quickRuleLine(t, 240, 0.25)).toMatch(/BELOW the rule.*time scale <= 90 keeps it/);
    expect(quickRuleLine([{ ...t[0]!, forWallSeconds: 2.73 }], 66, 0.25)).not.toMatch(/BELOW/);
  });
});
