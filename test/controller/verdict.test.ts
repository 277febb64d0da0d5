import { describe, expect, it } from 'vitest';
import { judgeRun, type JudgeContext } from '../../src/controller/verdict.ts';
import type { TriggerResult } from '../../src/controller/types.ts';
import type { K6Summary } from '../../src/k6/runner.ts';
import { FakeWorld, judgePlan, type World } from './fake-world.ts';

const WINDOW = { start: 1000, end: 1060 };
const GOOD: World = { requests: { login: 300, signup: 150 }, latencyMs: 200, windowLatencyMs: [150, 250, 300] };
const summary = (httpReqs: number, unreadable: K6Summary['unreadable'] = []): K6Summary => ({ httpReqs, iterations: httpReqs, droppedIterations: 0, failedRate: 0, unreadable });

function ctx(over: Partial<JudgeContext> = {}): JudgeContext {
  return { window: WINDOW, k6Summary: summary(450), k6ExitCode: 0, interrupted: false, scrapeIntervalSeconds: 1, target: 'embedded', ...over };
}

function trigger(status: TriggerResult['status']): TriggerResult {
  return {
    id: 'auth-cpu',
    service: 'auth',
    condition: 'cpu > 70 % for 30 s',
    action: 'add 2 instances',
    expect: 'fire',
    outcome: status === 'pass' ? 'fired-and-scaled' : 'fired-not-scaled',
    status,
    heldIntervals: [],
    firedAt: 1030,
    scaledAt: status === 'pass' ? 1033 : null,
    lagSeconds: status === 'pass' ? 3 : null,
    graceSeconds: 10,
    graceDerivation: 'fixture',
    replicasBefore: 1,
    replicasAfter: status === 'pass' ? 3 : 1,
    expectedStep: 2,
    detail: status === 'pass' ? 'scaled 1 -> 3 after 3 s' : 'replicas stayed at 1',
  };
}

async function judge(world: World, over: Partial<JudgeContext> = {}, plan = judgePlan()) {
  return judgeRun(new FakeWorld(plan, world), plan, ctx(over));
}

describe('judgeRun', () => {
  it('passes when every SLO, trigger and the cross-check pass', async () => {
    const v = await judge(GOOD, { judgeTriggers: async () => [trigger('pass')] });
    expect(v.status).toBe('pass');
    expect(v.reasons).toEqual([]);
    expect(v.slos.map((s) => [s.id, s.status, s.observed])).toEqual([['p95', 'pass', 200]]);
    expect(v.crossCheck).toEqual({ prometheusRequests: 450, k6Requests: 450, diffRatio: 0, status: 'pass' });
    expect(v.traffic.find((r) => r.kind === 'journey' && r.name === 'login')).toMatchObject({ requests: 300, targetIterations: 300, iterations: 300 });
  });

  it('fails on a failed SLO even when the triggers pass', async () => {
    const v = await judge({ ...GOOD, latencyMs: 700 }, { judgeTriggers: async () => [trigger('pass')] });
    expect(v.status).toBe('fail');
    expect(v.reasons).toEqual(['SLO p95: whole run 700 ms breaks p95 <= 500 ms']);
  });

  it('fails on a worst window over the bound when the whole run is within it', async () => {
    const v = await judge({ ...GOOD, windowLatencyMs: [150, 620, 300] });
    expect(v.status).toBe('fail');
    expect(v.reasons).toEqual(['SLO p95: worst 10 s window 620 ms breaks p95 <= 500 ms']);
  });

  it('fails on a failed trigger when the SLOs pass', async () => {
    const v = await judge(GOOD, { judgeTriggers: async () => [trigger('fail')] });
    expect(v.status).toBe('fail');
    expect(v.reasons).toEqual(['trigger auth-cpu: fired-not-scaled: replicas stayed at 1']);
  });

  it('is inconclusive when an SLO has no data, and a failure elsewhere still fails', async () => {
    const noLatency = await judge({ ...GOOD, latencyMs: null, windowLatencyMs: [] });
    expect(noLatency.status).toBe('inconclusive');
    expect(noLatency.reasons).toEqual([
      'SLO p95: no data for all traffic: histogram_quantile(0.95, sum (increase(k6_http_req_duration_seconds{testid="r1"}[65s]))) * 1000',
    ]);
    const alsoFailed = await judge({ ...GOOD, latencyMs: null, windowLatencyMs: [] }, { judgeTriggers: async () => [trigger('fail')] });
    expect(alsoFailed.status).toBe('fail');
  });

  it('is inconclusive when k6 pushed nothing at all', async () => {
    const v = await judge({ requests: {}, latencyMs: null }, { k6Summary: summary(0) });
    expect(v.status).toBe('inconclusive');
    expect(v.crossCheck).toEqual({ prometheusRequests: null, k6Requests: 0, diffRatio: null, status: 'inconclusive' });
    expect(v.reasons).toEqual([
      'SLO p95: no data for all traffic: histogram_quantile(0.95, sum (increase(k6_http_req_duration_seconds{testid="r1"}[65s]))) * 1000',
      'request count cross-check impossible (Prometheus no data, k6 summary no data)',
      'no requests recorded for service auth',
      'no requests recorded for journey login',
      'no requests recorded for journey signup',
    ]);
  });

  it('is inconclusive when a planned journey sent nothing though its service did', async () => {
    const v = await judge({ ...GOOD, requests: { login: 300 } }, { k6Summary: summary(300) });
    expect(v.status).toBe('inconclusive');
    expect(v.reasons).toEqual(['no requests recorded for journey signup']);
  });

  it('never passes a run with no requests on either side of the cross-check', async () => {
    const v = await judge({ requests: { login: 0, signup: 0 }, latencyMs: 200 }, { k6Summary: summary(0) });
    expect(v.crossCheck.status).toBe('inconclusive');
    expect(v.status).toBe('inconclusive');
    expect(v.reasons).toContain('k6 counted no requests (Prometheus 0): nothing to cross-check');
  });

  it('accepts request counts 1 % apart and is inconclusive beyond', async () => {
    // Prometheus 450; k6 454 is 0.89 % apart, k6 455 is 1.10 %.
    expect((await judge(GOOD, { k6Summary: summary(454) })).status).toBe('pass');
    const apart = await judge(GOOD, { k6Summary: summary(455) });
    expect(apart.status).toBe('inconclusive');
    expect(apart.reasons).toEqual(['Prometheus counted 450 requests, k6 455: 1.10 % apart (over 1 %)']);
  });

  it('is inconclusive, naming the file, when a runner summary could not be read', async () => {
    const file = '/runs/r1/k6-summary-2.json';
    const v = await judge(GOOD, { k6Summary: summary(225, [{ file, reason: 'Unexpected end of JSON input' }]) });
    expect(v.status).toBe('inconclusive');
    expect(v.crossCheck.k6Requests).toBeNull();
    expect(v.reasons).toEqual([
      'request count cross-check impossible (Prometheus 450, k6 summary incomplete)',
      `k6 summary ${file} could not be read: Unexpected end of JSON input`,
    ]);
  });

  it('is inconclusive without a k6 summary', async () => {
    const v = await judge(GOOD, { k6Summary: null });
    expect(v.status).toBe('inconclusive');
    expect(v.reasons).toEqual(['request count cross-check impossible (Prometheus 450, k6 summary missing)']);
  });

  it('counts k6 exit 99 (thresholds crossed) as complete; any other non-zero exit is inconclusive, even over a failure', async () => {
    expect((await judge(GOOD, { k6ExitCode: 99 })).status).toBe('pass');
    const crashed = await judge(GOOD, { k6ExitCode: 107 });
    expect(crashed.status).toBe('inconclusive');
    expect(crashed.reasons).toEqual(['k6 did not complete (exit code 107)']);
    const crashedAndSlow = await judge({ ...GOOD, latencyMs: 900 }, { k6ExitCode: null });
    expect(crashedAndSlow.status).toBe('inconclusive');
    expect(crashedAndSlow.reasons).toEqual(['SLO p95: whole run 900 ms breaks p95 <= 500 ms', 'k6 did not complete (exit code none)']);
  });

  it('is inconclusive when interrupted, whatever the part that ran showed', async () => {
    const passed = await judge(GOOD, { interrupted: true, k6ExitCode: 0 });
    expect(passed.status).toBe('inconclusive');
    expect(passed.interrupted).toBe(true);
    expect(passed.reasons).toEqual(['the run was interrupted before its end']);
    const failed = await judge({ ...GOOD, latencyMs: 900 }, { interrupted: true });
    expect(failed.status).toBe('inconclusive');
  });

  it('is inconclusive when the stack was scraped too rarely', async () => {
    // 60 s at a 1 s interval expects 60 scrapes; 42 is 70 %.
    const gappy = await judge({ ...GOOD, scrapes: { count: 42, everDown: false } }, { stackJob: 'stack' });
    expect(gappy.status).toBe('inconclusive');
    expect(gappy.reasons).toEqual(["the stack's metrics are gappy: 70 % of expected scrapes (need 80 %)"]);
    // 54 of 60 is 90 %, but a scrape that found the stack down halves it to 45 %.
    expect((await judge({ ...GOOD, scrapes: { count: 54, everDown: false } }, { stackJob: 'stack' })).status).toBe('pass');
    expect((await judge({ ...GOOD, scrapes: { count: 54, everDown: true } }, { stackJob: 'stack' })).reasons).toEqual([
      "the stack's metrics are gappy: 45 % of expected scrapes (need 80 %)",
    ]);
  });

  it('records the injected faults, and a fault on a row that never fired makes the run inconclusive', async () => {
    const plan = { ...judgePlan(), faults: [{ kind: 'ignore' as const, trigger: 'auth-cpu' }] };
    const idle: TriggerResult = { ...trigger('pass'), expect: 'any', outcome: 'not-exercised', firedAt: null, scaledAt: null, lagSeconds: null, detail: 'never fired' };
    const v = await judge(GOOD, { judgeTriggers: async () => [idle] }, plan);
    expect(v.faults).toEqual([{ kind: 'ignore', trigger: 'auth-cpu' }]);
    expect(v.status).toBe('inconclusive');
    expect(v.reasons).toEqual(['trigger auth-cpu: not-exercised: fault ignore:auth-cpu injected, but the row never fired: the fault was not exercised (never fired)']);
    const clean = await judge(GOOD, { judgeTriggers: async () => [idle] });
    expect([clean.status, clean.faults]).toEqual(['pass', []]);
  });
});
