/**
 * The resolved plan: everything a run needs, computed once on the Node side and written to
 * reports/runs/<runId>/plan.json. k6 scenarios read it and never re-derive it.
 */
import type { Expectation, Signal, Slo, TriggerAction } from './schema.ts';
import type { AnyFault } from '../stack/faults.ts';

export interface PlanStage {
  /** Wall-clock stage length (already divided by the time scale), seconds. */
  durationSeconds: number;
  /** Iterations/s to reach by the end of the stage (already multiplied by the scale). */
  target: number;
}

/** One k6 scenario: a journey for a cohort, open model (ramping-arrival-rate). */
export interface PlanScenario {
  /** k6 scenario name: `<journey>_<cohort>` with dashes as underscores. */
  name: string;
  journey: string;
  service: string;
  cohort: string;
  /** Base URL this cohort uses (the gateway, or its Toxiproxy listener). */
  baseUrl: string;
  saveData: boolean;
  /** Byte budget per response for this cohort, checked in k6. */
  maxResponseBytes?: number;
  requestsPerIteration: number;
  /** The journey's routes, `METHOD /path`, in the order one iteration calls them. */
  routes?: string[];
  /**
   * k6's timeUnit, s. k6 takes whole iterations per timeUnit, so low rates use a longer unit;
   * `startRate` and stage targets are iterations/s rounded to multiples of 1/timeUnitSeconds.
   */
  timeUnitSeconds: number;
  startRate: number;
  stages: PlanStage[];
  preAllocatedVUs: number;
  maxVUs: number;
}

export interface PlanTrigger {
  id: string;
  service: string;
  signal: Signal;
  route?: string;
  percentile: number;
  queue?: string;
  op: '>' | '<';
  /**
   * Threshold as judged in this run. Queue depths are message counts, which grow S times as
   * fast at scale S, so queue thresholds are multiplied by the scale; others are unchanged.
   */
  threshold: number;
  /** The plan's own threshold (scale 1). */
  planThreshold?: number;
  /** Condition hold time at time scale 1, seconds. */
  forSeconds: number;
  /** Condition hold time on the wall clock (forSeconds / timeScale), seconds. */
  forWallSeconds: number;
  action: TriggerAction;
  minReplicas: number;
  maxReplicas: number;
  expect: Expectation;
  source: string;
}

export interface Plan {
  runId: string;
  profile: string;
  profileFile: string;
  description: string;
  /** Name of the stack module. */
  stack: string;
  /** How a process loads the stack module: the module's absolute path. @default `stack` (a built-in) */
  stackRef?: string;
  createdAt: string;
  scale: number;
  timeScale: number;
  quick: boolean;
  /** Total wall-clock length of the load, seconds. */
  durationSeconds: number;
  /** Gateway base URL (direct). */
  targetUrl: string;
  /** Peak gateway rate, req/s, after scaling. */
  peakRate: number;
  scenarios: PlanScenario[];
  slos: Slo[];
  /** Sliding window for worst-window judgement, wall-clock seconds. */
  sloWindowSeconds: number;
  triggers: PlanTrigger[];
  /** Breakpoint settings, for profiles that ramp until an SLO breaks. */
  breakpoint?: { stopOn: string[]; breakWindows: number; requiredRate: number };
  /** Free-form inputs shown in reports (capacity plan, holiday, presets). */
  inputs: Record<string, unknown>;
  /** Faults injected into the embedded autoscaler on purpose (`--fault`). */
  faults?: AnyFault[];
  /** Metric mapping (profiles/targets.ts) and namespace the verdict and report read. */
  mapping?: { name: string; namespace: string };
}
