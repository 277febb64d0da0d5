/**
 * Stack profiles, service-time draws and trigger rows are checked when loaded: a bad value is
 * reported naming the file, the key and the value, before anything starts.
 */
import { describe, expect, it } from 'vitest';
import meqenet from '../../profiles/stacks/meqenet.ts';
import { InputError } from '../../src/errors.ts';
import { startStack } from '../../src/stack/index.ts';
import { lognormal, mulberry32 } from '../../src/stack/random.ts';
import { builtInStack, parseStackModule } from '../../src/stack/stacks.ts';
import { checkTriggers, defaultTriggers } from '../../src/stack/triggers.ts';
import { percentile } from './helpers.ts';

describe('stack profiles', () => {
  it('both embedded profiles validate', () => {
    expect(builtInStack('meqenet').deployments.map((d) => d.name)).toEqual(['auth', 'marketplace', 'payments', 'rewards', 'rewards-worker', 'database']);
    expect(builtInStack('reloop').deployments.map((d) => d.name)).toEqual(['backend']);
    expect(builtInStack('meqenet').timing).toEqual({ syncSeconds: 15, windowSeconds: 60, cooldownSeconds: 180, stabilizationSeconds: 300, startupSeconds: 30 });
  });

  it('names the file, key and value of a bad profile', () => {
    const routes = meqenet.routes.map((r, i) => (i === 2 ? { ...r, deployment: 'search' } : r));
    expect(() => parseStackModule({ ...meqenet, routes }, 'x.ts')).toThrow('x.ts: routes[2].deployment: "search" is not an http deployment');
    const deployments = meqenet.deployments.map((d, i) => (i === 0 ? { ...d, replicas: 3 } : d));
    expect(() => parseStackModule({ ...meqenet, deployments }, 'x.ts')).toThrow(/x\.ts: deployments\[0\]\.replicas: unknown key/);
    const slow = meqenet.routes.map((r, i) => (i === 0 ? { ...r, service: { meanMs: 50, p99Ms: 40 } } : r));
    expect(() => parseStackModule({ ...meqenet, routes: slow }, 'x.ts')).toThrow('x.ts: routes[0].service: p99Ms must be more than meanMs and at most 14 x meanMs (got {"meanMs":50,"p99Ms":40})');
  });
});

describe('service-time draws', () => {
  it('fit the given mean and p99, and repeat for a seed', () => {
    const draw = lognormal(mulberry32(42), 240, 900);
    const xs = Array.from({ length: 100_000 }, draw);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean / 240).toBeGreaterThan(0.97);
    expect(mean / 240).toBeLessThan(1.03);
    expect(percentile(xs, 99) / 900).toBeGreaterThan(0.95);
    expect(percentile(xs, 99) / 900).toBeLessThan(1.05);
    const again = lognormal(mulberry32(42), 240, 900);
    expect(Array.from({ length: 5 }, again)).toEqual(xs.slice(0, 5));
  });
});

describe('trigger rows', () => {
  it('the default tables divide for-windows by the time scale', () => {
    const t = defaultTriggers(builtInStack('meqenet'), { scale: 1, timeScale: 60 }).find((x) => x.id === 'auth-cpu');
    expect(t).toMatchObject({ forSeconds: 300, forWallSeconds: 5, threshold: 70, action: { type: 'add-instances', count: 2 } });
    expect(() => checkTriggers(defaultTriggers(builtInStack('meqenet'), { scale: 1, timeScale: 1 }), builtInStack('meqenet'))).not.toThrow();
    expect(() => checkTriggers(defaultTriggers(builtInStack('reloop'), { scale: 1, timeScale: 1 }), builtInStack('reloop'))).not.toThrow();
  });

  it('rejects rows the stack cannot measure', async () => {
    const spec = builtInStack('meqenet');
    const [cpu] = defaultTriggers(builtInStack('meqenet'), { scale: 1, timeScale: 1 });
    if (!cpu) throw new Error('no triggers');
    expect(() => checkTriggers([{ ...cpu, service: 'ledger' }], spec)).toThrow('trigger auth-cpu: service: stack meqenet has no deployment "ledger"');
    expect(() => checkTriggers([{ ...cpu, signal: 'latency', route: 'GET /auth/me' }], spec)).toThrow('trigger auth-cpu: route: stack meqenet has no route "GET /auth/me"');
    expect(() => checkTriggers([{ ...cpu, signal: 'queue', queue: 'emails' }], spec)).toThrow('trigger auth-cpu: queue: stack meqenet has no queue "emails"');
    // A plan for the other stack is refused at start, before listening.
    await expect(startStack({ stack: 'reloop', triggers: [cpu] })).rejects.toThrow(InputError);
    await expect(startStack({ stack: 'meqenet', scale: 0 })).rejects.toThrow('stack option scale: must be a number more than 0 (got 0)');
    await expect(startStack({ stack: 'meqenet', faults: [{ kind: 'ignore', trigger: 'nope' }] })).rejects.toThrow('faults[0].trigger: no trigger "nope"');
  });
});
