/**
 * The stack side of the fault switches (faults.ts): per-route delays and error ratios the
 * gateway applies, and per-deployment memory leaks. Built once at start, and null when no such
 * fault is set, so a healthy stack's request path pays one null check.
 */
import { isTriggerFault, resolveRoute, type AnyFault } from './faults.ts';
import type { Served } from './model.ts';
import { mulberry32, sleep, type Clock, type Rng } from './random.ts';

export interface RouteFault {
  /** Added to the answer, ms. */
  delayMs: number;
  /** Share of requests that answer 500, 0..1. */
  errorRatio: number;
}

export type RouteFaults = ReadonlyMap<string, RouteFault>;

/** Faults that act inside the stack process (not the autoscaler's, not the network's). */
export function stackFaults(faults: readonly AnyFault[]): AnyFault[] {
  return faults.filter((f) => !isTriggerFault(f) && f.kind !== 'proxy-down');
}

/** Route key -> its fault, from `slow` and `errors` faults (already checked against the stack); null if none. */
export function routeFaults(faults: readonly AnyFault[], routes: readonly string[], journeys: Readonly<Record<string, { routes: readonly string[] }>>): RouteFaults | null {
  const out = new Map<string, RouteFault>();
  const at = (key: string): RouteFault => out.get(key) ?? out.set(key, { delayMs: 0, errorRatio: 0 }).get(key)!;
  for (const f of faults) {
    if (f.kind === 'slow') {
      const key = resolveRoute(f.route, routes);
      if (key) at(key).delayMs += f.delayMs;
    } else if (f.kind === 'errors') {
      for (const key of journeys[f.journey]?.routes ?? []) at(key).errorRatio = Math.min(1, at(key).errorRatio + f.ratio);
    }
  }
  return out.size > 0 ? out : null;
}

/** A seeded draw for the error bursts, apart from the service-time streams. */
export function faultRng(seed: number): Rng {
  return mulberry32(seed ^ 0x5eed_fa17);
}

/** The served answer as the fault makes it: later by the delay, or a 500 for its share. */
export async function applyRouteFault(f: RouteFault, served: Served, rng: Rng): Promise<Served> {
  if (f.delayMs > 0) await sleep(f.delayMs);
  const seconds = served.seconds + f.delayMs / 1000;
  if (f.errorRatio > 0 && served.status < 400 && rng() < f.errorRatio) {
    return { status: 500, body: JSON.stringify({ error: 'injected fault' }), seconds };
  }
  return { ...served, seconds };
}

const MiB = 1024 * 1024;

/**
 * Bytes leaked so far by each ready replica of a deployment, from `leak` faults: MiB per plan
 * minute, so per wall second × timeScale / 60. Undefined when no leak is set.
 */
export function leakedBytes(faults: readonly AnyFault[], timeScale: number, clock: Clock): ((deployment: string) => number) | undefined {
  const perWallSecond = new Map<string, number>();
  for (const f of faults) if (f.kind === 'leak') perWallSecond.set(f.service, (perWallSecond.get(f.service) ?? 0) + (f.mbPerMinute * MiB * timeScale) / 60);
  if (perWallSecond.size === 0) return undefined;
  const t0 = clock();
  return (d) => (perWallSecond.get(d) ?? 0) * (clock() - t0);
}
