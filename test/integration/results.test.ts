/**
 * Results where people look, checked on a real run: every Grafana panel's query returns data
 * from the run's Prometheus (a panel that shows nothing fails), a broken query is caught, and
 * the run's own report.html renders its charts with data in headless Chromium.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProfile, type RunOutcome } from '../../src/run/index.ts';
import { buildDashboards } from '../../src/grafana/dashboards.ts';
import { checkPanels, describeFailures, panelQueries, type PanelCheck } from '../../src/grafana/panels.ts';
import { checkReportInBrowser } from '../report/browser-check.ts';
import { RUNS_DIR } from '../../src/util/paths.ts';

let run: RunOutcome;
let checks: PanelCheck[] = [];
let broken: PanelCheck[] = [];

beforeAll(async () => {
  run = await runProfile({
    profile: 'spike',
    quick: true,
    durationSeconds: 1200,
    log: () => undefined,
    afterRun: async ({ source, plan, verdict }) => {
      const queries = buildDashboards().flatMap((d) => panelQueries(d.json));
      const vars = { testid: plan.runId, profile: plan.profile, rateInterval: '5s', start: verdict.startedAt, end: verdict.endedAt + 5 };
      checks = await checkPanels(source, queries, vars);
      // One query with a syntax error and one that names a metric nobody exports.
      const first = queries[0]!;
      broken = await checkPanels(source, [{ ...first, expr: `${first.expr} )(` }, { ...first, expr: 'sum(rate(k6_http_reqz_total{testid="$testid"}[$__rate_interval]))' }], vars);
    },
  });
}, 300_000);

describe('results of a real spike run', () => {
  it('every dashboard panel query returns data', () => {
    expect(checks.length).toBeGreaterThan(10);
    expect(describeFailures(checks), describeFailures(checks)).toBe('');
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('a broken panel query is reported as failing', () => {
    expect(broken).toHaveLength(2);
    expect(broken.map((b) => b.ok)).toEqual([false, false]);
  });

  it("the run's report.html draws its charts with data, with no console errors", async () => {
    const shot = path.join(RUNS_DIR, '_screenshots', 'spike-run-report.png');
    const r = await checkReportInBrowser(path.join(run.runDir, 'report.html'), shot);
    expect(r.consoleErrors).toEqual([]);
    expect(r.pageErrors).toEqual([]);
    expect(r.networkRequests).toEqual([]);
    expect(r.charts.length).toBeGreaterThanOrEqual(4);
    for (const c of r.charts) expect(c.data, `chart ${c.id} has no plotted data`).toBeGreaterThan(0);
  });
});
