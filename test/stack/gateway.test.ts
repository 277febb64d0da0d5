/**
 * The gateway over real HTTP on loopback: routes, health, 404, Save-Data, /metrics, and a
 * checkout flowing through the payment queue and the event bus to rewards-worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInStack } from '../../src/stack/stacks.ts';
import { startStack, type RunningStack } from '../../src/stack/index.ts';
import { call, get, metricValue, sleepMs } from './helpers.ts';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ stack: 'meqenet', scale: 0.1, timeScale: 60, autoscale: false });
});
afterAll(() => stack?.stop());

const DEPLOYMENTS = ['auth', 'marketplace', 'payments', 'rewards', 'rewards-worker', 'database'];
const QUEUES = ['payment-processing', 'transaction.completed'];

describe('meqenet gateway', () => {
  it('serves every journey route of the meqenet stack module plus POST /auth/token', async () => {
    const routes = [...Object.values(builtInStack('meqenet').journeys).flatMap((j) => j.routes), 'POST /auth/token'];
    for (const route of routes) {
      const r = await call(stack.url, route.replace('/marketplace/search', '/marketplace/search?q=teff'));
      expect([200, 202], route).toContain(r.status);
    }
  });

  it('answers /health with 200 JSON and unknown routes with 404 JSON', async () => {
    const health = await get(stack.url, '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', stack: 'meqenet' });
    const missing = await get(stack.url, '/marketplace/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ error: 'not found', route: 'GET /marketplace/nope' });
    const wrongMethod = await call(stack.url, 'DELETE /auth/login');
    expect(wrongMethod.status).toBe(404);
  });

  it('gives a lighter body to Save-Data: on, padded to the profile sizes', async () => {
    const full = await call(stack.url, 'GET /marketplace/search?q=injera');
    const lite = await call(stack.url, 'GET /marketplace/search?q=injera', { 'Save-Data': 'on' });
    expect(full.bytes).toBe(24_000);
    expect(lite.bytes).toBe(3_000);
    const res = await fetch(`${stack.url}/rewards/balance`, { headers: { 'save-data': 'on' } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(await res.text())).toMatchObject({ ok: true, route: 'GET /rewards/balance' });
  });

  it('exposes every named series, for every deployment and queue', async () => {
    const text = await stack.metrics();
    const perDeployment = [
      'stack_cpu_seconds_total',
      'stack_cpu_cores',
      'stack_memory_bytes',
      'stack_memory_limit_bytes',
      'kube_deployment_spec_replicas',
      'kube_deployment_status_replicas',
      'kube_deployment_status_replicas_available',
    ];
    for (const name of perDeployment) {
      for (const d of DEPLOYMENTS) expect(metricValue(text, name, { deployment: d }), `${name}{deployment="${d}"}`).toBeGreaterThanOrEqual(0);
    }
    for (const d of DEPLOYMENTS) {
      expect(metricValue(text, 'stack_inflight_requests', { service: d })).toBeGreaterThanOrEqual(0);
      expect(metricValue(text, 'stack_requests_rejected_total', { service: d })).toBeGreaterThanOrEqual(0);
    }
    for (const q of QUEUES) {
      expect(metricValue(text, 'stack_queue_depth', { queue: q })).toBeGreaterThanOrEqual(0);
      expect(metricValue(text, 'stack_queue_processed_total', { queue: q })).toBeGreaterThanOrEqual(0);
    }
    const route = { service: 'marketplace', route: 'GET /marketplace/search' };
    expect(metricValue(text, 'stack_http_requests_total', { ...route, status: '200' })).toBeGreaterThan(0);
    expect(metricValue(text, 'stack_response_bytes_total', route)).toBeGreaterThan(0);
    expect(metricValue(text, 'stack_http_request_duration_seconds_count', route)).toBeGreaterThan(0);
    expect(text).toContain('stack_http_request_duration_seconds_bucket{le="0.5",service="marketplace",route="GET /marketplace/search"}');
    expect(text).toContain('stack_http_request_duration_seconds_bucket{le="1",service="auth",route="POST /auth/login"}');
    expect(metricValue(text, 'stack_http_requests_total', { service: 'gateway', route: 'unmatched', status: '404' })).toBeGreaterThan(0);
    expect(text).toContain('# TYPE stack_autoscaler_actions_total counter');
    expect(metricValue(text, 'kube_deployment_spec_replicas', { deployment: 'auth' })).toBe(3);
    expect(metricValue(text, 'stack_cpu_cores', { deployment: 'auth' })).toBe(1.5);
  });

  it('a checkout is queued (202 + id), processed by payment workers and consumed by rewards-worker', async () => {
    const before = await stack.metrics();
    const processed = (text: string, queue: string): number => metricValue(text, 'stack_queue_processed_total', { queue }) ?? NaN;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${stack.url}/payments/checkout`, { method: 'POST', body: '{}' }).then(async (r) => ({ status: r.status, body: JSON.parse(await r.text()) as { id?: string } }))),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(20);
    let after = before;
    for (let i = 0; i < 50 && processed(after, 'transaction.completed') - processed(before, 'transaction.completed') < 20; i++) {
      await sleepMs(100);
      after = await stack.metrics();
    }
    expect(processed(after, 'payment-processing') - processed(before, 'payment-processing')).toBe(20);
    expect(processed(after, 'transaction.completed') - processed(before, 'transaction.completed')).toBe(20);
    const cpu = (text: string): number => metricValue(text, 'stack_cpu_seconds_total', { deployment: 'rewards-worker' }) ?? NaN;
    expect(cpu(after)).toBeGreaterThan(cpu(before));
    expect(stack.queueDepth('payment-processing')).toBe(0);
  });
});

describe('reloop gateway', () => {
  it('serves the ReLoop routes and exposes the backend', async () => {
    const reloop = await startStack({ stack: 'reloop', scale: 0.1, autoscale: false });
    try {
      for (const route of Object.values(builtInStack('reloop').journeys).flatMap((j) => j.routes)) {
        expect((await call(reloop.url, route)).status, route).toBe(200);
      }
      expect((await get(reloop.url, '/auth/login')).status).toBe(404);
      const text = await reloop.metrics();
      expect(metricValue(text, 'kube_deployment_status_replicas_available', { deployment: 'backend' })).toBe(3);
      expect(metricValue(text, 'stack_memory_limit_bytes', { deployment: 'backend' })).toBe(3 * 512 * 1024 * 1024);
    } finally {
      await reloop.stop();
    }
  });
});
