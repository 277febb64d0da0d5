/**
 * In-process load for the stack tests: real HTTP on loopback through a keep-alive agent,
 * always bounded in count and time. Plus a tiny Prometheus text parser and small stack specs.
 */
import { Agent, request } from 'node:http';
import type { StackSpecInput } from '../../src/stack/spec.ts';

export interface Reply {
  status: number;
  bytes: number;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** One request; resolves with status, body bytes and client-side latency. */
export function call(base: string, route: string, headers: Record<string, string> = {}): Promise<Reply> {
  const [method = 'GET', path = '/'] = route.split(' ');
  const url = new URL(path, base);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: method === 'POST' ? { 'content-type': 'application/json', ...headers } : headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

export function get(base: string, path: string): Promise<{ status: number; text: string }> {
  return fetch(new URL(path, base)).then(async (r) => ({ status: r.status, text: await r.text() }));
}

/** Fires `n` requests at once. */
export function burst(base: string, route: string, n: number): Promise<Reply[]> {
  return Promise.all(Array.from({ length: n }, () => call(base, route)));
}

/** Open-model load: `rate` req/s spread evenly over `seconds`, routes by weight (smooth round robin). */
export async function openLoad(base: string, routes: Array<[string, number]>, rate: number, seconds: number): Promise<Reply[]> {
  const total = Math.round(rate * seconds);
  const weightSum = routes.reduce((s, [, w]) => s + w, 0);
  const current = routes.map(() => 0);
  const pending: Array<Promise<Reply>> = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 2) await new Promise((r) => setTimeout(r, wait));
    let pick = 0;
    routes.forEach(([, w], j) => {
      current[j] = (current[j] ?? 0) + w;
      if ((current[j] ?? 0) > (current[pick] ?? 0)) pick = j;
    });
    current[pick] = (current[pick] ?? 0) - weightSum;
    pending.push(call(base, routes[pick]?.[0] ?? 'GET /'));
  }
  return Promise.all(pending);
}

/** Closed-loop load: `concurrency` clients each send the next request when the last returns. */
export async function hammer(base: string, route: string, concurrency: number, seconds: number): Promise<Reply[]> {
  const end = performance.now() + seconds * 1000;
  const out: Reply[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) out.push(await call(base, route));
    }),
  );
  return out;
}

/** Value of one series in Prometheus text; labels must match exactly as a subset. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A one-deployment stack with near-constant service times: predictable capacity. */
export function tinySpec(o: { slots: number; replicas?: number; meanMs?: number; queuePerSlot?: number }): StackSpecInput {
  const meanMs = o.meanMs ?? 100;
  return {
    name: 'reloop',
    referencePeakRps: 100,
    deployments: [
      {
        name: 'backend',
        role: 'http',
        initialReplicas: o.replicas ?? 1,
        slots: o.slots,
        cpuCores: 1,
        queuePerSlot: o.queuePerSlot ?? 20,
        memory: { baseBytes: 100, perRequestBytes: 10, limitBytes: 1000 },
      },
    ],
    routes: [{ method: 'GET', path: '/api/waste/categories', deployment: 'backend', service: { meanMs, p99Ms: meanMs * 1.1 }, payload: { fullBytes: 500, liteBytes: 100 } }],
  };
}
