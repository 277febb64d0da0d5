/**
 * The embedded autoscaler's rules of thumb, apart from its sync loop: where a row fires, and how
 * far clear of its threshold a deployment must be to give a replica back. Kept here, not shared
 * with the controller's `actingThreshold`: the autoscaler and the judge of it share no code.
 */
import type { PlanTrigger } from '../plan/types.ts';

/** HPA leaves replicas alone while observed/target is within 10 % of 1. */
export const HPA_TOLERANCE = 0.1;

/**
 * The value past which the row fires: its threshold, or for an HPA the threshold widened by its
 * tolerance, where it acts (and where a `late` fault's delay starts), not the target itself.
 */
export function firesAt(t: PlanTrigger): number {
  if (t.action.type !== 'hpa') return t.threshold;
  return t.threshold * (t.op === '>' ? 1 + HPA_TOLERANCE : 1 - HPA_TOLERANCE);
}

/** CPU %, after removing a replica, above which the autoscaler does not scale down (0.9 x 70). */
export const SCALE_DOWN_MAX_CPU = 63;

/**
 * Far enough from the threshold to give a replica back: for CPU and memory the HPA formula
 * with 10 % headroom asks for fewer replicas; latency under half; queues under a tenth.
 */
export function wellClear(t: PlanTrigger, v: number | null, ready: number): boolean {
  if (v === null) return true;
  if (t.op === '<') return v > t.threshold * 1.25;
  if (t.signal === 'cpu' || t.signal === 'memory') return Math.ceil((ready * v) / (0.9 * t.threshold)) < ready;
  if (t.signal === 'latency') return v < 0.5 * t.threshold;
  return v < 0.1 * t.threshold;
}
