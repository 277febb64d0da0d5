/**
 * A run that its report step makes inconclusive is published as inconclusive, never as pass.
 * Real k6, the real embedded stack and two real Prometheus servers: the run's (behind a proxy
 * that fails the one range query only the report asks for, as a Prometheus hiccup would) and a
 * long-lived results Prometheus receiving the result series (`--results-url`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { scrapeIntervalFor, startPrometheus as startRunPrometheus, type RunningPrometheus } from '../../src/metrics/prometheus.ts';
import { spawnStack, type StackProcess } from '../../src/stack/spawn.ts';
import { startPrometheus, PROMETHEUS_BIN, type TestPrometheus } from '../grafana/prom-helper.ts';
import { readRun, runCli } from './helpers.ts';

/** The report's queue-depth family (src/report/series.ts); the judge never asks for it. */
const REPORT_ONLY_QUERY = 'sum by (queue) (stack_queue_depth)';

let results: TestPrometheus;
let stack: StackProcess;
let runProm: RunningPrometheus;
let proxy: http.Server;
let proxyUrl: string;

/** Forwards to the run's Prometheus, except the report-only range query, which gets a 503. */
function startProxy(upstream: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/api/v1/query_range') && new URLSearchParams(body.toString()).get('query') === REPORT_ONLY_QUERY) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'injected: query unavailable' }));
        return;
      }
      const up = http.request(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  results = await startPrometheus();
  // The quick spike runs at scale 0.02 and time scale 66 (profiles/runs/spike.ts): the target must match.
  stack = await spawnStack({ stack: 'meqenet', scale: 0.02, timeScale: 66 });
  runProm = await startRunPrometheus({ bin: PROMETHEUS_BIN, targets: [{ job: 'stack', address: stack.address }], scrapeIntervalSeconds: scrapeIntervalFor(66) });
  proxy = await startProxy(runProm.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await runProm?.stop();
  await stack?.stop();
  await results?.stop();
});

describe('publishing the final verdict', () => {
  it('a run made inconclusive by its report is inconclusive in the results Prometheus too', async () => {
    const r = await runCli(['run', 'spike', '--quick', '--target', stack.url, '--prometheus', proxyUrl, '--mapping', 'embedded', '--results-url', results.remoteWriteUrl]);
    expect(r.runDir, r.stderr.slice(-2000)).not.toBeNull();
    const { verdict } = await readRun(r.runDir!);
    // The judge passed it; only the unreadable report series made it inconclusive.
    expect(verdict.reasons.filter((x) => !x.startsWith('report series queue_depth could not be read')), verdict.reasons.join('\n')).toEqual([]);
    expect(verdict.reasons).toHaveLength(1);
    expect(verdict.status).toBe('inconclusive');
    expect(r.code).toBe(3);
    const status = await new PrometheusClient(results.url).query(`scale_harness_run_status{run_id="${verdict.runId}"}`, verdict.endedAt + 1);
    expect(status.map((s) => s.metric.status)).toEqual(['inconclusive']);
  });
});
