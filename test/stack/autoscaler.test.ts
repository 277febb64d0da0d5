/**
 * The autoscaler's rules, made deterministic: a scripted target and fake timers drive its sync
 * loop at time scale 1 (sync 15 s, cool-down 180 s, stabilization 300 s). The real-time proof
 * against the running stack is in autoscaler-live.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlanTrigger } from '../../src/plan/types.ts';
import { Autoscaler, type Replicas, type ScalingTarget } from '../../src/stack/autoscaler.ts';
import type { Fault } from '../../src/stack/faults.ts';

const PERIODS = { syncSeconds: 15, cooldownSeconds: 180, stabilizationSeconds: 300 };

function trig(o: Partial<PlanTrigger> & Pick<PlanTrigger, 'id' | 'signal' | 'threshold'>): PlanTrigger {
  return {
    service: 'auth',
    percentile: 95,
    op: '>',
    forSeconds: o.forWallSeconds ?? 0,
    forWallSeconds: 0,
    action: { type: 'add-instances', count: 2 },
    minReplicas: 2,
    maxReplicas: 10,
    expect: 'any',
    source: 'test',
    ...o,
  };
}

/** A target whose signals the test sets; new replicas become ready after `startupSeconds`. */
class ScriptedTarget implements ScalingTarget {
  values = new Map<string, number | null>();
  private readonly deps = new Map<string, Replicas>();
  constructor(private readonly startupSeconds = 0) {}
  set(deployment: string, n: number): this {
    this.deps.set(deployment, { desired: n, created: n, ready: n });
    return this;
  }
  observe(t: PlanTrigger): number | null {
    return this.values.get(t.id) ?? null;
  }
  replicas(deployment: string): Replicas {
    return { ...(this.deps.get(deployment) ?? { desired: 0, created: 0, ready: 0 }) };
  }
  setDesired(deployment: string, n: number): void {
    const r = this.replicas(deployment);
    if (n <= r.ready || this.startupSeconds === 0) {
      this.deps.set(deployment, { desired: n, created: n, ready: n });
      return;
    }
    this.deps.set(deployment, { desired: n, created: n, ready: r.ready });
    setTimeout(() => this.deps.set(deployment, { desired: n, created: n, ready: n }), this.startupSeconds * 1000);
  }
}

const now = (): number => Date.now() / 1000;
let t0 = 0;

function scaler(triggers: PlanTrigger[], target: ScalingTarget, faults: Fault[] = []): Autoscaler {
  const a = new Autoscaler({ triggers, target, periods: PERIODS, clock: now, faults: new Map(faults.map((f) => [f.trigger, f])) });
  a.start();
  return a;
}

async function advance(seconds: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(seconds * 1000);
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  t0 = now();
});
afterEach(() => {
  vi.useRealTimers();
});

const cpu = trig({ id: 'auth-cpu', signal: 'cpu', threshold: 70, forWallSeconds: 300 });

describe('triggers', () => {
  it('adds the promised instances once the condition has held for its for-window, not before', async () => {
    const target = new ScriptedTarget().set('auth', 3);
    target.values.set('auth-cpu', 90);
    const a = scaler([cpu], target);
    await advance(300);
    expect(a.events).toHaveLength(0);
    await advance(30);
    expect(a.events).toHaveLength(1);
    const e = a.events[0];
    // Held from the first sync (t0 + 15 s): fires at the first sync 300 s later.
    expect(e?.at).toBeCloseTo(t0 + 315, 6);
    expect(e).toMatchObject({ trigger: 'auth-cpu', deployment: 'auth', direction: 'up', from: 3, to: 5 });
    expect(target.replicas('auth').desired).toBe(5);
    a.stop();
  });

  it('restarts the held time when the condition lapses for one sync', async () => {
    const target = new ScriptedTarget().set('auth', 3);
    const a = scaler([cpu], target);
    for (let i = 0; i < 60; i++) {
      target.values.set('auth-cpu', i % 15 === 14 ? 60 : 90);
      await advance(15);
    }
    expect(a.events).toHaveLength(0);
    a.stop();
  });

  it('cools down after acting and stops at maxReplicas', async () => {
    const q = trig({ id: 'payments-queue', service: 'payments', signal: 'queue', queue: 'payment-processing', threshold: 500, action: { type: 'add-instances', count: 3 }, maxReplicas: 7 });
    const target = new ScriptedTarget().set('payments', 3);
    target.values.set('payments-queue', 800);
    const a = scaler([q], target);
    await advance(15);
    expect(a.events.map((e) => e.to)).toEqual([6]);
    await advance(165);
    expect(a.events).toHaveLength(1);
    await advance(15 * 40);
    expect(a.events.map((e) => [e.from, e.to])).toEqual([
      [3, 6],
      [6, 7],
    ]);
    expect(target.replicas('payments').desired).toBe(7);
    a.stop();
  });

  it('an alert trigger counts an alert and scales nothing', async () => {
    const db = trig({ id: 'database-cpu', service: 'database', signal: 'cpu', threshold: 80, forWallSeconds: 600, action: { type: 'alert', note: 'investigate' }, minReplicas: 1, maxReplicas: 1 });
    const target = new ScriptedTarget().set('database', 1);
    target.values.set('database-cpu', 95);
    const a = scaler([db], target);
    await advance(630);
    expect(a.events.map((e) => e.direction)).toEqual(['alert']);
    expect(target.replicas('database')).toEqual({ desired: 1, created: 1, ready: 1 });
    a.stop();
  });

  it('add-workers scales the named deployment', async () => {
    const lag = trig({ id: 'eventbus-lag', service: 'rewards-worker', signal: 'queue', queue: 'transaction.completed', threshold: 5000, action: { type: 'add-workers', count: 2, deployment: 'rewards-worker' } });
    const target = new ScriptedTarget().set('rewards-worker', 2);
    target.values.set('eventbus-lag', 6000);
    const a = scaler([lag], target);
    await advance(15);
    expect(target.replicas('rewards-worker').desired).toBe(4);
    a.stop();
  });
});

describe('HPA', () => {
  const hpaCpu = trig({ id: 'backend-cpu', service: 'backend', signal: 'cpu', threshold: 70, action: { type: 'hpa' } });
  const hpaMem = trig({ id: 'backend-memory', service: 'backend', signal: 'memory', threshold: 80, action: { type: 'hpa' } });

  it('desired = ceil(current × observed / target), once the new pods are ready', async () => {
    const target = new ScriptedTarget(30).set('backend', 3);
    target.values.set('backend-cpu', 100);
    target.values.set('backend-memory', 90);
    const a = scaler([hpaCpu, hpaMem], target);
    await advance(15);
    // cpu: ceil(3 × 100 / 70) = 5; memory (ceil(3 × 90 / 80) = 4) waits while pods start.
    expect(a.events.map((e) => [e.trigger, e.from, e.to])).toEqual([['backend-cpu', 3, 5]]);
    await advance(45);
    // Ready at 5: memory asks ceil(5 × 90 / 80) = 6; cpu is cooling down.
    expect(a.events.map((e) => [e.trigger, e.from, e.to])).toEqual([
      ['backend-cpu', 3, 5],
      ['backend-memory', 5, 6],
    ]);
    a.stop();
  });

  it('leaves replicas alone within the 10 % tolerance and caps at maxReplicas', async () => {
    const target = new ScriptedTarget().set('backend', 3);
    target.values.set('backend-cpu', 76);
    const a = scaler([hpaCpu], target);
    await advance(60);
    expect(a.events).toHaveLength(0);
    target.values.set('backend-cpu', 400);
    await advance(15);
    expect(a.events.map((e) => e.to)).toEqual([10]);
    a.stop();
  });

  it("late: the delay starts where the HPA would act, outside its tolerance, not at its target", async () => {
    const start = now();
    const target = new ScriptedTarget().set('backend', 3);
    // Over the 70 % target but inside the tolerance (acts above 77 %) for a minute, then out of it.
    target.values.set('backend-cpu', 74);
    const a = scaler([hpaCpu], target, [{ kind: 'late', trigger: 'backend-cpu', delaySeconds: 40 }]);
    await advance(60);
    target.values.set('backend-cpu', 100);
    await advance(120);
    a.stop();
    // Out of tolerance at the sync at 75 s: acts 40 s later, ceil(3 × 100 / 70) = 5.
    expect(a.events.map((e) => [Math.round(e.at - start), e.from, e.to])).toEqual([[115, 3, 5]]);
  });
});

describe('scale-down', () => {
  it('removes one replica per stabilization window when well clear, never below min', async () => {
    const target = new ScriptedTarget().set('auth', 4);
    target.values.set('auth-cpu', 10);
    const a = scaler([cpu], target);
    await advance(300);
    expect(a.events).toHaveLength(0);
    await advance(15);
    expect(a.events.map((e) => [e.direction, e.from, e.to])).toEqual([['down', 4, 3]]);
    await advance(3000);
    expect(target.replicas('auth').desired).toBe(2);
    expect(a.events.every((e) => e.to >= 2)).toBe(true);
    a.stop();
  });

  it('keeps replicas that the load still needs', async () => {
    const target = new ScriptedTarget().set('auth', 7);
    // At 55 % on 7 replicas, 6 would run at 64 %: over 90 % of the 70 % target.
    target.values.set('auth-cpu', 55);
    const a = scaler([cpu], target);
    await advance(1200);
    expect(a.events).toHaveLength(0);
    a.stop();
  });
});

describe('faults', () => {
  /** Sustained 90 % CPU for 900 s; returns the events with `at` relative to the run's start. */
  async function run(faults: Fault[]): Promise<Array<{ at: number; direction: string; from: number; to: number }>> {
    const start = now();
    const target = new ScriptedTarget().set('auth', 3);
    target.values.set('auth-cpu', 90);
    const a = scaler([cpu], target, faults);
    await advance(900);
    a.stop();
    return a.events.map((e) => ({ at: e.at - start, direction: e.direction, from: e.from, to: e.to }));
  }

  it('ignore: never acts', async () => {
    expect(await run([{ kind: 'ignore', trigger: 'auth-cpu' }])).toHaveLength(0);
  });

  it('late: acts delaySeconds later than it should', async () => {
    const good = (await run([]))[0];
    const late = (await run([{ kind: 'late', trigger: 'auth-cpu', delaySeconds: 40 }]))[0];
    expect(good?.at).toBeCloseTo(315, 6);
    expect(late?.at).toBeCloseTo(355, 6);
    expect(late).toMatchObject({ from: 3, to: 5 });
  });

  it('short: scales by the fault count instead of the promised step', async () => {
    const e = (await run([{ kind: 'short', trigger: 'auth-cpu', count: 1 }]))[0];
    expect(e).toMatchObject({ from: 3, to: 4 });
  });

  it('flap: scales back down at the next sync, up again when it re-fires', async () => {
    const events = await run([{ kind: 'flap', trigger: 'auth-cpu' }]);
    expect(events.map((e) => `${e.at} ${e.direction} ${e.from}->${e.to}`)).toEqual(['315 up 3->5', '330 down 5->3', '615 up 3->5', '630 down 5->3']);
  });
});
