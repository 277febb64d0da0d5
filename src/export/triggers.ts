/**
 * What the exporters share: trigger rows as the controller sees them (PlanTrigger, at time
 * scale 1 when they come straight from the schema), the stack they belong to, Kubernetes name
 * checks and Prometheus duration text.
 */
import { InputError } from '../errors.ts';
import type { StackName, Trigger } from '../plan/schema.ts';
import { planTrigger } from '../plan/trigger.ts';
import { builtInStacks } from '../stack/stacks.ts';
import type { PlanTrigger } from '../plan/types.ts';

/** Options every exporter takes. */
export interface ExportOptions {
  /** Stack the triggers belong to, for names and labels. @default inferred from the trigger ids */
  stack?: StackName;
  /** Namespace of the deployments and of their series. @default 'default' */
  namespace?: string;
  /** Rate/quantile window of the signal queries, s (at time scale 1). @default 60 */
  windowSeconds?: number;
}

export const DEFAULT_WINDOW_SECONDS = 60;
export const DEFAULT_NAMESPACE = 'default';

/**
 * A schema row as the controller's PlanTrigger at time scale 1; PlanTriggers pass through.
 * Exports are for real clusters, so they always use `forSeconds` (time scale 1), never the
 * compressed wall-clock window of a test run.
 */
export function asPlanTrigger(t: Trigger | PlanTrigger): PlanTrigger {
  if ('forSeconds' in t) return t;
  return planTrigger(t, { scale: 1, timeScale: 1, expect: 'any' });
}

/** The built-in stack whose trigger table holds every one of these ids, or null. */
export function stackOf(triggers: Array<{ id: string }>): StackName | null {
  if (triggers.length === 0) return null;
  for (const stack of builtInStacks()) {
    const ids = new Set(stack.triggers.map((r) => r.id));
    if (triggers.every((t) => ids.has(t.id))) return stack.name;
  }
  return null;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws InputError unless `value` is a DNS-1123 label (namespaces, names of most objects). */
export function checkDnsLabel(key: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new InputError(`${key}: must be a Kubernetes name: lower-case letters, digits and '-', at most 63 characters (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Seconds as the shortest exact Prometheus duration: 300 -> `5m`, 90 -> `90s`, 0 -> `0s`. */
export function promDuration(seconds: number): string {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`not a duration in seconds: ${seconds}`);
  const ms = Math.round(seconds * 1000);
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `auth-cpu` -> `AuthCpu`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Unit of a signal's threshold, as reports write it. */
export function unitOf(t: PlanTrigger): string {
  return t.signal === 'latency' ? 'ms' : t.signal === 'queue' ? 'messages' : '%';
}

/** `cpu of auth > 70 % for 5m`, with the `for` at time scale 1 and left out when zero. */
export function conditionSummary(t: PlanTrigger): string {
  const what = t.signal === 'latency' ? `p${t.percentile} latency of ${t.route ?? t.service}` : t.signal === 'queue' ? `queue ${t.queue ?? '?'}` : `${t.signal} of ${t.service}`;
  return `${what} ${t.op} ${t.threshold} ${unitOf(t)}${t.forSeconds > 0 ? ` for ${promDuration(t.forSeconds)}` : ''}`;
}
