/**
 * A quick run with Prometheus and Grafana as containers, checked against the real Grafana:
 * every provisioned dashboard loads, every panel query executed through Grafana's datasource
 * query endpoint returns data, and the run window and trigger firings are annotations.
 * Needs a container engine: without one the tests are skipped with the reason, unless
 * REQUIRE_DOCKER=1 (the nightly container job), where no engine is a failure.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectEngine } from '../../src/containers/engine.ts';
import { buildDashboards } from '../../src/grafana/dashboards.ts';
import { PROVISIONED_DATASOURCE_UID } from '../../src/grafana/kit.ts';
import { panelQueries } from '../../src/grafana/panels.ts';
import { runProfile, type RunOutcome } from '../../src/run/index.ts';
import { annotations, getJson, queryPanel, type GrafanaAnnotation } from './grafana-api.ts';

const engine = await detectEngine();
const required = process.env.REQUIRE_DOCKER === '1';
const why = engine.ok ? '' : engine.why;

describe.runIf(!engine.ok && required)('container engine (REQUIRE_DOCKER=1)', () => {
  it('is reachable', () => {
    expect(why).toBe('');
  });
});

describe.skipIf(!engine.ok)(`Grafana and Prometheus in containers${engine.ok ? '' : ` (skipped: ${why})`}`, () => {
  let run: RunOutcome;
  const loads: Array<{ uid: string; status: number; panels: number }> = [];
  const failures: string[] = [];
  let queried = 0;
  let found: GrafanaAnnotation[] = [];
  // runProfile turns a throw in afterRun into an inconclusive verdict: keep the message.
  let checkError = '';

  beforeAll(async () => {
    run = await runProfile({
      profile: 'spike',
      quick: true,
      // As test/integration/results.test.ts, whose panel checks pass on the local Prometheus.
      durationSeconds: 1200,
      containers: true,
      log: (l) => process.stderr.write(`${l}\n`),
      afterRun: ({ plan, verdict }) =>
        check(plan.runId, plan.profile, verdict).catch((err: unknown) => {
          checkError = (err as Error).stack ?? String(err);
        }),
    });
  }, 900_000);

  async function check(runId: string, profile: string, verdict: RunOutcome['verdict']): Promise<void> {
    const grafana = new URL(verdict.dashboardUrl ?? 'http://missing.invalid').origin;
    const vars = { testid: runId, profile, rateInterval: '5s', start: verdict.startedAt, end: verdict.endedAt + 5 };
    for (const d of buildDashboards()) {
      const r = await getJson(`${grafana}/api/dashboards/uid/${d.uid}`);
      const dash = (r.json as { dashboard?: { panels?: unknown[] } }).dashboard;
      loads.push({ uid: d.uid, status: r.status, panels: dash?.panels?.length ?? 0 });
      for (const q of panelQueries(dash)) {
        queried += 1;
        const res = await queryPanel(grafana, PROVISIONED_DATASOURCE_UID, q, vars);
        if (res.frames === 0) failures.push(`${q.dashboard} / ${q.panel} [${q.refId}]: ${res.error ?? 'no data'}`);
      }
    }
    found = await annotations(grafana, verdict.startedAt * 1000 - 60_000, verdict.endedAt * 1000 + 60_000, ['scale-harness', runId]);
  }

  it('the checks against Grafana ran to the end', () => {
    expect(checkError).toBe('');
  });

  it('puts the dashboard URL for the run in the verdict and summary', async () => {
    const v = run.verdict;
    expect(v.dashboardUrl).toMatch(new RegExp(`/d/scale-harness-overview\\?orgId=1&from=\\d{13}&to=\\d{13}&var-testid=${run.plan.runId}$`));
    expect(await readFile(`${run.runDir}/summary.md`, 'utf8')).toContain(`Grafana: ${v.dashboardUrl}`);
  });

  it('every dashboard loads through GET /api/dashboards/uid/:uid', () => {
    expect(loads.map((l) => [l.uid, l.status])).toEqual([
      ['scale-harness-overview', 200],
      ['scale-harness-scaling', 200],
      ['scale-harness-slos', 200],
    ]);
    for (const l of loads) expect(l.panels, l.uid).toBeGreaterThan(0);
  });

  it("every panel's query returns data through POST /api/ds/query", () => {
    expect(queried).toBeGreaterThan(10);
    expect(failures.join('\n')).toBe('');
  });

  it('annotations mark the run window and every trigger that fired', () => {
    const v = run.verdict;
    const window = found.filter((a) => a.tags.includes('run'));
    expect(window).toHaveLength(1);
    expect(window[0]?.time).toBe(Math.round(v.startedAt * 1000));
    expect(window[0]?.timeEnd).toBe(Math.round(v.endedAt * 1000));
    const fired = v.triggers.filter((t) => t.firedAt !== null);
    expect(fired.length).toBeGreaterThan(0);
    for (const t of fired) {
      const a = found.find((x) => x.tags.includes('trigger-fired') && x.tags.includes(t.id));
      expect(a?.time, `annotation for ${t.id}`).toBe(Math.round((t.firedAt ?? 0) * 1000));
    }
  });
});
