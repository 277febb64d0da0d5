/**
 * The trigger rows the autoscaler consumes: checked against the stack profile when the stack
 * starts (unknown deployment, route or queue → InputError), and the stack's own default table
 * when no plan gives one (e.g. `tsx src/stack/main.ts` on its own).
 */
import { MEQENET_TRIGGERS, RELOOP_TRIGGERS } from '../../profiles/triggers.ts';
import { InputError } from '../errors.ts';
import { TriggerSchema, toSeconds, type StackName } from '../plan/schema.ts';
import type { PlanTrigger } from '../plan/types.ts';
import { routeKey, type StackSpec } from './spec.ts';

/** The plan's trigger table of a stack, resolved for time scale T (expectations `any`). */
export function defaultTriggers(stack: StackName, timeScale: number): PlanTrigger[] {
  const rows = stack === 'meqenet' ? MEQENET_TRIGGERS : RELOOP_TRIGGERS;
  return rows.map((input) => {
    const { for: hold, route, queue, ...t } = TriggerSchema.parse(input);
    const forSeconds = toSeconds(hold);
    return {
      ...t,
      ...(route !== undefined ? { route } : {}),
      ...(queue !== undefined ? { queue } : {}),
      forSeconds,
      forWallSeconds: forSeconds / timeScale,
      expect: 'any' as const,
    };
  });
}

/** The deployment a trigger scales; null for alert-only rows. */
export function scaledDeployment(t: PlanTrigger): string | null {
  switch (t.action.type) {
    case 'alert':
      return null;
    case 'add-workers':
      return t.action.deployment;
    default:
      return t.service;
  }
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
    if (target !== null && !deployments.has(target)) throw new InputError(`${where(t, 'action.deployment')}: stack ${spec.name} has no deployment "${target}"`);
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
    const d = scaledDeployment(t);
    if (d === null) continue;
    const b = out.get(d);
    out.set(d, b ? { min: Math.max(b.min, t.minReplicas), max: Math.min(b.max, t.maxReplicas) } : { min: t.minReplicas, max: t.maxReplicas });
  }
  return out;
}
