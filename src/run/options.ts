/** What a run is asked to do: the profile and the flags of `run`. */
import type { Verdict } from '../controller/types.ts';
import type { PrometheusClient } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';

export interface RunOptions {
  profile: string;
  /** Scenario file in scenarios/ (default: the profile's name). */
  scenario?: string;
  scale?: number;
  timeScale?: number;
  durationSeconds?: number;
  quick?: boolean;
  /** A real stack instead of the embedded one. */
  target?: string;
  /** Prometheus that already scrapes the target (with the remote-write receiver on). */
  prometheus?: string;
  allowHosts?: string[];
  parallel?: number;
  faults?: string[];
  autoscale?: boolean;
  /** Extra inputs recorded in the plan (capacity plan, holiday). */
  inputs?: Record<string, unknown>;
  /** Metric mapping of the target (profiles/targets.ts): `embedded` for the embedded stack, else the stack module's `targetMapping`. */
  mapping?: string;
  /** Kubernetes namespace of the target's deployments. @default 'default' */
  namespace?: string;
  /** Namespace of the queue exporter when not the target's (e.g. a Kafka exporter in `kafka`). */
  queueNamespace?: string;
  /** Runs this holiday's evening (overrides the profile's own `holiday`). */
  holiday?: { name: string; year: number };
  /** Replaces the profile's stages (holiday shapes, breakpoint ramps). */
  stagesOverride?: { startRate: number; stages: Array<{ duration: number; target: number }> };
  runsDir?: string;
  /** Every line k6 prints, progress included even without a terminal (bench/ times k6 by it). */
  onK6Line?: (line: string) => void;
  /** Grafana to annotate (with `grafanaToken`). */
  grafanaUrl?: string;
  grafanaToken?: string;
  /** A long-lived Prometheus remote-write URL that keeps result series across runs. */
  resultsUrl?: string;
  /** Prometheus and Grafana as containers: true (`--containers`), false, or undefined (where an engine answers). */
  containers?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /**
   * Called after the verdict and reports are written, while Prometheus still holds the run's
   * data (e.g. to execute every dashboard panel's query against it).
   */
  afterRun?: (ctx: { source: PrometheusClient; plan: Plan; verdict: Verdict; runDir: string }) => Promise<void>;
  /** Called with the plan once all input is checked, before anything starts (may throw). */
  onPrepared?: (plan: Plan) => void | Promise<void>;
}

/** A finished run: its plan, its final verdict and the files in its folder. */
export interface RunOutcome {
  plan: Plan;
  verdict: Verdict;
  runDir: string;
  files: string[];
}
