import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { pushResults, RemoteWriteError, resultSeries } from '../../src/grafana/results.ts';
import { RESULT_SERIES } from '../../src/grafana/series.ts';
import { fixturePlan, fixtureVerdict } from '../fixtures/grafana/run.ts';
import { startPrometheus, type TestPrometheus } from './prom-helper.ts';

const NAMES = new Set<string>(Object.values(RESULT_SERIES).map((s) => s.name));

describe('resultSeries', () => {
  const plan = fixturePlan('r1');
  const verdict = fixtureVerdict('r1', 1_800_000_000, 1_800_000_120);
  const all = resultSeries(plan, verdict);
  const named = (name: string) => all.filter((s) => s.labels.__name__ === name);

  it('uses only the names declared in series.ts, with the run labels', () => {
    for (const s of all) {
      expect(NAMES.has(s.labels.__name__), s.labels.__name__).toBe(true);
      if (s.labels.__name__ === RESULT_SERIES.targetRate.name) expect(s.labels.testid).toBe('r1');
      else expect(s.labels).toMatchObject({ run_id: 'r1', profile: 'spike', target: 'embedded' });
    }
  });

  it('stamps verdict series at the run end and leaves undefined values out', () => {
    for (const s of all.filter((x) => x.labels.__name__ !== RESULT_SERIES.targetRate.name)) {
      expect(s.samples).toEqual([{ value: expect.any(Number), timestamp: 1_800_000_120_000 }]);
    }
    expect(named(RESULT_SERIES.runStatus.name)[0]?.labels).toMatchObject({ status: 'fail', stack: 'meqenet' });
    expect(named(RESULT_SERIES.sloPass.name).map((s) => s.samples[0]?.value)).toEqual([1, 1]);
    expect(named(RESULT_SERIES.triggerOutcome.name).map((s) => s.labels.outcome)).toEqual(['scaled-late', 'not-fired']);
    // database-cpu never fired: it has a grace but no lag.
    expect(named(RESULT_SERIES.triggerLag.name).map((s) => [s.labels.trigger, s.samples[0]?.value])).toEqual([['payments-queue', 9]]);
    expect(named(RESULT_SERIES.triggerGrace.name)).toHaveLength(2);
  });

  it('traces the planned rate of each scenario over the load window, in time order', () => {
    const [login] = named(RESULT_SERIES.targetRate.name);
    const ts = login?.samples.map((s) => s.timestamp) ?? [];
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(new Set(ts).size).toBe(ts.length);
    expect(ts[0]).toBe(1_800_000_000_000);
    expect(ts.at(-1)).toBe(1_800_000_120_000);
    expect(login?.labels).toMatchObject({ scenario: 'login_direct', journey: 'login', cohort: 'direct', service: 'auth' });
  });

  it('draws the planned rate from startRate and steps to 0 when the stages end before the run does', () => {
    // The load ran 150 s; login's stages (1 -> 10 it/s over 60 s, hold 60 s) end at 120 s.
    const long = resultSeries(plan, fixtureVerdict('r1', 1_800_000_000, 1_800_000_150));
    const login = long.find((s) => s.labels.__name__ === RESULT_SERIES.targetRate.name && s.labels.scenario === 'login_direct');
    const at = (ms: number) => login?.samples.find((x) => x.timestamp === ms)?.value;
    expect(at(1_800_000_000_000)).toBe(1);
    expect(at(1_800_000_030_000)).toBe(5.5);
    expect(at(1_800_000_120_000)).toBe(10);
    expect(at(1_800_000_120_001)).toBe(0);
    expect(at(1_800_000_150_000)).toBe(0);
  });
});

describe('pushResults against a real Prometheus', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it('writes every result series, and each reads back by run id', async () => {
    const runId = 'results-run-1';
    const end = Math.floor(Date.now() / 1000) - 5;
    const plan = fixturePlan(runId);
    const verdict = fixtureVerdict(runId, end - 120, end);
    const summary = await pushResults(prom.remoteWriteUrl, plan, verdict);
    const expected = resultSeries(plan, verdict);
    expect(summary).toEqual({ series: expected.length, samples: expected.reduce((n, s) => n + s.samples.length, 0), dropped: 0 });

    for (const s of expected) {
      const { __name__: name, ...labels } = s.labels;
      const matchers = Object.entries(labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ');
      const last = s.samples.at(-1)!;
      const got = await client.query(`${name}{${matchers}}`, last.timestamp / 1000);
      expect(got, `${name}{${matchers}}`).toHaveLength(1);
      expect(got[0]?.value[1]).toBeCloseTo(last.value, 9);
    }
    const byRun = await client.query(`count by (__name__) ({run_id="${runId}"})`, end);
    expect(byRun.map((r) => r.metric.__name__).sort()).toEqual(
      [...new Set(expected.filter((s) => s.labels.run_id === runId).map((s) => s.labels.__name__))].sort(),
    );
    const curve = await client.queryRange(`sum(${RESULT_SERIES.targetRate.name}{testid="${runId}"})`, end - 120, end, 10);
    expect(curve[0]?.values.length).toBe(13);
    expect(curve[0]?.values.at(-1)?.[1]).toBe(15);
  });

  it('leaves out samples Prometheus would reject as too old, and says how many', async () => {
    const runId = 'results-run-old';
    const end = Math.floor(Date.now() / 1000);
    const summary = await pushResults(prom.remoteWriteUrl, fixturePlan(runId), fixtureVerdict(runId, end - 120, end), {
      maxAgeSeconds: 60,
    });
    expect(summary.dropped).toBeGreaterThan(0);
  });

  it('reports the status and Prometheus message when the write is refused', async () => {
    const err = await pushResults(`${prom.url}/api/v1/nope`, fixturePlan('x'), fixtureVerdict('x', 1, 2), { maxAgeSeconds: 1e10 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RemoteWriteError);
    expect((err as RemoteWriteError).status).toBe(404);
    expect((err as Error).message).toContain('HTTP 404');
  });
});
