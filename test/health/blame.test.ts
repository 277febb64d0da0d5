import { describe, expect, it } from 'vitest';
import type { SloResult, TriggerResult, Verdict } from '../../src/controller/types.ts';
import { applyBlame, starvedWithin } from '../../src/health/blame.ts';
import { coarsen, flagInterval, starvedSpans } from '../../src/health/evidence.ts';
import type { HarnessHealth, HealthInterval } from '../../src/health/types.ts';
import type { Plan } from '../../src/plan/types.ts';

const T0 = 1_000_000;

function interval(t: number, over: Partial<HealthInterval> = {}): HealthInterval {
  const base = { t: T0 + t, seconds: 1, k6Cpu: 0.3, otherCpu: 0, machineCpu: 0.8, cpuPressure: 0.05, load1: 1, stackLoopLag: 0.01, scrapes: { got: 4, due: 4 }, scrapeSeconds: 0.01, dropped: 0, otherRuns: 0, ...over };
  return flagInterval(base, 2, 1);
}

function health(intervals: HealthInterval[], crash: string | null = null): HarnessHealth {
  return { periodSeconds: 1, cores: 2, k6: [{ exitCode: 0, signal: null }], droppedIterations: 0, crash, otherRuns: [], intervals, starvedSpans: starvedSpans(intervals), summary: '' };
}

const slo = (id: string, status: SloResult['status'], window: [number, number] | null): SloResult => ({
  id,
  objective: 'latency',
  scope: {},
  bound: 'p95 <= 800 ms',
  threshold: 800,
  unit: 'ms',
  observed: 900,
  worstWindow: window ? { value: 1200, start: T0 + window[0], end: T0 + window[1] } : null,
  status,
  detail: 'worst window 1200 ms breaks p95 <= 800 ms',
});

const trigger = (over: Partial<TriggerResult>): TriggerResult => ({
  id: 'payments-queue',
  service: 'payments',
  condition: 'queue > 10',
  action: 'add 3 instances',
  expect: 'quiet',
  outcome: 'fired-and-scaled',
  status: 'fail',
  heldIntervals: [],
  firedAt: null,
  scaledAt: null,
  lagSeconds: null,
  graceSeconds: 2,
  graceDerivation: '',
  replicasBefore: 2,
  replicasAfter: 5,
  expectedStep: 3,
  detail: 'fired against expect: quiet',
  ...over,
});

function verdict(slos: SloResult[], triggers: TriggerResult[] = []): Verdict {
  return {
    runId: 'r', profile: 'spike', stack: 'meqenet', target: 'embedded', status: 'fail', reasons: [], startedAt: T0, endedAt: T0 + 60, scale: 0.02, timeScale: 66,
    slos, traffic: [], crossCheck: { prometheusRequests: 1, k6Requests: 1, diffRatio: 0, status: 'pass' }, triggers, interrupted: false, k6ExitCode: 0,
  };
}

const plan = { triggers: [{ id: 'payments-queue', forWallSeconds: 0 }] } as unknown as Plan;
const calm = Array.from({ length: 60 }, (_, i) => interval(i));

describe('flagInterval', () => {
  it('flags each kind of starvation with its figure, and a calm second not at all', () => {
    expect(interval(0).starved).toBe(false);
    expect(interval(0, { k6Cpu: 1.9 }).why).toEqual(['k6 saturated (1.90 of 2 cores)']);
    expect(interval(0, { seconds: 1.6 }).why).toEqual(['harness process stalled 0.60 s']);
    expect(interval(0, { stackLoopLag: 0.4 }).why).toEqual(['stack event loop stalled 0.40 s']);
    expect(interval(0, { scrapes: { got: 1, due: 4 } }).why).toEqual(['Prometheus got 1 of 4 stack scrapes']);
    expect(interval(0, { dropped: 12, k6Cpu: 1.2 }).why).toEqual(['k6 dropped 12 iterations at 1.20 cores']);
    expect(interval(0, { otherRuns: 1 }).why).toEqual(['1 other harness run(s) on the machine']);
    expect(interval(0, { otherCpu: 0.6, cpuPressure: 0.4 }).why).toEqual(['other processes took 0.60 cores, CPU pressure 40 %']);
  });
  it('does not blame other processes that took CPU from an idle machine', () => {
    expect(interval(0, { otherCpu: 0.6, cpuPressure: 0.05 }).starved).toBe(false);
    expect(interval(0, { otherCpu: 0.1, cpuPressure: 0.6 }).starved).toBe(false);
  });
  it('leaves dropped iterations of an idle k6 to the stack (its slowness held the VUs)', () => {
    expect(interval(0, { dropped: 12, k6Cpu: 0.3 }).starved).toBe(false);
  });
});

describe('applyBlame', () => {
  it('turns a failing SLO whose worst window overlaps a starved second into inconclusive, with the figures', () => {
    const iv = calm.map((i, k) => (k === 20 ? interval(20, { stackLoopLag: 0.5 }) : i));
    const v = applyBlame(verdict([slo('p95', 'fail', [15, 25])]), health(iv), plan);
    expect(v.slos[0]!.status).toBe('inconclusive');
    expect(v.slos[0]!.detail).toContain('stack event loop stalled 0.50 s');
    expect(v.status).toBe('inconclusive');
    expect(v.health?.intervals).toHaveLength(60);
  });
  it('keeps a failure whose breach interval the harness was healthy in', () => {
    const iv = calm.map((i, k) => (k === 50 ? interval(50, { k6Cpu: 1.95 }) : i));
    const v = applyBlame(verdict([slo('p95', 'fail', [15, 25])]), health(iv), plan);
    expect(v.slos[0]!.status).toBe('fail');
    expect(v.status).toBe('fail');
  });
  it('needs more than a stray second to excuse a whole-run breach (5 %)', () => {
    const iv = calm.map((i, k) => (k === 30 ? interval(30, { otherRuns: 1 }) : i));
    expect(applyBlame(verdict([slo('errors', 'fail', null)]), health(iv), plan).status).toBe('fail');
    const many = calm.map((i, k) => (k >= 30 && k < 34 ? interval(k, { otherRuns: 1 }) : i));
    expect(applyBlame(verdict([slo('errors', 'fail', null)]), health(many), plan).status).toBe('inconclusive');
  });
  it('blames a trigger row that fired during a stall', () => {
    const iv = calm.map((i, k) => (k === 40 ? interval(40, { seconds: 1.5 }) : i));
    const t = trigger({ heldIntervals: [[T0 + 40.2, T0 + 40.6]], firedAt: T0 + 40.2, scaledAt: T0 + 41 });
    const v = applyBlame(verdict([], [t]), health(iv), plan);
    expect(v.triggers[0]!.status).toBe('inconclusive');
    expect(v.reasons.join('\n')).toMatch(/trigger payments-queue: inconclusive, not fail: .*harness process stalled 0.50 s/);
  });
  it('leaves a still failing row failing the run while another is excused', () => {
    const iv = calm.map((i, k) => (k === 20 ? interval(20, { stackLoopLag: 0.5 }) : i));
    const v = applyBlame(verdict([slo('p95', 'fail', [15, 25]), slo('p99', 'fail', [45, 55])]), health(iv), plan);
    expect(v.slos.map((s) => s.status)).toEqual(['inconclusive', 'fail']);
    expect(v.status).toBe('fail');
  });
  it('makes a run whose k6 died inconclusive, naming k6', () => {
    const v = applyBlame(verdict([slo('achieved', 'fail', null)]), health(calm, 'k6 was killed by SIGKILL'), plan);
    expect(v.status).toBe('inconclusive');
    expect(v.reasons[0]).toBe('k6 was killed by SIGKILL during the load: the run could not finish, so it is inconclusive');
  });
});

describe('applyBlame on a flapping row (time scale 66: a 4.5 s flap window)', () => {
  const starvedAt = (secs: number[]): HealthInterval[] => calm.map((i, k) => (secs.includes(k) ? interval(k, { k6Cpu: 1.95 }) : i));
  const flapping = (held: boolean): TriggerResult =>
    trigger({
      expect: 'any',
      outcome: 'flapping',
      heldIntervals: [[T0 + 2, T0 + 58]],
      firedAt: T0 + 5,
      scaledAt: T0 + 6,
      detail: 'its own replicas went down and back up 3 times',
      flapCycles: [10, 30, 50].map((d) => ({ down: T0 + d, back: T0 + d + 2, heldAtDown: held })),
    });

  it('keeps the fail when the autoscaler scaled down while the condition held, however starved the run', () => {
    const v = applyBlame(verdict([], [flapping(true)]), health(starvedAt([8, 9, 28, 29, 48, 49])), plan);
    expect(v.triggers[0]!.status).toBe('fail');
    expect(v.status).toBe('fail');
  });
  it('the whole-run rule alone would have excused the same row', () => {
    const { flapCycles: _, ...plain } = flapping(true);
    const v = applyBlame(verdict([], [plain]), health(starvedAt([8, 9, 28, 29, 48, 49])), plan);
    expect(v.triggers[0]!.status).toBe('inconclusive');
  });
  it('sets aside a cycle the starved seconds explain and still fails on the other two', () => {
    const v = applyBlame(verdict([], [flapping(false)]), health(starvedAt([8, 9])), plan);
    expect(v.triggers[0]!.status).toBe('fail');
    expect(v.triggers[0]!.detail).toMatch(/1 of its 3 cycles came after its condition cleared while the harness side starved 2 s of it .*the other 2 still flap/);
  });
  it('is inconclusive when starvation explains all but one cycle', () => {
    const v = applyBlame(verdict([], [flapping(false)]), health(starvedAt([8, 9, 28, 29])), plan);
    expect(v.triggers[0]!.status).toBe('inconclusive');
    expect(v.status).toBe('inconclusive');
    expect(v.reasons).toEqual([expect.stringMatching(/^trigger payments-queue: inconclusive, not fail: 2 of its 3 cycles came after its condition cleared while the harness side starved 4 s/)]);
  });
});

describe('starvedWithin', () => {
  it('counts only the overlap with the breach interval', () => {
    const iv = calm.map((i, k) => (k === 10 ? interval(10, { otherRuns: 2 }) : i));
    expect(starvedWithin(health(iv), T0 + 11, T0 + 20)).toEqual([]);
    expect(starvedWithin(health(iv), T0 + 9, T0 + 12)).toHaveLength(1);
  });
});

describe('coarsen', () => {
  it('keeps a long run within the bound with the worst figures and every reason', () => {
    const long = Array.from({ length: 100 }, (_, k) => interval(k, k === 37 ? { stackLoopLag: 0.6 } : {}));
    const c = coarsen(long, 10);
    expect(c).toHaveLength(10);
    expect(c[3]!.seconds).toBe(10);
    expect(c[3]!.stackLoopLag).toBe(0.6);
    expect(c[3]!.why).toEqual(['stack event loop stalled 0.60 s']);
    expect(c.filter((i) => i.starved)).toHaveLength(1);
  });
});
