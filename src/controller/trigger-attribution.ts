/**
 * Which trigger caused each change of a deployment's replicas. From the autoscaler's own record
 * (a counter of replicas each trigger added or removed) where the target keeps one; otherwise
 * by matching each scale-up to the rows that had fired: the timing first (a firing it answers
 * within the row's grace), then the step (the row's promised count), then the most recent firing
 * at or before it.
 * Trigger A is never credited with a scale-up the record gives to trigger B.
 */
import { replicaChanges, valueAt, type Points, type ReplicaChange } from './trigger-math.ts';

/** One scale-up or scale-down credited to a trigger. Times are epoch s. */
export interface Action {
  time: number;
  /** Replicas before the change. */
  from: number;
  /** Replicas this trigger added (or removed, for a down). */
  delta: number;
  /** Other triggers credited with the same change (matched as a sum of their steps). */
  shared: string[];
}

/** What the attribution needs of one scaling row. */
export interface RowEvidence {
  id: string;
  /** Promised step; null when any increase will do (HPA). */
  step: number | null;
  /** Firing times, epoch s. */
  fires: number[];
  /** When the row may legitimately cause scaling (activeSpans). */
  spans: Array<[number, number]>;
  graceSeconds: number;
  earlySlackSeconds: number;
}

export interface Attribution {
  how: 'record' | 'matched';
  ups: Map<string, Action[]>;
  /** Every scale-down of the deployment, with the trigger the record credits (null: none, e.g. stabilization). */
  downs: Array<ReplicaChange & { by: string | null }>;
  /** Scale-ups no row explains. */
  unexplained: ReplicaChange[];
}

/** Each rise of a counter: the sample where it rose and by how much. A reset starts over. */
export function counterSteps(points: Points): Array<{ time: number; delta: number }> {
  const out: Array<{ time: number; delta: number }> = [];
  let prev: number | null = null;
  for (const [t, v] of points) {
    if (!Number.isFinite(v)) continue;
    if (prev !== null && v > prev + 1e-9) out.push({ time: t, delta: v - prev });
    prev = v;
  }
  return out;
}

/**
 * From the record: `record.get(id)` holds the row's `up` and `down` counter series. A replica
 * change is the record's when some row's counter rose within one sampling step of it.
 */
export function attributeByRecord(replicas: Points, record: Map<string, { up: Points; down: Points }>, step: number): Attribution {
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= step * 1.01;
  const ups = new Map<string, Action[]>();
  const downSteps = new Map<string, Array<{ time: number; delta: number }>>();
  for (const [id, r] of record) {
    ups.set(id, counterSteps(r.up).map((s) => ({ time: s.time, from: valueAt(replicas, s.time - step / 2) ?? 0, delta: s.delta, shared: [] })));
    downSteps.set(id, counterSteps(r.down));
  }
  const changes = replicaChanges(replicas);
  const downs = changes.filter((c) => c.to < c.from).map((c) => ({ ...c, by: [...downSteps].find(([, s]) => s.some((d) => near(d.time, c.time)))?.[0] ?? null }));
  const unexplained = changes.filter((c) => c.to > c.from && ![...ups.values()].some((a) => a.some((u) => near(u.time, c.time))));
  return { how: 'record', ups, downs, unexplained };
}

interface Candidate {
  row: RowEvidence;
  /** The firing the change answers; null for a further action while the condition still holds. */
  fire: number | null;
}

/** Without a record: credits each scale-up to the row(s) whose firing it answers. */
export function attributeByMatch(replicas: Points, rows: readonly RowEvidence[]): Attribution {
  const pending = new Map(rows.map((r) => [r.id, [...r.fires]]));
  const ups = new Map<string, Action[]>(rows.map((r) => [r.id, []]));
  const unexplained: ReplicaChange[] = [];
  const changes = replicaChanges(replicas);
  for (const c of changes.filter((x) => x.to > x.from)) {
    const open = (r: RowEvidence, late: boolean): number | undefined =>
      (pending.get(r.id) ?? []).find((f) => f - r.earlySlackSeconds <= c.time && (late || c.time <= f + r.graceSeconds));
    const tiers: Candidate[][] = [
      rows.flatMap((row) => (open(row, false) !== undefined ? [{ row, fire: open(row, false)! }] : [])),
      rows.filter((row) => row.spans.some(([a, b]) => c.time >= a && c.time <= b)).map((row) => ({ row, fire: null })),
      rows.flatMap((row) => (open(row, true) !== undefined ? [{ row, fire: open(row, true)! }] : [])),
    ];
    const cands = tiers.find((t) => t.length > 0);
    if (!cands) {
      unexplained.push(c);
      continue;
    }
    const chosen = pick(cands, c.to - c.from, c.time);
    for (const k of chosen) {
      const share = chosen.length > 1 ? (k.row.step ?? 0) : c.to - c.from;
      ups.get(k.row.id)!.push({ time: c.time, from: c.from, delta: share, shared: chosen.filter((o) => o !== k).map((o) => o.row.id) });
      if (k.fire !== null) pending.set(k.row.id, (pending.get(k.row.id) ?? []).filter((f) => f !== k.fire));
    }
  }
  return { how: 'matched', ups, downs: changes.filter((c) => c.to < c.from).map((c) => ({ ...c, by: null })), unexplained };
}

/** Among rows that could have caused a rise of `delta`: the one whose step it is, all whose steps sum to it, else the latest firing. */
function pick(cands: Candidate[], delta: number, time: number): Candidate[] {
  if (cands.length === 1) return cands;
  const byStep = cands.filter((c) => c.row.step === null || c.row.step === delta);
  if (byStep.length === 1) return byStep;
  if (cands.every((c) => c.row.step !== null) && cands.reduce((s, c) => s + (c.row.step ?? 0), 0) === delta) return cands;
  const pool = byStep.length > 0 ? byStep : cands;
  // The firing the change most plausibly answers: one at or before it, the most recent.
  const rank = (c: Candidate): number => {
    const f = c.fire ?? Math.max(-Infinity, ...c.row.fires.filter((x) => x <= time));
    return f <= time ? f : -1e12 - f;
  };
  return [pool.reduce((best, c) => (rank(c) > rank(best) ? c : best))];
}

/**
 * Flap cycles of one row: a scale-down (not credited to another row) between two of this row's
 * own scale-ups, the second within `windowSeconds` of the down. Each as its down and back-up times.
 */
export function flapCyclesOf(id: string, ups: readonly Action[], downs: Attribution['downs'], windowSeconds: number): Array<{ down: number; back: number }> {
  const out: Array<{ down: number; back: number }> = [];
  for (const d of downs) {
    if (d.by !== null && d.by !== id) continue;
    const before = ups.some((u) => u.time < d.time);
    const back = ups.find((u) => u.time > d.time);
    if (before && back !== undefined && back.time - d.time <= windowSeconds) out.push({ down: d.time, back: back.time });
  }
  return out;
}

/** How soon (wall s) a row's scale-up after a scale-down makes it a flap cycle: the plan's 300 s, scaled. */
export function flapWindowSeconds(timeScale: number): number {
  return 300 / timeScale;
}
