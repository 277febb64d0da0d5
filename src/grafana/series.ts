/**
 * The one place that names Prometheus series: those the harness writes (results of a run,
 * remote-written by `pushResults` at the end of a run) and those the dashboards read (k6
 * remote write, the embedded stack / kube-state-metrics).
 */

/** Tag on every annotation the harness writes; the dashboards show annotations with it. */
export const ANNOTATION_TAG = 'scale-harness';

/** Labels on every result series: which run, which profile, against what. */
export const RUN_LABELS = ['run_id', 'profile', 'target'] as const;

export interface ResultSeriesDef {
  name: string;
  help: string;
  /** Labels besides RUN_LABELS (the target-rate series uses `testid` instead, see below). */
  labels: readonly string[];
  /** Unit of the sample value. */
  unit: string;
}

/**
 * Result series, all timestamped at the run's end (`verdict.endedAt`) except
 * `scale_harness_target_rate`, which spans the load window.
 */
export const RESULT_SERIES = {
  runStatus: {
    name: 'scale_harness_run_status',
    help: 'Always 1; the run verdict is the `status` label (pass, fail, inconclusive).',
    labels: ['stack', 'status'],
    unit: 'one',
  },
  runDuration: {
    name: 'scale_harness_run_duration_seconds',
    help: 'Length of the load window (endedAt - startedAt).',
    labels: [],
    unit: 's',
  },
  sloPass: {
    name: 'scale_harness_slo_pass',
    help: '1 when the SLO passed, 0 when it failed or was inconclusive (see the `status` label).',
    labels: ['slo', 'objective', 'status'],
    unit: 'bool',
  },
  sloObserved: {
    name: 'scale_harness_slo_observed',
    help: 'Whole-run observed value of the SLO, in `unit` (ms or ratio); absent when there was no data.',
    labels: ['slo', 'unit'],
    unit: 'label',
  },
  sloWorstWindow: {
    name: 'scale_harness_slo_worst_window',
    help: 'Worst sliding-window value of the SLO, in `unit`; absent when undefined.',
    labels: ['slo', 'unit'],
    unit: 'label',
  },
  sloThreshold: {
    name: 'scale_harness_slo_threshold',
    help: 'The SLO bound, in `unit`.',
    labels: ['slo', 'unit'],
    unit: 'label',
  },
  triggerOutcome: {
    name: 'scale_harness_trigger_outcome',
    help: 'Always 1; the trigger outcome (fired-and-scaled, ...) and status are labels.',
    labels: ['trigger', 'service', 'outcome', 'status'],
    unit: 'one',
  },
  triggerLag: {
    name: 'scale_harness_trigger_lag_seconds',
    help: 'Wall-clock seconds from trigger fire to the first scale-up; absent when it did not both fire and scale.',
    labels: ['trigger'],
    unit: 's',
  },
  triggerGrace: {
    name: 'scale_harness_trigger_grace_seconds',
    help: 'Allowed lag between fire and scale, wall-clock seconds.',
    labels: ['trigger'],
    unit: 's',
  },
  targetRate: {
    name: 'scale_harness_target_rate',
    help:
      'Planned iterations/s per k6 scenario over the load window. Labelled `testid` (not run_id) so ' +
      'that it joins k6 series directly.',
    labels: ['testid', 'profile', 'scenario', 'journey', 'cohort', 'service'],
    unit: 'iterations/s',
  },
} as const satisfies Record<string, ResultSeriesDef>;

/** k6 `experimental-prometheus-rw` series (label `testid`, tags journey/service/cohort/scenario). */
export const K6 = {
  httpReqs: 'k6_http_reqs_total',
  httpReqFailed: 'k6_http_req_failed_rate',
  iterations: 'k6_iterations_total',
  droppedIterations: 'k6_dropped_iterations_total',
  vus: 'k6_vus',
  /** Native histogram, seconds. */
  httpReqDuration: 'k6_http_req_duration_seconds',
} as const;

/** Series the embedded stack exports (named so Kubernetes queries carry over). */
export const STACK = {
  httpRequests: 'stack_http_requests_total',
  httpDurationBucket: 'stack_http_request_duration_seconds_bucket',
  cpuSeconds: 'stack_cpu_seconds_total',
  cpuCores: 'stack_cpu_cores',
  memoryBytes: 'stack_memory_bytes',
  memoryLimitBytes: 'stack_memory_limit_bytes',
  specReplicas: 'kube_deployment_spec_replicas',
  statusReplicas: 'kube_deployment_status_replicas',
  availableReplicas: 'kube_deployment_status_replicas_available',
  queueDepth: 'stack_queue_depth',
  autoscalerActions: 'stack_autoscaler_actions_total',
} as const;
