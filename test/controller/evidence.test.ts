import { describe, expect, it } from 'vitest';
import { checkFaultsExercised, dataProblem, faultText } from '../../src/controller/evidence.ts';
import type { TriggerResult } from '../../src/controller/types.ts';

function row(over: Partial<TriggerResult>): TriggerResult {
  return {
    id: 'auth-latency',
    service: 'auth',
    condition: 'p95 latency of POST /auth/login > 800 ms for 180 s',
    action: 'add 2 instances of auth',
    expect: 'any',
    outcome: 'not-exercised',
    status: 'pass',
    heldIntervals: [],
    firedAt: null,
    scaledAt: null,
    lagSeconds: null,
    graceSeconds: 4,
    graceDerivation: 'fixture',
    replicasBefore: null,
    replicasAfter: null,
    expectedStep: 2,
    detail: 'never fired',
    ...over,
  };
}

describe('data behind a row', () => {
  const from = 1000;
  const end = 1060;
  it('no points at all is no data', () => {
    expect(dataProblem({ points: 0, expected: 61, last: null }, from, end, 2)).toBe('returned no data over the run');
  });
  it('data that stops before the end vanished, with the offset where it stopped', () => {
    expect(dataProblem({ points: 31, expected: 61, last: 1030 }, from, end, 2)).toBe('returned no data after +30 s of 60 s');
  });
  it('data up to the end within the tail, over half the steps, is evidence', () => {
    expect(dataProblem({ points: 59, expected: 61, last: 1058.5 }, from, end, 2)).toBeNull();
  });
  it('fewer than half the steps answered is gappy', () => {
    expect(dataProblem({ points: 20, expected: 61, last: 1060 }, from, end, 2)).toBe('answered 20 of 61 steps (under 50 %)');
  });
});

describe('faults on rows that never fired', () => {
  const ignore = { kind: 'ignore' as const, trigger: 'auth-latency' };
  it('a fault on a row that never fired makes the row inconclusive, naming the fault', () => {
    const [r] = checkFaultsExercised([row({})], [ignore]);
    expect(r!.status).toBe('inconclusive');
    expect(r!.detail).toMatch(/^fault ignore:auth-latency injected, but the row never fired/);
  });
  it('a row that fired keeps its own judgement; a row without a fault is untouched', () => {
    const fired = row({ outcome: 'fired-not-scaled', status: 'fail', firedAt: 1030 });
    const other = row({ id: 'auth-cpu' });
    expect(checkFaultsExercised([fired, other], [ignore])).toEqual([fired, other]);
  });
  it('a row expected to fire that did not keeps its failure', () => {
    const missed = row({ expect: 'fire', outcome: 'expected-but-not-fired', status: 'fail' });
    expect(checkFaultsExercised([missed], [ignore])[0]!.status).toBe('fail');
  });
  it('spells faults as --fault does', () => {
    expect([faultText(ignore), faultText({ kind: 'late', trigger: 'x', delaySeconds: 1.5 }), faultText({ kind: 'short', trigger: 'y', count: 1 })]).toEqual([
      'ignore:auth-latency',
      'late:x:1.5',
      'short:y:1',
    ]);
  });
});
