import { describe, expect, it } from 'vitest';
import { changedTriggers, nextState, renderScreen, sloState, stateText, statusLine, triggerText, type LiveSnapshot, type TriggerRow } from '../../src/controller/live-render.ts';

const START = 1_000_000;
const row = (id: string, state: TriggerRow['state'], value: number | null = 72): TriggerRow => ({ id, value, op: '>', threshold: 70, unit: '%', forWallSeconds: 4.5, state });

function snapshot(over: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    runId: 'spike-20261130T220915-89fe',
    profile: 'spike',
    start: START,
    totalSeconds: 60,
    elapsedSeconds: 23,
    stage: 3,
    stages: 8,
    rate: 353,
    targetRate: 400,
    p95Ms: 420,
    errorRatio: 0.0175,
    deployments: [
      { name: 'auth', replicas: 5, triggers: [row('auth-cpu', { state: 'pending', heldSeconds: 2.1 }), row('auth-latency', { state: 'armed' }, 93)] },
      { name: 'payments', replicas: 6, triggers: [{ ...row('payments-queue', { state: 'fired', at: START + 12.5 }, 12), threshold: 10, unit: 'msg', forWallSeconds: 0 }] },
    ],
    slos: [
      { id: 'login-p95', bound: 'p95 <= 1500 ms', unit: 'ms', threshold: 1500, kind: 'max', now: 121, worst: 235 },
      { id: 'errors', bound: 'errors <= 1.00 %', unit: 'ratio', threshold: 0.1, kind: 'max', now: 0.2, worst: 0.2 },
      { id: 'achieved', bound: 'achieved >= 95.0 %', unit: 'ratio', threshold: 0.95, kind: 'min', now: null, worst: null },
    ],
    k6: [],
    ...over,
  };
}

describe('trigger states', () => {
  it('arms, holds (pending with the time held), fires after its window, and re-arms', () => {
    let s = nextState({ state: 'armed' }, true, 100, 4.5, null);
    expect(s).toEqual({ state: { state: 'pending', heldSeconds: 0 }, since: 100 });
    s = nextState(s.state, true, 102.5, 4.5, s.since);
    expect(s.state).toEqual({ state: 'pending', heldSeconds: 2.5 });
    s = nextState(s.state, true, 104.5, 4.5, s.since);
    expect(s.state).toEqual({ state: 'fired', at: 104.5 });
    // Still holding: it stays fired at the time it fired.
    s = nextState(s.state, true, 106, 4.5, s.since);
    expect(s.state).toEqual({ state: 'fired', at: 104.5 });
    // Cleared: still shown as fired; held again: pending anew.
    s = nextState(s.state, false, 107, 4.5, s.since);
    expect(s).toEqual({ state: { state: 'fired', at: 104.5 }, since: null });
    s = nextState(s.state, true, 108, 4.5, s.since);
    expect(s.state).toEqual({ state: 'pending', heldSeconds: 0 });
    expect(nextState({ state: 'pending', heldSeconds: 1 }, false, 109, 4.5, 108)).toEqual({ state: { state: 'armed' }, since: null });
  });

  it('words each state: armed, pending with held time, fired with its offset', () => {
    expect(stateText({ state: 'armed' }, 4.5, START)).toBe('armed');
    expect(stateText({ state: 'pending', heldSeconds: 2.14 }, 4.5, START)).toBe('pending 2.1/4.5 s');
    expect(stateText({ state: 'fired', at: START + 13.33 }, 4.5, START)).toBe('fired at +13.3 s');
    expect(triggerText(row('auth-cpu', { state: 'pending', heldSeconds: 2.1 }), START)).toBe('auth-cpu 72 > 70 % pending 2.1/4.5 s');
    expect(triggerText(row('auth-cpu', { state: 'armed' }, null), START)).toBe('auth-cpu - > 70 % armed');
  });

  it('lists the triggers whose state changed', () => {
    const before = new Map([['auth-cpu', 'armed' as const], ['auth-latency', 'armed' as const]]);
    expect(changedTriggers(before, [row('auth-cpu', { state: 'fired', at: 1 }), row('auth-latency', { state: 'armed' })])).toEqual(['auth-cpu fired']);
  });
});

describe('the terminal screen', () => {
  it('has a header with the run and its window, a line per deployment, the SLOs so far', () => {
    const lines = renderScreen(snapshot(), 200);
    expect(lines[0]).toBe('scale-harness  run spike-20261130T220915-89fe  profile spike');
    expect(lines[1]).toBe('load 13:46:40-13:47:40 UTC  [########............] 23/60 s  stage 3/8');
    expect(lines[2]).toBe('rate 353/400 req/s (88 %)  p95 420 ms  errors 1.75 %');
    const auth = lines.find((l) => l.startsWith('auth '))!;
    expect(auth).toMatch(/^auth\s+5\s+auth-cpu 72 > 70 % pending 2\.1\/4\.5 s {2}\| {2}auth-latency 93 > 70 % armed$/);
    expect(lines.find((l) => l.startsWith('payments '))).toMatch(/payments-queue 12 > 10 msg fired at \+12\.5 s$/);
    const cleared = renderScreen(snapshot({ deployments: [{ name: 'payments', replicas: 6, triggers: [{ ...row('payments-queue', { state: 'fired', at: START + 12.5 }, 7), threshold: 10, unit: 'msg' }] }] }), 200);
    expect(cleared.find((l) => l.startsWith('payments '))).toMatch(/payments-queue 7 > 10 msg fired at \+12\.5 s, now clear$/);
    expect(lines.find((l) => l.startsWith('login-p95'))).toMatch(/p95 <= 1500 ms\s+121 ms\s+235 ms\s+ok$/);
    expect(lines.find((l) => l.startsWith('errors'))).toMatch(/20\.00 %\s+20\.00 %\s+OUT OF BOUND$/);
    expect(lines.find((l) => l.startsWith('achieved'))).toMatch(/-\s+-\s+-$/);
  });

  it('keeps its height as values change, cuts lines at the width, and folds k6 progress in', () => {
    const a = renderScreen(snapshot(), 60);
    const b = renderScreen(snapshot({ elapsedSeconds: 50, rate: 12_345, deployments: snapshot().deployments.map((d) => ({ ...d, replicas: 10 })) }), 60);
    expect(b).toHaveLength(a.length);
    expect(b).not.toEqual(a);
    for (const l of [...a, ...b]) expect(l.length).toBeLessThanOrEqual(60);
    const k = renderScreen(snapshot({ k6: ['running (0m23.6s), 0148/0788 VUs', 'search_direct [ 39% ] 0198/0405 VUs'] }), 200);
    expect(k.slice(-2)).toEqual(['k6 running (0m23.6s), 0148/0788 VUs', '   search_direct [ 39% ] 0198/0405 VUs']);
    // Autoscaler events get a fixed number of rows, so the screen does not grow as they come.
    const e1 = renderScreen(snapshot({ events: { lines: ['autoscaler: a'], rows: 3 } }), 200);
    const e3 = renderScreen(snapshot({ events: { lines: ['autoscaler: a', 'autoscaler: b', 'autoscaler: c'], rows: 3 } }), 200);
    expect(e1).toHaveLength(e3.length);
    expect(e3.slice(-3)).toEqual(['  autoscaler: a', '  autoscaler: b', '  autoscaler: c']);
  });

  it('says ok / OUT OF BOUND / - from the worst window against the bound', () => {
    const s = snapshot().slos;
    expect(s.map(sloState)).toEqual(['ok', 'OUT OF BOUND', '-']);
    expect(sloState({ ...s[2]!, worst: 0.94 })).toBe('OUT OF BOUND');
    expect(sloState({ ...s[2]!, worst: 0.95 })).toBe('ok');
  });
});

describe('the CI status line', () => {
  it('carries elapsed/total, rate vs target, p95, errors, replicas and changed triggers on one line', () => {
    const l = statusLine(snapshot(), ['auth-cpu pending'], ['k6 repeated 3 lines (live.log)']);
    expect(l).toBe('[live] 23/60 s stage 3/8 | rate 353/400 req/s | p95 420 ms | errors 1.75 % | replicas auth 5 payments 6 | triggers auth-cpu pending | k6 repeated 3 lines (live.log)');
    expect(statusLine(snapshot({ rate: null, p95Ms: null, errorRatio: null }), [])).toBe('[live] 23/60 s stage 3/8 | rate -/400 req/s | p95 - ms | errors - | replicas auth 5 payments 6');
  });
});
