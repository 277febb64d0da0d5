/**
 * Every dashboard panel query, executed against a real Prometheus 2.42 holding synthetic data for
 * every series the dashboards read (k6 latency as a real native histogram) and the result series
 * pushResults writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { buildDashboards } from '../../src/grafana/dashboards.ts';
import { ALL, checkPanels, describeFailures, interpolate, panelQueries, type CheckVars, type PanelQuery } from '../../src/grafana/panels.ts';
import { pushResults } from '../../src/grafana/results.ts';
import { fixturePlan, fixtureVerdict } from '../fixtures/grafana/run.ts';
import { writeSyntheticRun } from '../fixtures/grafana/synthetic.ts';
import { startPrometheus, type TestPrometheus } from './prom-helper.ts';

const vars = (over: Partial<CheckVars> = {}): CheckVars => ({
  testid: 'run-a',
  profile: 'spike',
  rateInterval: '1m',
  start: 0,
  end: 600,
  ...over,
});

describe('panelQueries', () => {
  it('finds targets in panels and in collapsed rows, skipping hidden targets', () => {
    const qs = panelQueries({
      uid: 'd',
      panels: [
        { id: 1, title: 'a', targets: [{ refId: 'A', expr: 'up' }, { refId: 'B', expr: 'x', hide: true }] },
        { id: 2, type: 'row', title: 'row', panels: [{ id: 3, title: 'b', targets: [{ refId: 'A', expr: 'y' }] }] },
      ],
    });
    expect(qs).toEqual([
      { dashboard: 'd', panel: 'a', panelId: 1, refId: 'A', expr: 'up' },
      { dashboard: 'd', panel: 'b', panelId: 3, refId: 'A', expr: 'y' },
    ]);
  });
});

describe('interpolate', () => {
  it('substitutes Grafana variables and regex-escapes multi-value selections', () => {
    const expr = 'rate(m{testid=~"$testid", profile=~"${profile}"}[$__rate_interval]) [[testid]] $__interval $__range';
    expect(interpolate(expr, vars({ testid: ['a.b', 'c'], profile: ALL, step: 5 }))).toBe(
      'rate(m{testid=~"(a\\\\.b|c)", profile=~".*"}[1m]) (a\\\\.b|c) 5s 600s',
    );
  });

  it('names an unknown variable', () => {
    expect(() => interpolate('m{x="$nope"}', vars())).toThrow('unknown variable $nope');
  });
});

describe('checkPanels against a real Prometheus', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;
  let range: { start: number; end: number };
  const testid = 'grafana-panels-run';

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
    const run = await writeSyntheticRun(prom.remoteWriteUrl, testid);
    const verdict = { ...fixtureVerdict(testid, run.start + 60, run.end), profile: 'spike' };
    await pushResults(prom.remoteWriteUrl, fixturePlan(testid), verdict);
    range = { start: run.start, end: run.end };
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it('every panel query of every dashboard returns data', async () => {
    const queries = buildDashboards().flatMap((d) => panelQueries(d.json));
    expect(queries.length).toBeGreaterThan(25);
    const checks = await checkPanels(client, queries, vars({ testid, ...range }));
    expect(describeFailures(checks), `panels without data:\n${describeFailures(checks)}\n${prom.logTail()}`).toBe('');
    expect(checks.every((c) => c.ok && c.series > 0)).toBe(true);
  });

  it('the native-histogram latency query gives the synthetic p95 per journey', async () => {
    const p95 = panelQueries(buildDashboards()[0]?.json).find((q) => q.refId === 'B' && q.panel.startsWith('HTTP latency p50'));
    expect(p95?.expr).toContain('histogram_quantile(0.95,');
    const series = await client.query(interpolate(p95?.expr ?? '', vars({ testid, ...range })), range.end);
    const byJourney = Object.fromEntries(series.map((s) => [s.metric.journey, s.value[1]]));
    // Synthetic latencies are spread evenly over [0.5, 1.5) x base, so p95 is about 1.45 x base.
    expect(byJourney.login).toBeGreaterThan(0.08 * 1.2);
    expect(byJourney.login).toBeLessThan(0.08 * 1.7);
    expect(byJourney.checkout).toBeGreaterThan(0.6 * 1.2);
    expect(byJourney.checkout).toBeLessThan(0.6 * 1.7);
  });

  it('reports a misspelled metric, a syntax error and an unknown variable as not ok', async () => {
    const broken: PanelQuery[] = [
      { dashboard: 'd', panel: 'typo', panelId: 1, refId: 'A', expr: 'sum(rate(k6_http_reqs_totl{testid=~"$testid"}[$__rate_interval]))' },
      { dashboard: 'd', panel: 'syntax', panelId: 2, refId: 'A', expr: 'sum by (journey (rate(k6_http_reqs_total[1m]))' },
      { dashboard: 'd', panel: 'var', panelId: 3, refId: 'A', expr: 'k6_vus{testid=~"$run"}' },
    ];
    const checks = await checkPanels(client, broken, vars({ testid, ...range }));
    expect(checks.map((c) => c.ok)).toEqual([false, false, false]);
    expect(checks[0]?.error).toBe('no data');
    expect(checks[1]?.error).toMatch(/parse error/);
    expect(checks[2]?.error).toBe('unknown variable $run');
  });

  it('a run id with no data makes the k6 panels not ok', async () => {
    const queries = panelQueries(buildDashboards()[0]?.json);
    const checks = await checkPanels(client, queries, vars({ testid: 'no-such-run', ...range }));
    const k6 = checks.filter((c) => c.expr.includes('k6_'));
    expect(k6.length).toBeGreaterThan(0);
    expect(k6.every((c) => !c.ok && c.error === 'no data')).toBe(true);
  });
});
