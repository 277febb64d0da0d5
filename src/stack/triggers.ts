/**
 * The trigger rows the autoscaler consumes: checked against the stack profile when the stack
 * starts (unknown deployment, route or queue → InputError), and the stack's own default table
 * when no plan gives one (e.g. `tsx src/stack/main.ts` on its own).
 */
import { InputError } from '../errors.ts';
import { planTrigger, scaledDeployment } from '../plan/trigger.ts';
import type { PlanTrigger } from '../plan/types.ts';
import type { StackModule } from './module.ts';

export { scaledDeployment };
import { routeKey, type StackSpec } from './spec.ts';

/** The stack's own trigger table at scale S and time scale T (expectations `any`), as a plan resolves it. */
export function defaultTriggers(stack: Pick<StackModule, 'triggers'>, run: { scale: number; timeScale: number }): PlanTrigger[] {
  return stack.triggers.map((t) => planTrigger(t, { ...run, expect: 'any' }));
}

/** Throws an InputError naming the trigger and the reference the stack does not have. */
export function checkTriggers(triggers: readonly PlanTrigger[], spec: StackSpec): void {
  const deployments = new Set(spec.deployments.map((d) => d.name));
  const routes = new Map(spec.routes.map((r) => [routeKey(r), r.deployment]));
  const queues = new Set(spec.deployments.flatMap((d) => [d.workers?.queue, d.consumes?.topic].filter((q): q is string => q !== undefined)));
  const ids = new Set<string>();
  const where = (t: PlanTrigger, key: string): string => `trigger ${t.id}: ${key}`;
  for (const t of triggers) {
    if (ids.has(t.id)) throw new InputError(`trigger ${t.id}: duplicate id`);
    ids.add(t.id);
    if (!deployments.has(t.service)) throw new InputError(`${where(t, 'service')}: stack ${spec.name} has no deployment "${t.service}" (has ${[...deployments].join(', ')})`);
    const target = scaledDeployment(t);
    if (!deployments.has(target)) throw new InputError(`${where(t, 'action.deployment')}: stack ${spec.name} has no deployment "${target}"`);
    if (t.signal === 'latency' && t.route !== undefined && routes.get(t.route) === undefined) {
      throw new InputError(`${where(t, 'route')}: stack ${spec.name} has no route "${t.route}"`);
    }
    if (t.signal === 'queue' && (t.queue === undefined || !queues.has(t.queue))) {
      throw new InputError(`${where(t, 'queue')}: stack ${spec.name} has no queue "${t.queue ?? ''}" (has ${[...queues].join(', ')})`);
    }
    if (!(t.forWallSeconds >= 0) || !(t.threshold >= 0)) throw new InputError(`${where(t, 'forWallSeconds/threshold')}: must be zero or more`);
    if (t.minReplicas > t.maxReplicas) throw new InputError(`${where(t, 'minReplicas')}: ${t.minReplicas} is above maxReplicas ${t.maxReplicas}`);
  }
}

/** Replica bounds of each scaled deployment: the highest minimum, the lowest maximum. */
export function replicaBounds(triggers: readonly PlanTrigger[]): Map<string, { min: number; max: number }> {
  const out = new Map<string, { min: number; max: number }>();
  for (const t of triggers) {
    // An alert-only row scales nothing: its bounds (often 1..1) must not pin its service.
    if (t.action.type === 'alert') continue;
    const d = scaledDeployment(t);
    const b = out.get(d);
    out.set(d, b ? { min: Math.max(b.min, t.minReplicas), max: Math.min(b.max, t.maxReplicas) } : { min: t.minReplicas, max: t.maxReplicas });
  }
  return out;
}
