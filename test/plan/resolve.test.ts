import { describe, expect, it } from 'vitest';
import { bindTargets, resolvePlan, QUICK_MAX_SECONDS } from '../../src/plan/resolve.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { targetIterations } from '../../src/controller/slo-math.ts';

const base = parseProfile('inline', {
  name: 'p',
  description: 'test',
  stages: [
    { duration: '1m', target: 1000 },
    { duration: '2m', target: 1000 },
  ],
  mix: { login: 0.2, search: 0.4, checkout: 0.4 },
  expect: { 'auth-cpu': 'fire' },
});
const opts = { runId: 'r', file: 'inline', targetUrl: 'http://127.0.0.1:9' };

describe('resolvePlan', () => {
  it('turns gateway req/s into iterations/s per journey using requests per iteration', () => {
    const plan = resolvePlan(base, opts);
    const by = Object.fromEntries(plan.scenarios.map((s) => [s.journey, s.stages[1]!.target]));
    expect(by).toEqual({ login: 200, search: 400, checkout: 200 }); // checkout sends 2 requests
    expect(plan.peakRate).toBe(1000);
  });

  it('multiplies rates by the scale and divides durations by the time scale', () => {
    const plan = resolvePlan(base, { ...opts, scale: 0.1, timeScale: 30 });
    const login = plan.scenarios.find((s) => s.journey === 'login')!;
    expect(login.stages.map((s) => s.target)).toEqual([20, 20]);
    expect(login.stages.map((s) => s.durationSeconds)).toEqual([2, 4]);
    expect(plan.durationSeconds).toBe(6);
    const cpu = plan.triggers.find((t) => t.id === 'auth-cpu')!;
    expect(cpu.forSeconds).toBe(300);
    expect(cpu.forWallSeconds).toBe(10);
    expect(cpu.expect).toBe('fire');
    expect(plan.triggers.find((t) => t.id === 'auth-latency')!.expect).toBe('any');
  });

  it('stretches stages to --duration and keeps --quick within its limit', () => {
    const stretched = resolvePlan(base, { ...opts, durationSeconds: 90 });
    expect(stretched.durationSeconds).toBe(90);
    const quick = resolvePlan(base, { ...opts, quick: true });
    expect(quick.durationSeconds).toBeLessThanOrEqual(QUICK_MAX_SECONDS);
    expect(quick.timeScale).toBe(3);
  });

  it('asks k6 for the integral of the ramp', () => {
    const plan = resolvePlan(base, opts);
    // 0 -> 1000 req/s over 60 s, then 1000 for 120 s: 30,000 + 120,000 requests.
    const reqs = plan.scenarios.reduce((a, s) => a + targetIterations(plan, { journey: s.journey }) * s.requestsPerIteration, 0);
    expect(reqs).toBeCloseTo(150_000, 3);
  });

  it('rejects cohort shares that do not add up to 1', () => {
    const p = parseProfile('inline', { ...base, cohorts: [{ name: 'a', share: 0.5 }] });
    expect(() => resolvePlan(p, opts)).toThrow('inline: cohorts: cohort shares must add up to 1 (got 0.5)');
  });

  it('rejects an expectation on an unknown trigger', () => {
    const p = parseProfile('inline', { ...base, expect: { 'auth-gpu': 'fire' } });
    expect(() => resolvePlan(p, opts)).toThrow(/inline: expect\.auth-gpu: unknown trigger for stack meqenet/);
  });
});

describe('bindTargets', () => {
  it('points each scenario at its cohort listener or the gateway, and changes nothing else', () => {
    const p = parseProfile('inline', { ...base, cohorts: [{ name: 'rural', share: 0.5, network: 'rural-3g' }, { name: 'city', share: 0.5 }] });
    const plan = resolvePlan(p, { ...opts, networkPresets: ['rural-3g', 'direct'] });
    const bound = bindTargets(plan, 'http://127.0.0.1:8080', { rural: 'http://127.0.0.1:9001' });
    expect(bound.targetUrl).toBe('http://127.0.0.1:8080');
    expect(bound.scenarios.map((s) => [s.name, s.baseUrl])).toEqual([
      ['login_rural', 'http://127.0.0.1:9001'],
      ['login_city', 'http://127.0.0.1:8080'],
      ['search_rural', 'http://127.0.0.1:9001'],
      ['search_city', 'http://127.0.0.1:8080'],
      ['checkout_rural', 'http://127.0.0.1:9001'],
      ['checkout_city', 'http://127.0.0.1:8080'],
    ]);
    expect({ ...bound, targetUrl: plan.targetUrl, scenarios: bound.scenarios.map((s) => ({ ...s, baseUrl: 'http://127.0.0.1:9' })) }).toEqual(plan);
    expect(plan.scenarios[0]!.baseUrl).toBe('http://127.0.0.1:9');
  });

  it('refuses a cohort on a preset the harness does not know, listing the known ones', () => {
    const p = parseProfile('inline', { ...base, cohorts: [{ name: 'moon', share: 1, network: 'lunar' }] });
    expect(() => resolvePlan(p, { ...opts, networkPresets: ['2g-edge', 'direct'] })).toThrow('inline: cohorts[0].network: unknown network preset; known: 2g-edge, direct (got "lunar")');
  });
});
