import { describe, expect, it } from 'vitest';
import { checkFaults, faultsByTrigger, parseFault, resolveRoute } from '../../src/stack/faults.ts';
import { applyRouteFault, leakedBytes, routeFaults } from '../../src/stack/fault-hooks.ts';
import { startStack } from '../../src/stack/index.ts';

describe('faultsByTrigger', () => {
  const ids = ['auth-cpu', 'orders-queue'];

  it('keys valid faults by trigger', () => {
    const m = faultsByTrigger([{ kind: 'late', trigger: 'auth-cpu', delaySeconds: 5 }], ids);
    expect([...m.entries()]).toEqual([['auth-cpu', { kind: 'late', trigger: 'auth-cpu', delaySeconds: 5 }]]);
  });

  it('names the fault, key and value of a malformed fault', () => {
    expect(() => faultsByTrigger([{ kind: 'ignore', trigger: 'auth-cpu' }, { kind: 'late', trigger: 'auth-cpu', delaySeconds: -1 }], ids)).toThrow(
      'stack options: faults[1].delaySeconds: Too small: expected number to be >0 (got -1)',
    );
    expect(() => faultsByTrigger([{ kind: 'boom', trigger: 'auth-cpu' }], ids)).toThrow(
      `stack options: faults[0].kind: Invalid discriminator value. Expected 'ignore' | 'late' | 'short' | 'flap' | 'slow' | 'errors' | 'leak' | 'proxy-down' (got "boom")`,
    );
  });

  it('rejects an unknown trigger and a second fault on one trigger', () => {
    expect(() => faultsByTrigger([{ kind: 'flap', trigger: 'nope' }], ids)).toThrow(
      'stack options: faults[0].trigger: no trigger "nope"; known: auth-cpu, orders-queue (got "nope")',
    );
    expect(() => faultsByTrigger([{ kind: 'flap', trigger: 'auth-cpu' }, { kind: 'ignore', trigger: 'auth-cpu' }], ids)).toThrow(
      'stack options: faults[1].trigger: already has a fault; one fault per trigger (got "auth-cpu")',
    );
  });
});

describe('stack faults', () => {
  const targets = {
    triggers: ['auth-cpu'],
    routes: ['POST /auth/login', 'GET /items', 'POST /items'],
    journeys: ['login'],
    services: ['auth'],
    cohorts: ['rural-3g'],
  };

  it('parses each kind from its text', () => {
    expect(parseFault('slow:/auth/login:800')).toEqual({ kind: 'slow', route: '/auth/login', delayMs: 800 });
    expect(parseFault('slow:POST /auth/login:800')).toEqual({ kind: 'slow', route: 'POST /auth/login', delayMs: 800 });
    expect(parseFault('errors:checkout:0.05')).toEqual({ kind: 'errors', journey: 'checkout', ratio: 0.05 });
    expect(parseFault('leak:database:20')).toEqual({ kind: 'leak', service: 'database', mbPerMinute: 20 });
    expect(parseFault('proxy-down:rural-3g')).toEqual({ kind: 'proxy-down', cohort: 'rural-3g' });
  });

  it.each([
    ['slow:/auth/login', '--fault: slow needs a delay in ms, more than 0 and at most 60000 (got "slow:/auth/login")'],
    ['slow:/auth/login:90000', '--fault: slow needs a delay in ms, more than 0 and at most 60000 (got "slow:/auth/login:90000")'],
    ['errors:checkout:1.5', '--fault: errors needs a ratio more than 0 and at most 1 (got "errors:checkout:1.5")'],
    ['errors:checkout:0', '--fault: errors needs a ratio more than 0 and at most 1 (got "errors:checkout:0")'],
    ['leak:database:-3', '--fault: leak needs MiB per plan minute, more than 0 (got "leak:database:-3")'],
    ['proxy-down:rural-3g:5', '--fault: proxy-down takes no argument (got "proxy-down:rural-3g:5")'],
  ])('%s is one line naming the rule', (text, message) => {
    expect(() => parseFault(text)).toThrow(message);
  });

  it('resolves a route by key, or by a path only one route serves', () => {
    expect(resolveRoute('/auth/login', targets.routes)).toBe('POST /auth/login');
    expect(resolveRoute('POST /items', targets.routes)).toBe('POST /items');
    expect(resolveRoute('/items', targets.routes)).toBeNull();
  });

  it('names the key and value of a target the stack does not have', () => {
    expect(() => checkFaults([{ kind: 'errors', journey: 'checkout', ratio: 0.1 }], targets)).toThrow(
      'stack options: faults[0].journey: no journey "checkout"; known: login (got "checkout")',
    );
    expect(() => checkFaults([{ kind: 'slow', route: '/items', delayMs: 5 }], targets)).toThrow(
      'stack options: faults[0].route: no single route "/items"; known: POST /auth/login, GET /items, POST /items (got "/items")',
    );
    expect(() => checkFaults([{ kind: 'leak', service: 'auth', mbPerMinute: 1 }, { kind: 'leak', service: 'auth', mbPerMinute: 2 }], targets)).toThrow(
      'stack options: faults[1].service: already has a fault; one fault per service (got "auth")',
    );
    expect(() => checkFaults([{ kind: 'proxy-down', cohort: 'edge-2g' }], targets)).toThrow('faults[0].cohort: no shaped cohort "edge-2g"; known: rural-3g');
  });

  it('a slow and an errors fault on one route both apply; a journey covers all its routes', () => {
    const m = routeFaults(
      [parseFault('slow:/auth/login:300'), parseFault('errors:login:0.25')],
      targets.routes,
      { login: { routes: ['POST /auth/login', 'GET /items'] } },
    );
    expect(m && Object.fromEntries(m)).toEqual({ 'POST /auth/login': { delayMs: 300, errorRatio: 0.25 }, 'GET /items': { delayMs: 0, errorRatio: 0.25 } });
    expect(routeFaults([parseFault('ignore:auth-cpu')], targets.routes, {})).toBeNull();
  });

  it('delays the answer and fails its share of requests', async () => {
    const served = { status: 200, body: '{}', seconds: 0.05 };
    const draws = [0.1, 0.9];
    const rng = () => draws.shift() ?? 0;
    const t0 = Date.now();
    const first = await applyRouteFault({ delayMs: 40, errorRatio: 0.5 }, served, rng);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(39);
    expect(first.status).toBe(500);
    expect(first.seconds).toBeCloseTo(0.09, 6);
    expect((await applyRouteFault({ delayMs: 0, errorRatio: 0.5 }, served, rng)).status).toBe(200);
    // A rejection stays what it was: the fault does not turn a 503 into a 500.
    expect((await applyRouteFault({ delayMs: 0, errorRatio: 1 }, { ...served, status: 503 }, () => 0)).status).toBe(503);
  });

  it('leaks MiB per plan minute: at time scale 60, one wall second is one plan minute', () => {
    let now = 100;
    const leak = leakedBytes([parseFault('leak:auth:2')], 60, () => now);
    now = 103;
    expect(leak?.('auth')).toBe(3 * 2 * 1024 * 1024);
    expect(leak?.('payments')).toBe(0);
    expect(leakedBytes([parseFault('ignore:auth-cpu')], 60, () => now)).toBeUndefined();
  });
});

describe('stack faults in a running stack', () => {
  const memory = (text: string, d: string): number => Number(new RegExp(`^stack_memory_bytes\\{deployment="${d}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  it('slows the named route only, fails the journey its share, and leaks memory per plan minute', async () => {
    const stack = await startStack({
      stack: 'meqenet',
      timeScale: 60,
      autoscale: false,
      faults: [parseFault('slow:/auth/login:300'), parseFault('errors:checkout:1'), parseFault('leak:database:60')],
    });
    try {
      const timed = async (method: string, path: string): Promise<{ ms: number; status: number }> => {
        const t0 = performance.now();
        const res = await fetch(`${stack.url}${path}`, { method, body: method === 'POST' ? '{}' : null });
        await res.text();
        return { ms: performance.now() - t0, status: res.status };
      };
      const before = memory(await stack.metrics(), 'database');
      const login = await timed('POST', '/auth/login');
      expect(login.status).toBe(200);
      expect(login.ms).toBeGreaterThanOrEqual(300);
      expect((await timed('POST', '/auth/token')).ms).toBeLessThan(300);
      // errors:checkout:1 fails every request of both checkout routes, and nothing else.
      expect((await timed('POST', '/payments/credit-decision')).status).toBe(500);
      expect((await timed('POST', '/payments/checkout')).status).toBe(500);
      expect((await timed('GET', '/rewards/balance')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      // 60 MiB per plan minute at time scale 60: 60 MiB per wall second, one database replica.
      const grown = memory(await stack.metrics(), 'database') - before;
      expect(grown).toBeGreaterThan(0.5 * 60 * 1024 * 1024 * 0.9);
      expect(grown).toBeLessThan(5 * 60 * 1024 * 1024);
      expect(await stack.metrics()).toMatch(/^stack_http_requests_total\{service="payments",route="POST \/payments\/checkout",status="500"\} 1$/m);
    } finally {
      await stack.stop();
    }
  });

  it('refuses a fault on something the stack does not have, before listening', async () => {
    await expect(startStack({ stack: 'meqenet', faults: [parseFault('errors:basket:0.1')] })).rejects.toThrow(
      'stack options: faults[0].journey: no journey "basket"; known: login, search, checkout, rewards (got "basket")',
    );
  });
});
