/**
 * The capacity model over real HTTP: waiting for a slot adds latency, a full FIFO rejects,
 * utilization follows the offered load, and the same load × S gives the same utilization at
 * S = 0.1 and S = 0.5.
 */
import { describe, expect, it } from 'vitest';
import meqenet from '../../profiles/stacks/meqenet.ts';
import { startStack, type RunningStack } from '../../src/stack/index.ts';
import { scaledSlots } from '../../src/stack/spec.ts';
import { builtInStack } from '../../src/stack/stacks.ts';
import { burst, metricValue, openLoad, percentile, sleepMs, tinySpec } from './helpers.ts';

const ROUTE = 'GET /api/waste/categories';

async function cpuSeconds(stack: RunningStack): Promise<number> {
  return metricValue(await stack.metrics(), 'stack_cpu_seconds_total', { deployment: 'backend' }) ?? NaN;
}

describe('capacity model', () => {
  it('queues requests beyond the slots: latency and CPU rise with load', async () => {
    // 1 replica × round(40 × 0.1) = 4 slots of ~100 ms.
    const stack = await startStack({ stack: 'reloop', scale: 0.1, autoscale: false, spec: tinySpec({ slots: 40 }), triggers: [] });
    try {
      const c0 = await cpuSeconds(stack);
      const light = await burst(stack.url, ROUTE, 4);
      await sleepMs(50);
      const c1 = await cpuSeconds(stack);
      const heavy = await burst(stack.url, ROUTE, 40);
      await sleepMs(50);
      const c2 = await cpuSeconds(stack);
      expect([...light, ...heavy].every((r) => r.status === 200)).toBe(true);
      // Light: all four served at once. Heavy: ten waves of four.
      expect(Math.max(...light.map((r) => r.ms))).toBeLessThan(400);
      expect(percentile(heavy.map((r) => r.ms), 50)).toBeGreaterThan(3 * percentile(light.map((r) => r.ms), 50));
      expect(Math.max(...heavy.map((r) => r.ms))).toBeGreaterThan(900);
      // CPU-seconds follow the work: 40 × 100 ms vs 4 × 100 ms, on 1 core spread over 4 slots.
      const lightCpu = c1 - c0;
      const heavyCpu = c2 - c1;
      expect(lightCpu).toBeCloseTo(0.1, 1);
      expect(heavyCpu / lightCpu).toBeGreaterThan(8);
      expect(heavyCpu / lightCpu).toBeLessThan(12);
    } finally {
      await stack.stop();
    }
  });

  it('rejects with 503 once the FIFO is full, and counts the rejections', async () => {
    // 2 slots of ~300 ms, FIFO bound 5 per slot = 10 waiting: of 30 at once, 12 are served.
    const stack = await startStack({ stack: 'reloop', scale: 0.1, autoscale: false, spec: tinySpec({ slots: 20, queuePerSlot: 5, meanMs: 300 }), triggers: [] });
    try {
      const replies = await burst(stack.url, ROUTE, 30);
      const text = await stack.metrics();
      expect(replies.filter((r) => r.status === 200)).toHaveLength(12);
      expect(replies.filter((r) => r.status === 503)).toHaveLength(18);
      expect(metricValue(text, 'stack_requests_rejected_total', { service: 'backend' })).toBe(18);
      expect(metricValue(text, 'stack_http_requests_total', { route: ROUTE, status: '503' })).toBe(18);
    } finally {
      await stack.stop();
    }
  });

  it('the same offered load × S gives the same utilization at S = 0.1 and S = 0.5', async () => {
    // 100 slots × S of ~200 ms; 50 % utilization at scale 1 is 250 req/s.
    const spec = tinySpec({ slots: 100, meanMs: 200 });
    const utilization = async (scale: number): Promise<number> => {
      const stack = await startStack({ stack: 'reloop', scale, autoscale: false, spec, triggers: [] });
      try {
        const load = openLoad(stack.url, [[ROUTE, 1]], 250 * scale, 3.5);
        await sleepMs(1000);
        const [c0, t0] = [await cpuSeconds(stack), performance.now()];
        await sleepMs(2000);
        const [c1, t1] = [await cpuSeconds(stack), performance.now()];
        await load;
        // CPU% = rate(cpu seconds) / cores; here 1 replica × 1 core.
        return (c1 - c0) / ((t1 - t0) / 1000);
      } finally {
        await stack.stop();
      }
    };
    const low = await utilization(0.1);
    const high = await utilization(0.5);
    expect(low).toBeGreaterThan(0.4);
    expect(low).toBeLessThan(0.6);
    expect(Math.abs(high - low)).toBeLessThan(0.07);
  });

  it('the Meqenet capacities stay exact at the scales the profiles use', () => {
    const spec = builtInStack('meqenet');
    expect(spec.deployments.map((d) => d.name)).toEqual(meqenet.deployments.map((d) => d.name));
    for (const S of [0.02, 0.1, 0.5, 1]) {
      for (const d of spec.deployments) {
        for (const base of [d.slots, d.workers?.perReplica ?? d.slots]) {
          expect(scaledSlots(base, S) / (base * S), `${d.name} at S=${S}`).toBeCloseTo(1, 6);
        }
      }
    }
  });
});
