/**
 * The embedded stack's samples reach the run's Prometheus before its first scrape (about 5 s
 * after Prometheus starts): the real stack process pushes them by remote write with the scrape's
 * own labels, stops at the first scrape, and every series continues as one series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type RunningPrometheus } from '../../src/metrics/prometheus.ts';
import { spawnStack, type StackProcess } from '../../src/stack/spawn.ts';
import { ensureTool } from '../../src/tools/index.ts';

interface Matrix {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

let stack: StackProcess;
let prom: RunningPrometheus;
const log: string[] = [];

async function matrix(expr: string): Promise<Matrix[]> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { data: { result: Matrix[] } };
  return body.data.result;
}

async function poll<T>(what: string, get: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await get();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within 20 s; stack log: ${log.slice(-5).join(' | ')}`);
}

beforeAll(async () => {
  stack = await spawnStack({ stack: 'meqenet', scale: 0.02, timeScale: 66, onLog: (l) => log.push(l) });
  prom = await startPrometheus({ bin: (await ensureTool('prometheus')).path, targets: [{ job: 'stack', address: stack.address }], scrapeIntervalSeconds: 0.5 });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await prom?.stop();
});

describe('the stack before and after its first scrape', () => {
  it('has its samples in Prometheus before the first scrape, as the same series after it', async () => {
    stack.pushUntilScraped(prom.remoteWriteUrl, 0.5, 'stack');
    // Traffic before the first scrape: the pushed counter must carry it.
    for (let i = 0; i < 3; i++) expect((await fetch(`${stack.url}/auth/login`, { method: 'POST', body: '{}' })).status).toBe(200);
    const firstScrape = await poll('a scrape of the stack', async () => {
      const r = await matrix('scrape_duration_seconds{job="stack"}[5m]');
      return r[0]?.values[0]?.[0] ?? null;
    });
    await poll('the push line', async () => (log.some((l) => l.includes('stack: samples pushed until')) ? true : null));
    // Two scrapes more, so that the series run on after the handover.
    await new Promise((r) => setTimeout(r, 1500));
    const [up, ...more] = await matrix('up{job="stack"}[5m]');
    expect(more).toEqual([]);
    expect(up!.metric).toEqual({ __name__: 'up', job: 'stack', instance: stack.address });
    const before = up!.values.filter(([t]) => t < firstScrape);
    const after = up!.values.filter(([t]) => t >= firstScrape);
    expect(before.length, 'pushed samples before the first scrape').toBeGreaterThan(0);
    // After the handover only scrapes write `up` (one in-flight push at most).
    const scrapes = (await matrix('scrape_duration_seconds{job="stack"}[5m]'))[0]!.values.length;
    expect(after.length).toBeGreaterThanOrEqual(scrapes);
    expect(after.length).toBeLessThanOrEqual(scrapes + 1);
    // One series per label set: pushed and scraped samples merged, the counter never going back.
    const login = await matrix('stack_http_requests_total{job="stack",route="POST /auth/login",status="200"}[5m]');
    expect(login).toHaveLength(1);
    const values = login[0]!.values.map(([, v]) => Number(v));
    expect(values.filter((_, i) => login[0]!.values[i]![0] < firstScrape).at(-1)).toBe(3);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // Pushed series under other labels would still be in the 5 m lookback, beside the scraped ones.
    const now = (await matrix('count({job="stack",__name__!~"scrape_.*"})')) as unknown as Array<{ value: [number, string] }>;
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    expect(Number(now[0]!.value[1])).toBeLessThanOrEqual(samples + 1);
    expect(log.find((l) => l.includes('samples pushed until'))).toMatch(/^\[stack\] stack: samples pushed until Prometheus's first scrape \(\d+ pushes\)$/);
  }, 60_000);
});
