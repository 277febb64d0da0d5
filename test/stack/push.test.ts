/**
 * The stack's push bridge (src/stack/push.ts) on its own: the series it writes are exactly the
 * samples of the registry's /metrics text, with the scrape's job and instance labels, and it
 * stops on the first scrape, on stop() or after its time limit. The real Prometheus side is in
 * test/integration/stack-push.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { ResultSeries } from '../../src/metrics/remote-write.ts';
import { StackMetrics } from '../../src/stack/metrics.ts';
import { StackModel } from '../../src/stack/model.ts';
import { pushUntilScraped, registrySeries } from '../../src/stack/push.ts';
import { monotonic } from '../../src/stack/random.ts';
import { builtInStack } from '../../src/stack/stacks.ts';

/** `name{a="x",b="y"}` -> value, from Prometheus text format (labels re-sorted). */
function exposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsed line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}=${l[2]}`).sort();
    out.set(`${m[1]}{${labels.join(',')}}`, Number(m[3]));
  }
  return out;
}

function keyOf(s: ResultSeries, drop: string[]): string {
  const labels = Object.entries(s.labels)
    .filter(([k]) => k !== '__name__' && !drop.includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return `${s.labels.__name__}{${labels.join(',')}}`;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('registrySeries', () => {
  it('writes every sample of the /metrics text, with job and instance, and up = 1', async () => {
    const model = new StackModel(builtInStack('meqenet'), { scale: 0.02, startupMs: 1000, seed: 1, clock: monotonic, initialReplicas: () => 2 });
    try {
      const metrics = new StackMetrics(model);
      const route = [...model.routes.values()][0]!;
      metrics.response(route, 200, 0.12, 2048);
      metrics.response(route, 503, 0.7, 40, route.deployment);
      metrics.response(null, 404, 0, 0);
      const series = await registrySeries(metrics.registry, { job: 'stack', instance: '127.0.0.1:4000' }, 1_700_000_000_000);
      const text = exposition(await metrics.text());
      for (const s of series) {
        expect(s.labels.job).toBe('stack');
        expect(s.labels.instance).toBe('127.0.0.1:4000');
        expect(s.samples).toEqual([{ value: expect.any(Number), timestamp: 1_700_000_000_000 }]);
        // Label order as Prometheus keeps it: __name__, then by name.
        const names = Object.keys(s.labels);
        expect(names[0]).toBe('__name__');
        expect(names.slice(1)).toEqual([...names.slice(1)].sort());
      }
      const up = series.filter((s) => s.labels.__name__ === 'up');
      expect(up.map((s) => s.samples[0]!.value)).toEqual([1]);
      // The same sample set as the text a scrape reads; counters read twice only move forward.
      const pushed = new Map(series.filter((s) => s.labels.__name__ !== 'up').map((s) => [keyOf(s, ['job', 'instance']), s.samples[0]!.value]));
      expect([...pushed.keys()].sort()).toEqual([...text.keys()].sort());
      for (const [k, v] of text) {
        if (/_total\{|_bucket\{|_count\{|_sum\{/.test(k)) expect(pushed.get(k), k).toBeLessThanOrEqual(v);
        else if (!k.startsWith('stack_eventloop_lag_max_seconds')) expect(pushed.get(k), k).toBe(v);
      }
      expect(pushed.get(`stack_http_requests_total{route=${route.key},service=${route.deployment},status=503}`)).toBe(1);
      expect(pushed.get(`stack_http_request_duration_seconds_bucket{le=0.75,route=${route.key},service=${route.deployment}}`)).toBe(2);
      expect(pushed.get(`stack_http_request_duration_seconds_bucket{le=+Inf,route=${route.key},service=${route.deployment}}`)).toBe(2);
    } finally {
      model.stop();
    }
  });
});

describe('pushUntilScraped', () => {
  it('pushes at once and every interval, and no more after the first scrape', async () => {
    const writes: number[] = [];
    const lines: string[] = [];
    const bridge = pushUntilScraped(new Registry(), {
      url: 'http://127.0.0.1:1/api/v1/write',
      intervalSeconds: 0.02,
      labels: { job: 'stack', instance: 'i' },
      log: (l) => lines.push(l),
      write: async (_u, s) => void writes.push(s[0]!.samples[0]!.timestamp),
    });
    await until(() => writes.length >= 3);
    bridge.scraped();
    const after = writes.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(writes.length).toBe(after);
    expect(bridge.pushes).toBe(after);
    expect([...writes].sort((a, b) => a - b)).toEqual(writes);
    expect(lines).toEqual([`stack: samples pushed until Prometheus's first scrape (${after} pushes)`]);
  });

  it('stops by itself after its time limit, saying so, with the last failure', async () => {
    const lines: string[] = [];
    const bridge = pushUntilScraped(new Registry(), {
      url: 'http://127.0.0.1:1/api/v1/write',
      intervalSeconds: 0.02,
      maxSeconds: 0.1,
      labels: { job: 'stack', instance: 'i' },
      log: (l) => lines.push(l),
      write: async () => {
        throw new Error('remote write to x failed: HTTP 400: out of order sample');
      },
    });
    await until(() => lines.length > 0);
    expect(bridge.pushes).toBe(0);
    expect(lines).toEqual(['stack: sample pushes to Prometheus stopped: no scrape within 0.1 s (0 pushes, last failure: remote write to x failed: HTTP 400: out of order sample)']);
    bridge.scraped();
    expect(lines).toHaveLength(1);
  });
});
