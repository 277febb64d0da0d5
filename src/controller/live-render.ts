/**
 * What the live view shows, as pure functions from its state to text: the screen a terminal
 * redraws in place, and the one status line a CI log gets at an interval. No I/O here.
 */

export type TriggerState = { state: 'armed' } | { state: 'pending'; heldSeconds: number } | { state: 'fired'; at: number };

export interface TriggerRow {
  id: string;
  /** The signal now, in the trigger's unit; null when the query returned nothing. */
  value: number | null;
  op: '>' | '<';
  threshold: number;
  /** `%`, `ms` or `msg`. */
  unit: string;
  /** Hold time on the wall clock, s. */
  forWallSeconds: number;
  state: TriggerState;
}

export interface DeploymentRow {
  name: string;
  replicas: number | null;
  triggers: TriggerRow[];
}

export interface SloRow {
  id: string;
  /** The SLO's bound as the verdict table words it, e.g. `p95 <= 1500 ms`. */
  bound: string;
  unit: 'ms' | 'ratio';
  threshold: number;
  kind: 'max' | 'min';
  /** Over the last SLO window, and the worst such window so far; null before there is data. */
  now: number | null;
  worst: number | null;
}

export interface LiveSnapshot {
  runId: string;
  profile: string;
  /** Epoch s the load started, and its planned length, s. */
  start: number;
  totalSeconds: number;
  elapsedSeconds: number;
  /** 1-based stage of the plan's first scenario, and the number of stages. */
  stage: number;
  stages: number;
  /** Gateway rate achieved and planned, req/s; p95 in ms; error ratio 0..1. */
  rate: number | null;
  targetRate: number;
  p95Ms: number | null;
  errorRatio: number | null;
  deployments: DeploymentRow[];
  slos: SloRow[];
  /** k6's own latest progress lines (terminal only). */
  k6: string[];
  /** The stack's latest autoscaler events, oldest first, and how many rows they get (terminal only). */
  events?: { lines: string[]; rows: number };
}

/** Advances one trigger's state given whether its condition holds now (epoch s). */
export function nextState(prev: TriggerState, holds: boolean, now: number, forSeconds: number, since: number | null): { state: TriggerState; since: number | null } {
  if (!holds) return { state: prev.state === 'fired' ? prev : { state: 'armed' }, since: null };
  const from = since ?? now;
  if (now - from >= forSeconds) return { state: prev.state === 'fired' ? prev : { state: 'fired', at: now }, since: from };
  return { state: { state: 'pending', heldSeconds: now - from }, since: from };
}

const num = (v: number | null, digits = 0): string => (v === null ? '-' : v.toFixed(digits));
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)} %`);

/** e.g. `armed`, `pending 2.1/4.5 s`, `fired at +13.3 s`. */
export function stateText(s: TriggerState, forWallSeconds: number, start: number): string {
  if (s.state === 'armed') return 'armed';
  if (s.state === 'pending') return `pending ${s.heldSeconds.toFixed(1)}/${forWallSeconds.toFixed(1)} s`;
  return `fired at +${(s.at - start).toFixed(1)} s`;
}

/** e.g. `auth-cpu 72 > 70 % pending 2.1/4.5 s`: the value against its threshold, and the state. */
export function triggerText(t: TriggerRow, start: number): string {
  const holds = t.value !== null && (t.op === '>' ? t.value > t.threshold : t.value < t.threshold);
  // A fired trigger stays `fired` until it holds again; say when its condition has cleared.
  const clear = t.state.state === 'fired' && !holds ? ', now clear' : '';
  return `${t.id} ${num(t.value)} ${t.op} ${t.threshold} ${t.unit} ${stateText(t.state, t.forWallSeconds, start)}${clear}`;
}

function sloValue(v: number | null, unit: SloRow['unit']): string {
  return unit === 'ms' ? (v === null ? '-' : `${Math.round(v)} ms`) : pct(v);
}

/** `ok`, `over` (outside the bound) or `-` (no data yet), for the worst window so far. */
export function sloState(s: SloRow): string {
  if (s.worst === null) return '-';
  return (s.kind === 'max' ? s.worst <= s.threshold : s.worst >= s.threshold) ? 'ok' : 'OUT OF BOUND';
}

function clock(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(11, 19);
}

function columns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function bar(fraction: number, width: number): string {
  const n = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

/**
 * The terminal screen: a header with the run and its window, one line per deployment with its
 * replicas and each trigger, the SLOs so far, and k6's own progress. Lines are cut at `width`
 * so that the screen's height is exactly the number of lines, whatever the terminal.
 */
export function renderScreen(s: LiveSnapshot, width = 120): string[] {
  const fraction = s.totalSeconds > 0 ? s.elapsedSeconds / s.totalSeconds : 0;
  const achieved = s.rate !== null && s.targetRate > 0 ? ` (${Math.round((s.rate / s.targetRate) * 100)} %)` : '';
  const lines = [
    `scale-harness  run ${s.runId}  profile ${s.profile}`,
    `load ${clock(s.start)}-${clock(s.start + s.totalSeconds)} UTC  ${bar(fraction, 20)} ${Math.round(s.elapsedSeconds)}/${Math.round(s.totalSeconds)} s  stage ${s.stage}/${s.stages}`,
    `rate ${num(s.rate)}/${num(s.targetRate)} req/s${achieved}  p95 ${num(s.p95Ms)} ms  errors ${pct(s.errorRatio)}`,
    '',
    ...columns([
      ['DEPLOYMENT', 'REPLICAS', 'TRIGGERS (value vs threshold, state)'],
      ...s.deployments.map((d) => [d.name, num(d.replicas), d.triggers.map((t) => triggerText(t, s.start)).join('  |  ')]),
    ]),
    '',
    ...columns([
      ['SLO (so far)', 'BOUND', 'LAST WINDOW', 'WORST WINDOW', 'STATE'],
      ...s.slos.map((o) => [o.id, o.bound, sloValue(o.now, o.unit), sloValue(o.worst, o.unit), sloState(o)]),
    ]),
  ];
  if (s.events) {
    const pad = Array<string>(Math.max(0, s.events.rows - s.events.lines.length)).fill('');
    lines.push('', 'EVENTS (latest; all in the run folder\'s live.log)', ...s.events.lines.slice(-s.events.rows).map((e) => `  ${e}`), ...pad);
  }
  if (s.k6.length > 0) lines.push('', ...s.k6.map((l, i) => (i === 0 ? `k6 ${l}` : l ? `   ${l}` : '')));
  return lines.map((l) => (l.length > width ? `${l.slice(0, Math.max(0, width - 1))}~` : l));
}

/**
 * The CI status line: elapsed/total and stage, achieved vs target rate, p95, errors, replicas per
 * deployment, the triggers whose state changed since the last line, and `extra` notes (e.g.
 * folded repeats).
 */
export function statusLine(s: LiveSnapshot, changed: string[], extra: string[] = []): string {
  const reps = s.deployments.map((d) => `${d.name} ${num(d.replicas)}`).join(' ');
  const parts = [
    `[live] ${Math.round(s.elapsedSeconds)}/${Math.round(s.totalSeconds)} s stage ${s.stage}/${s.stages}`,
    `rate ${num(s.rate)}/${num(s.targetRate)} req/s`,
    `p95 ${num(s.p95Ms)} ms`,
    `errors ${pct(s.errorRatio)}`,
    `replicas ${reps}`,
  ];
  if (changed.length > 0) parts.push(`triggers ${changed.join(', ')}`);
  return [...parts, ...extra].join(' | ');
}

/** `auth-cpu pending`, `auth-cpu fired`: one entry per trigger whose state name changed. */
export function changedTriggers(before: Map<string, TriggerState['state']>, rows: TriggerRow[]): string[] {
  return rows.filter((t) => before.get(t.id) !== t.state.state).map((t) => `${t.id} ${t.state.state}`);
}
