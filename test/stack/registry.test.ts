/**
 * The registry of stack modules: built-ins by name, any other by path, each validated once
 * with one-line errors; and the one `scaledDeployment` at its edges.
 */
import { describe, expect, it } from 'vitest';
import kiosk from '../fixtures/stacks/kiosk/stack.ts';
import { scaledDeployment } from '../../src/plan/trigger.ts';
import type { PlanTrigger } from '../../src/plan/types.ts';
import { builtInStack, builtInStackNames, loadStack, parseStackModule } from '../../src/stack/stacks.ts';
import { defaultTriggers, replicaBounds } from '../../src/stack/triggers.ts';

describe('stack registry', () => {
  it('lists the built-in stacks and loads one by name', () => {
    expect(builtInStackNames()).toEqual(['meqenet', 'reloop']);
    const reloop = builtInStack('reloop');
    expect(reloop.triggers.map((t) => t.id)).toEqual(['backend-cpu', 'backend-memory']);
    expect(Object.keys(reloop.journeys)).toEqual(['browse', 'submit', 'feed']);
    expect(reloop.targetMapping).toBe('kubernetes');
  });

  it('loads a stack module by path, relative to a folder', async () => {
    const s = await loadStack('./stack.ts', 'test/fixtures/stacks/kiosk');
    expect(s).toMatchObject({ name: 'kiosk', file: 'test/fixtures/stacks/kiosk/stack.ts' });
    await expect(loadStack('./nope.ts', 'test/fixtures/stacks/kiosk', 'p.ts: stack')).rejects.toThrow('p.ts: stack: no stack module at test/fixtures/stacks/kiosk/nope.ts (got "./nope.ts")');
  });

  it('names the file, key and value of a journey or trigger the stack cannot serve', () => {
    const journeys = { ...kiosk.journeys, pay: { service: 'kiosk', requests: 1, routes: ['POST /pay'] } };
    expect(() => parseStackModule({ ...kiosk, journeys }, 's.ts')).toThrow('s.ts: journeys.pay.routes[0]: no route "POST /pay" (got "POST /pay")');
    const triggers = [{ ...kiosk.triggers[0], service: 'till' }];
    expect(() => parseStackModule({ ...kiosk, triggers }, 's.ts')).toThrow('s.ts: triggers[0].service: no deployment "till" (got "till")');
    expect(() => parseStackModule({ ...kiosk, mappings: {} }, 's.ts')).toThrow('s.ts: mappings: unknown key');
  });
});

describe('scaledDeployment', () => {
  const row = (action: PlanTrigger['action']): PlanTrigger => ({ ...defaultTriggers(builtInStack('meqenet'), { scale: 1, timeScale: 1 })[0]!, service: 'payments', action });
  it('is the workers deployment for add-workers and the service otherwise, alert rows included', () => {
    expect(scaledDeployment(row({ type: 'add-workers', count: 2, deployment: 'rewards-worker' }))).toBe('rewards-worker');
    expect(scaledDeployment(row({ type: 'add-instances', count: 3 }))).toBe('payments');
    expect(scaledDeployment(row({ type: 'hpa' }))).toBe('payments');
    expect(scaledDeployment(row({ type: 'alert', note: 'investigate' }))).toBe('payments');
  });

  it('alert-only rows set no replica bounds for the autoscaler', () => {
    const rows = defaultTriggers(builtInStack('meqenet'), { scale: 1, timeScale: 1 });
    const bounds = replicaBounds(rows);
    expect(bounds.has('database')).toBe(false);
    expect(bounds.get('rewards-worker')).toEqual({ min: 2, max: 10 });
    expect([...bounds.keys()].sort()).toEqual(['auth', 'marketplace', 'payments', 'rewards-worker']);
  });
});
