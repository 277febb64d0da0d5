/**
 * The judging half of the 24 h soak bench, in its own process so that its memory is the
 * harness's alone: reads the plan, judges the window from Prometheus exactly as `run` does
 * (src/run/judge.ts: SLOs, traffic, cross-check, triggers, scrape coverage), collects the
 * report series, and prints one JSON line: wall seconds, peak RSS, queries, the verdict.
 *
 * Usage: tsx bench/soak24-judge.ts PLAN.json PROMETHEUS_URL START END HTTP_REQS ITERATIONS
 */
import { readFile } from 'node:fs/promises';
import { PrometheusClient, type MetricSource } from '../src/metrics/client.ts';
import type { Plan } from '../src/plan/types.ts';
import { judge } from '../src/run/judge.ts';
import { prepareRun } from '../src/run/prepare.ts';
import { collectSeries } from '../src/report/series.ts';
import { clientTimeoutMs } from '../src/controller/recording.ts';

interface QueryTime {
  kind: 'instant' | 'range';
  expr: string;
  seconds: number;
}

/** Wraps a source to time each query (range queries count once, whatever their chunks). */
function timed(inner: MetricSource, log: QueryTime[]): MetricSource {
  return {
    async query(expr, time) {
      const t0 = performance.now();
      try {
        return await inner.query(expr, time);
      } finally {
        log.push({ kind: 'instant', expr, seconds: (performance.now() - t0) / 1000 });
      }
    },
    async queryRange(expr, start, end, step) {
      const t0 = performance.now();
      try {
        return await inner.queryRange(expr, start, end, step);
      } finally {
        log.push({ kind: 'range', expr, seconds: (performance.now() - t0) / 1000 });
      }
    },
  };
}

async function main(): Promise<void> {
  const [planFile, url, start, end, httpReqs, iterations] = process.argv.slice(2);
  if (!planFile || !url || !start || !end || !httpReqs || !iterations) throw new Error('usage: soak24-judge.ts PLAN.json PROMETHEUS_URL START END HTTP_REQS ITERATIONS');
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
  const window = { start: Number(start), end: Number(end) };
  const t0 = performance.now();
  const prep = await prepareRun({ profile: plan.profileFile, scale: plan.scale, timeScale: plan.timeScale, durationSeconds: plan.durationSeconds });
  const queries: QueryTime[] = [];
  const source = timed(new PrometheusClient(url, { timeoutMs: clientTimeoutMs(window.end - window.start) }), queries);
  const summary = { httpReqs: Number(httpReqs), iterations: Number(iterations), droppedIterations: 0, failedRate: null, unreadable: [] };
  const verdict = await judge({ ...prep, plan }, { source, scrapeIntervalSeconds: 1, stackJob: 'stack' }, plan, {
    window,
    summary,
    k6ExitCode: 0,
    interrupted: false,
    stoppedAtBreak: false,
    // A synthetic dataset has no generator or machine to watch: no health samples, k6 exited 0.
    health: { raw: [], k6: [{ exitCode: 0, signal: null }], crash: null, otherRuns: [] },
  });
  const judgeSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const series = await collectSeries(source, plan, verdict, window);
  const seriesSeconds = (performance.now() - t1) / 1000;
  // Untimed: the whole-run p95 as Prometheus itself computes it, next to the harness's.
  const server = await new PrometheusClient(url, { timeoutMs: clientTimeoutMs(window.end - window.start) }).query(
    `histogram_quantile(0.95, sum(increase(k6_http_req_duration_seconds{testid="${plan.runId}"}[${Math.round(window.end - window.start + 5)}s]))) * 1000`,
    window.end,
  );
  const p95 = { harnessMs: verdict.slos.find((x) => x.objective === 'latency' && x.threshold > 0)?.observed ?? null, prometheusMs: server[0]?.value[1] ?? null };
  const slowest = [...queries].sort((a, b) => b.seconds - a.seconds).slice(0, Number(process.env.SOAK24_SLOWEST ?? 5));
  process.stdout.write(
    `${JSON.stringify({
      judgeSeconds,
      seriesSeconds,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      queries: queries.length,
      querySeconds: queries.reduce((a, q) => a + q.seconds, 0),
      slowest,
      p95,
      status: verdict.status,
      reasons: verdict.reasons,
      crossCheck: verdict.crossCheck,
      seriesErrors: series.errors.map((e) => `${e.family}: ${e.message}`),
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`soak24-judge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
