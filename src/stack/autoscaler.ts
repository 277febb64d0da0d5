/**
 * An autoscaler with Kubernetes HPA / KEDA semantics, configured from the plan's trigger rows
 * and measuring the stack's own internal state. It shares no code with the controller that
 * judges it. Every sync it evaluates each trigger; a condition that has held for the trigger's
 * `for` window fires it (then a cool-down, and the held time restarts). Scale-down is
 * conservative: one replica at a time after a stabilization window in which every trigger of
 * the deployment was well clear of its threshold. Fault switches break it on purpose.
 */
import type { PlanTrigger } from '../plan/types.ts';
import type { Fault } from './faults.ts';
import type { Clock } from './random.ts';
import { firesAt, HPA_TOLERANCE, SCALE_DOWN_MAX_CPU, wellClear } from './scale-rules.ts';
import { replicaBounds, scaledDeployment } from './triggers.ts';

export interface Replicas {
  desired: number;
  created: number;
  ready: number;
}

/** What the autoscaler measures and drives. */
export interface ScalingTarget {
  /** The trigger's signal over the evaluation window, in its unit (%, ms, messages); null: no data. */
  observe(t: PlanTrigger): number | null;
  replicas(deployment: string): Replicas;
  setDesired(deployment: string, replicas: number): void;
}

/** Wall-clock periods, s (already divided by the time scale). */
export interface AutoscalerPeriods {
  syncSeconds: number;
  cooldownSeconds: number;
  stabilizationSeconds: number;
}

export interface ScalingEvent {
  /** Clock time, s. */
  at: number;
  /** Trigger id, or `stabilization` for a conservative scale-down. */
  trigger: string;
  deployment: string;
  direction: 'up' | 'down' | 'alert';
  from: number;
  to: number;
  observed: number | null;
  note: string;
}

export interface AutoscalerOptions {
  triggers: readonly PlanTrigger[];
  target: ScalingTarget;
  periods: AutoscalerPeriods;
  faults?: ReadonlyMap<string, Fault>;
  clock: Clock;
  log?: (line: string) => void;
  onEvent?: (e: ScalingEvent) => void;
  /**
   * False while the stack has served no traffic yet: an idle stack waiting for its first
   * request keeps its initial (planned) replicas instead of shrinking. @default always true
   */
  trafficSeen?: () => boolean;
}

interface TriggerState {
  heldSince: number | null;
  cooldownUntil: number;
  last: number | null;
  pending: NodeJS.Timeout | null;
  flapUndo: { deployment: string; step: number } | null;
}

export class Autoscaler {
  readonly events: ScalingEvent[] = [];
  private readonly state = new Map<string, TriggerState>();
  private readonly clearSince = new Map<string, number>();
  private readonly bounds: Map<string, { min: number; max: number }>;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: AutoscalerOptions) {
    this.bounds = replicaBounds(opts.triggers);
    for (const t of opts.triggers) this.state.set(t.id, { heldSince: null, cooldownUntil: -Infinity, last: null, pending: null, flapUndo: null });
  }

  start(): void {
    this.timer ??= setInterval(() => this.sync(), this.opts.periods.syncSeconds * 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.state.values()) if (s.pending) clearTimeout(s.pending);
  }

  /** One sync period: undo flaps, evaluate every trigger, then consider scaling down. */
  sync(): void {
    const now = this.opts.clock();
    const undone = this.undoFlaps(now);
    for (const t of this.opts.triggers) this.evaluate(t, this.st(t), now, undone.has(t.id));
    if (this.opts.trafficSeen?.() ?? true) this.scaleDown(now);
  }

  private evaluate(t: PlanTrigger, st: TriggerState, now: number, justUndone: boolean): void {
    const v = this.opts.target.observe(t);
    st.last = v;
    const acting = firesAt(t);
    const held = v !== null && (t.op === '>' ? v > acting : v < acting);
    if (!held) {
      st.heldSince = null;
      return;
    }
    st.heldSince ??= now;
    if (justUndone || st.pending || now - st.heldSince + 1e-9 < t.forWallSeconds || now < st.cooldownUntil) return;
    const fault = this.opts.faults?.get(t.id);
    const heldFor = `${t.signal} ${fmt(v)} ${t.op} ${t.threshold} for ${fmt(now - st.heldSince)}s`;
    if (fault?.kind === 'ignore') {
      this.log(`${t.id} fired (${heldFor}) but is ignored (fault)`);
      this.rest(st, now);
    } else if (fault?.kind === 'late') {
      this.log(`${t.id} fired (${heldFor}); acting ${fault.delaySeconds}s late (fault)`);
      st.pending = setTimeout(() => {
        st.pending = null;
        this.act(t, st, this.opts.clock(), this.opts.target.observe(t) ?? v, `${heldFor}, ${fault.delaySeconds}s late`);
      }, fault.delaySeconds * 1000);
    } else {
      this.act(t, st, now, v, heldFor);
    }
  }

  private act(t: PlanTrigger, st: TriggerState, now: number, v: number, why: string): void {
    const deployment = scaledDeployment(t);
    if (t.action.type === 'alert') {
      this.emit({ at: now, trigger: t.id, deployment: t.service, direction: 'alert', from: 0, to: 0, observed: v, note: why });
      this.rest(st, now);
      return;
    }
    const r = this.opts.target.replicas(deployment);
    let to: number;
    if (t.action.type === 'hpa') {
      // Replicas still starting: their metrics are not in yet (HPA waits for readiness).
      const ratio = v / t.threshold;
      if (r.created > r.ready || Math.abs(ratio - 1) <= HPA_TOLERANCE) return;
      to = Math.ceil(r.desired * ratio);
    } else {
      to = r.desired + t.action.count;
    }
    const fault = this.opts.faults?.get(t.id);
    if (fault?.kind === 'short') to = r.desired + fault.count;
    to = Math.min(to, t.maxReplicas);
    this.rest(st, now);
    if (to <= r.desired) {
      this.log(`${t.id} fired (${why}) but ${deployment} stays at ${r.desired} (max ${t.maxReplicas})`);
      return;
    }
    this.opts.target.setDesired(deployment, to);
    this.emit({ at: now, trigger: t.id, deployment, direction: 'up', from: r.desired, to, observed: v, note: why });
    if (fault?.kind === 'flap') st.flapUndo = { deployment, step: to - r.desired };
  }

  private undoFlaps(now: number): Set<string> {
    const undone = new Set<string>();
    for (const t of this.opts.triggers) {
      const st = this.st(t);
      if (!st.flapUndo) continue;
      const { deployment, step } = st.flapUndo;
      st.flapUndo = null;
      const r = this.opts.target.replicas(deployment);
      const to = Math.max(this.bounds.get(deployment)?.min ?? 1, r.desired - step);
      if (to < r.desired) {
        this.opts.target.setDesired(deployment, to);
        this.emit({ at: now, trigger: t.id, deployment, direction: 'down', from: r.desired, to, observed: st.last, note: 'flap (fault)' });
      }
      undone.add(t.id);
    }
    return undone;
  }

  private scaleDown(now: number): void {
    for (const [deployment, { min }] of this.bounds) {
      const r = this.opts.target.replicas(deployment);
      const rows = this.opts.triggers.filter((t) => t.action.type !== 'alert' && scaledDeployment(t) === deployment);
      const settled = r.desired > min && r.created === r.desired && r.ready === r.desired;
      const quiet = rows.every((t) => !this.st(t).pending && !this.st(t).flapUndo && wellClear(t, this.st(t).last, r.ready));
      if (!settled || !quiet || !this.roomAfterRemoval(deployment, r.ready)) {
        this.clearSince.delete(deployment);
        continue;
      }
      const since = this.clearSince.get(deployment) ?? now;
      this.clearSince.set(deployment, since);
      if (now - since + 1e-9 < this.opts.periods.stabilizationSeconds) continue;
      this.opts.target.setDesired(deployment, r.desired - 1);
      this.emit({ at: now, trigger: 'stabilization', deployment, direction: 'down', from: r.desired, to: r.desired - 1, observed: null, note: `all triggers well clear for ${fmt(now - since)}s` });
      this.clearSince.set(deployment, now);
    }
  }

  /**
   * The HPA's own guard against scaling down into overload: whatever the deployment's triggers
   * say (a latency-only trigger is "well clear" at any unsaturated load), the remaining
   * replicas must carry the CPU at under 90 % of a 70 % utilization target.
   */
  private roomAfterRemoval(deployment: string, ready: number): boolean {
    if (ready <= 1) return false;
    const cpu = this.opts.target.observe({ signal: 'cpu', service: deployment } as PlanTrigger);
    if (cpu === null) return true;
    return (cpu * ready) / (ready - 1) < SCALE_DOWN_MAX_CPU;
  }

  /** After acting (or deciding not to): cool down, and the held time starts over. */
  private rest(st: TriggerState, now: number): void {
    st.cooldownUntil = now + this.opts.periods.cooldownSeconds;
    st.heldSince = now;
  }

  private st(t: PlanTrigger): TriggerState {
    const s = this.state.get(t.id);
    if (!s) throw new Error(`unknown trigger ${t.id}`);
    return s;
  }

  private emit(e: ScalingEvent): void {
    this.events.push(e);
    const change = e.direction === 'alert' ? 'alert' : `${e.deployment} ${e.from} -> ${e.to}`;
    this.log(`${e.trigger} ${e.direction}: ${change} (${e.note})`);
    this.opts.onEvent?.(e);
  }

  private log(line: string): void {
    this.opts.log?.(`autoscaler: ${line}`);
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
