/**
 * What the controller concludes about a run: written to reports/runs/<runId>/verdict.json and
 * read by every reporter (table, JUnit, Markdown, HTML, Grafana, sign-off).
 */
import type { Expectation, Slo } from '../plan/schema.ts';
import type { AnyFault } from '../stack/faults.ts';
import type { HarnessHealth } from '../health/types.ts';

export type Status = 'pass' | 'fail' | 'inconclusive';

/** Breakpoint runs: where an SLO broke and the sustainable rate's headroom against the plan. */
export interface BreakpointResult {
  /** Epoch s, null when no SLO broke. */
  brokeAt: number | null;
  brokenSlo: string | null;
  /** Gateway req/s at scale 1 that held. */
  sustainableRate: number;
  requiredRate: number;
  /** sustainable / required. */
  headroom: number;
  status: Status;
  detail: string;
}

/** A value at a time window, for worst-window judgements. */
export interface WindowValue {
  value: number;
  /** Window start and end, epoch seconds. */
  start: number;
  end: number;
}

export interface SloResult {
  id: string;
  objective: Slo['objective'];
  scope: { journey?: string; service?: string; cohort?: string };
  /** Human-readable bound, e.g. `p95 <= 800 ms`. */
  bound: string;
  /** The bound as a number in `unit`. */
  threshold: number;
  unit: 'ms' | 'ratio' | 'bytes' | 'ms/h' | '%/h';
  /** Whole-run value; null when there was no data. */
  observed: number | null;
  /** Worst sliding window; null when the run is shorter than one window or had no data. */
  worstWindow: WindowValue | null;
  status: Status;
  detail: string;
}

/** Traffic seen for one slice (service, journey or cohort). */
export interface TrafficRow {
  kind: 'service' | 'journey' | 'cohort';
  name: string;
  requests: number;
  /** Mean achieved request rate over the load window, req/s. */
  rps: number;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number | null;
  /** For journeys: iterations k6 was asked for and completed, and those it dropped. */
  targetIterations?: number;
  iterations?: number;
  droppedIterations?: number;
}

export type TriggerOutcome =
  | 'fired-and-scaled'
  | 'fired-not-scaled'
  | 'scaled-late'
  | 'wrong-step'
  | 'scaled-without-trigger'
  | 'expected-but-not-fired'
  | 'flapping'
  | 'max-replicas-reached'
  | 'alert-only-fired'
  | 'not-fired'
  /** Never fired, and the profile asked neither fire nor quiet of it: no evidence either way. */
  | 'not-exercised'
  /** A query the row depends on returned no data over the run. */
  | 'no-data';

export interface TriggerResult {
  id: string;
  service: string;
  /** e.g. `cpu > 70 % for 300 s`. */
  condition: string;
  /** e.g. `add 2 instances`. */
  action: string;
  expect: Expectation;
  outcome: TriggerOutcome;
  status: Status;
  /** Intervals (epoch s) during which the condition held. */
  heldIntervals: Array<[number, number]>;
  /** When the condition had held for its `for` window, epoch s; null if never. */
  firedAt: number | null;
  /** When replicas first rose after firing, epoch s. */
  scaledAt: number | null;
  /** scaledAt - firedAt, wall-clock seconds. */
  lagSeconds: number | null;
  /** Allowed lag, wall-clock seconds, and how it was derived. */
  graceSeconds: number;
  graceDerivation: string;
  replicasBefore: number | null;
  replicasAfter: number | null;
  /** Promised step (replicas), null for alert and HPA. */
  expectedStep: number | null;
  detail: string;
  /** For a flapping row: each cycle counted, a scale-down and the row's scale-up back. */
  flapCycles?: FlapCycle[];
}

/** One flap cycle of a row, epoch s. */
export interface FlapCycle {
  /** When replicas went down. */
  down: number;
  /** When the row's own scale-up brought them back. */
  back: number;
  /**
   * Whether the row's condition surely held when replicas went down: the autoscaler removed
   * capacity while its own trigger said more was needed, which no drop in the offered load explains.
   */
  heldAtDown: boolean;
}

export interface CrossCheck {
  prometheusRequests: number | null;
  k6Requests: number | null;
  /** |prom - k6| / k6. */
  diffRatio: number | null;
  status: Status;
}

export interface Verdict {
  runId: string;
  profile: string;
  stack: string;
  target: string;
  status: Status;
  /** Why the run failed or is inconclusive, one line each. */
  reasons: string[];
  /** Load window, epoch seconds. */
  startedAt: number;
  endedAt: number;
  scale: number;
  timeScale: number;
  slos: SloResult[];
  traffic: TrafficRow[];
  crossCheck: CrossCheck;
  triggers: TriggerResult[];
  /** Breakpoint runs: where an SLO broke and the headroom against the capacity plan. */
  breakpoint?: BreakpointResult;
  /** Was the run interrupted or did a tool crash? Then status is never `pass`. */
  interrupted: boolean;
  k6ExitCode: number | null;
  /** The run's Grafana dashboard (time range and testid set), when the harness provisioned one. */
  dashboardUrl?: string;
  /** Faults injected into the autoscaler on purpose (`--fault`); empty for a clean run. */
  faults?: AnyFault[];
  /** The harness side's health over the load (k6, the machine, the stack's event loop, scrapes). */
  health?: HarnessHealth;
}

/** Combines statuses: one fail fails the whole, else one inconclusive makes it inconclusive, else pass. */
export function combine(statuses: Status[]): Status {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}
