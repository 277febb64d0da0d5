/**
 * The scrape interval of a Prometheus the harness did not start is read from its targets API:
 * a real Prometheus scraping two targets at different intervals, and one with no targets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, promDurationSeconds } from '../../src/metrics/client.ts';
import { startPrometheus, type RunningPrometheus } from '../../src/metrics/prometheus.ts';
import { externalScrapeInterval } from '../../src/metrics/scrape-interval.ts';
import { startPrometheus as startBarePrometheus, PROMETHEUS_BIN, type TestPrometheus } from '../grafana/prom-helper.ts';

describe('Prometheus durations', () => {
  it.each([
    ['250ms', 0.25],
    ['15s', 15],
    ['1m30s', 90],
    ['2h', 7200],
  ])('%s is %d s', (text, seconds) => {
    expect(promDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', '15', 's', '1.5s', '-1s', '15 s'])('%j is not a duration', (text) => {
    expect(promDurationSeconds(text)).toBeNull();
  });
});

describe('reading how often a running Prometheus scrapes', () => {
  let exporter: http.Server;
  let prom: RunningPrometheus;
  let bare: TestPrometheus;

  beforeAll(async () => {
    exporter = http.createServer((_req, res) => res.end('probe 1\n'));
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
    prom = await startPrometheus({ bin: PROMETHEUS_BIN, targets: [{ job: 'stack', address }], scrapeIntervalSeconds: 0.25 });
    bare = await startBarePrometheus();
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await bare?.stop();
    await new Promise((r) => exporter?.close(r));
  });

  it('a server just started, whose targets are not discovered yet, is read from its configuration', async () => {
    const source = new PrometheusClient(prom.url);
    expect(await source.configuredScrapeIntervals()).toEqual([{ job: 'stack', seconds: 0.25 }]);
    expect(await externalScrapeInterval(source, () => {})).toBe(0.25);
  });

  it('a server scraping every 250 ms lists it per target, and the harness takes it', async () => {
    const source = new PrometheusClient(prom.url);
    // Prometheus applies its scrape targets a few seconds after it starts.
    for (let i = 0; i < 100 && !(await source.scrapeIntervals())?.length; i++) await new Promise((r) => setTimeout(r, 200));
    const targets = await source.scrapeIntervals();
    expect(targets?.map((t) => [t.job, t.seconds])).toContainEqual(['stack', 0.25]);
    const lines: string[] = [];
    expect(await externalScrapeInterval(source, (l) => lines.push(l))).toBe(0.25);
    expect(lines.join('\n')).toMatch(/scrapes every 0\.25 s \(the slowest of its 1 active targets, job stack\)/);
  });

  it('a server with no scrape targets (remote write only) gives the stated assumption of 1 s', async () => {
    const lines: string[] = [];
    expect(await externalScrapeInterval(new PrometheusClient(bare.url), (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/lists no scrape targets or jobs; assuming a 1 s scrape interval/);
  });

  it('an address with no targets API at all gives the assumption too, not an error', async () => {
    const lines: string[] = [];
    const source = new PrometheusClient(`http://127.0.0.1:${(exporter.address() as AddressInfo).port}`);
    expect(await source.scrapeIntervals()).toBeNull();
    expect(await externalScrapeInterval(source, (l) => lines.push(l))).toBe(1);
  });
});
