import { describe, expect, it } from 'vitest';
import type { SloResult, TriggerResult, Verdict } from '../../src/controller/types.ts';
import { classify } from '../../src/selftest/classify.ts';
import { MATRIX, MatrixSchema } from '../../src/selftest/matrix.ts';
import { prepareRun } from '../../src/run/prepare.ts';

function trigger(id: string, outcome: TriggerResult['outcome'], status: TriggerResult['status']): TriggerResult {
  return {
    id, service: 'auth', condition: '', action: '', expect: 'any', outcome, status, heldIntervals: [], firedAt: null, scaledAt: null, lagSeconds: null,
    graceSeconds: 1, graceDerivation: '', replicasBefore: null, replicasAfter: null, expectedStep: 2, detail: `${id} detail`,
  };
}

function slo(id: string, status: SloResult['status']): SloResult {
  return { id, objective: 'error-rate', scope: {}, bound: '', threshold: 0.01, unit: 'ratio', observed: 0, worstWindow: null, status, detail: `${id} detail` };
}

function verdict(status: Verdict['status'], triggers: TriggerResult[] = [], slos: SloResult[] = []): Verdict {
  return {
    runId: 'r', profile: 'spike', stack: 'meqenet', target: 'embedded', status, reasons: status === 'pass' ? [] : ['why'], startedAt: 0, endedAt: 60, scale: 1, timeScale: 1,
    slos, traffic: [], crossCheck: { prometheusRequests: 1, k6Requests: 1, diffRatio: 0, status: 'pass' }, triggers, interrupted: false, k6ExitCode: 0,
  };
}

const run = (v: Verdict | null) => ({ verdict: v, trouble: v ? null : 'the run wrote no verdict', exitCode: v ? 1 : 4 });
const expectIgnore = { row: 'trigger:auth-cpu', outcome: 'fired-not-scaled' };

describe('classify', () => {
  it('detected: the expected row says the expected outcome, whatever else broke', () => {
    const v = verdict('fail', [trigger('auth-cpu', 'fired-not-scaled', 'fail'), trigger('auth-latency', 'flapping', 'fail')]);
    expect(classify(expectIgnore, run(v))).toMatchObject({ cell: 'detected', observed: 'fail: trigger:auth-cpu fired-not-scaled, trigger:auth-latency flapping' });
  });

  it('an SLO row is detected by its status', () => {
    expect(classify({ row: 'slo:checkout-errors', outcome: 'fail' }, run(verdict('fail', [], [slo('checkout-errors', 'fail')]))).cell).toBe('detected');
  });

  it('wrong: the run failed, but on another row or with another outcome', () => {
    const v = verdict('fail', [trigger('auth-cpu', 'scaled-late', 'fail')]);
    expect(classify(expectIgnore, run(v))).toMatchObject({ cell: 'wrong', detail: 'trigger:auth-cpu said scaled-late (auth-cpu detail)' });
    expect(classify({ row: 'slo:checkout-errors', outcome: 'fail' }, run(verdict('fail', [], [slo('errors', 'fail')])))).toMatchObject({
      cell: 'wrong',
      detail: 'the verdict has no row slo:checkout-errors',
    });
  });

  it('missed: a fault case whose run passed', () => {
    expect(classify(expectIgnore, run(verdict('pass', [trigger('auth-cpu', 'fired-and-scaled', 'pass')]))).cell).toBe('missed');
  });

  it('clean cases: passed or false alarm', () => {
    expect(classify('pass', run(verdict('pass'))).cell).toBe('passed');
    expect(classify('pass', run(verdict('fail', [], [slo('errors', 'fail')])))).toMatchObject({ cell: 'false-alarm', observed: 'fail: slo:errors fail' });
  });

  it('inconclusive: no verdict, or an inconclusive one without the expected row', () => {
    expect(classify(expectIgnore, run(null))).toMatchObject({ cell: 'inconclusive', observed: 'no verdict (exit 4)' });
    expect(classify('pass', run(verdict('inconclusive'))).cell).toBe('inconclusive');
    expect(classify(expectIgnore, run(verdict('inconclusive', [trigger('auth-cpu', 'not-fired', 'inconclusive')]))).cell).toBe('inconclusive');
  });
});

describe('the built-in matrix', () => {
  it('covers every signal kind with ignore, three late delays, short and flap, the stack faults and clean runs', () => {
    const faults = MATRIX.flatMap((c) => c.faults.map((f) => f.split(':')[0]));
    for (const kind of ['cpu', 'latency', 'queue', 'hpa']) expect(MATRIX.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(6);
    for (const f of ['ignore', 'late', 'short', 'flap', 'slow', 'errors', 'leak', 'proxy-down']) expect(faults).toContain(f);
    expect(MATRIX.filter((c) => c.noAutoscale).map((c) => c.profile)).toEqual(['spike', 'reloop']);
    expect(MATRIX.filter((c) => c.expect === 'pass' && c.faults.length === 0).length).toBe(9);
  });

  it('the reduced matrix keeps one case per signal kind, every stack fault and clean runs', () => {
    const quick = MATRIX.filter((c) => c.quick);
    expect(quick.map((c) => c.id)).toEqual([
      'auth-cpu-ignore', 'marketplace-search-latency-flap', 'payments-queue-late-4-graces', 'backend-cpu-ignore', 'no-autoscale-spike',
      'slow-checkout-route', 'errors-checkout', 'leak-soak', 'proxy-down-rural', 'clean-spike-1', 'clean-reloop-1',
    ]);
  });

  it("late cases run where lateness is judged: on the CPU and HPA rows, a profile that expects the row to fire", async () => {
    const late = MATRIX.filter((c) => c.faults.some((f) => f.startsWith('late:')) && (c.kind === 'cpu' || c.kind === 'hpa'));
    expect(late.map((c) => c.profile)).toEqual([...Array(3).fill('profiles/selftest/auth-cpu-step.ts'), ...Array(3).fill('profiles/selftest/reloop-step.ts')]);
    for (const c of late) {
      const trigger = c.faults[0]!.split(':')[1]!;
      const { plan } = await prepareRun({ profile: c.profile, quick: true });
      expect(plan.triggers.find((t) => t.id === trigger)?.expect, c.id).toBe('fire');
      // Each has a clean run of its own.
      expect(MATRIX.some((x) => x.profile === c.profile && x.kind === 'clean'), c.id).toBe(true);
    }
  });

  it('refuses a case id used twice', () => {
    const c = { id: 'a', kind: 'clean', profile: 'spike', expect: 'pass' };
    expect(MatrixSchema.safeParse([c, c]).error?.issues[0]?.message).toBe('case id "a" is used twice');
  });
});
