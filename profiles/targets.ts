/**
 * How each trigger signal and the replica count are read from Prometheus, per kind of target.
 * Placeholders: $deployment, $service, $route (e.g. `POST /auth/login`), $method and $path (its
 * two halves, `POST` and `/auth/login`), $queue, $namespace, $queueNamespace (the queue
 * exporter's namespace, `--queue-namespace`, else $namespace), $window (a PromQL duration)
 * and $quantile (0..1). The same trigger rows are judged on the embedded stack and on a real
 * cluster; only this mapping differs.
 */
import { InputError } from '../src/errors.ts';

export interface TargetMapping {
  name: string;
  description: string;
  /** Desired replicas of a deployment (what the autoscaler decided). */
  desiredReplicas: string;
  /** Replicas ready and serving. */
  availableReplicas: string;
  /**
   * The autoscaler's own record: replicas one trigger ($trigger) added or removed ($direction
   * `up` or `down`), a counter. Absent where the autoscaler keeps none (then scale-ups are
   * attributed by step and timing).
   */
  scalingRecord?: string;
  signals: {
    /** CPU utilization, % of the CPU the replicas have. */
    cpu: string;
    /** Memory utilization, %. */
    memory: string;
    /** Latency percentile of a route, ms. */
    latency: string;
    /** Latency percentile of all of a service's routes, ms. */
    latencyAll: string;
    /** Messages pending in a queue or consumer-group lag. */
    queue: string;
  };
  /** Namespace of the queue exporter's series when not the target's (set by `--queue-namespace`). */
  queueNamespace?: string;
  /** The autoscaler's sync period at time scale 1, s (HPA default 15 s; KEDA polls every 30 s). */
  syncPeriodSeconds: number;
  /**
   * The window over which the autoscaler itself averages its signals, at time scale 1, s. Where
   * it differs from the harness's query window, the two see a change at different times (a
   * moving average lags by half its window), and the grace allows for that difference. Unset:
   * taken to be the harness's own window.
   */
  evaluationWindowSeconds?: number;
  /** New replicas' start-up delay at time scale 1, s. */
  startupSeconds: number;
  /** Time after a scale-up before the same trigger acts again, at time scale 1, s (HPA: none). @default 0 */
  cooldownSeconds?: number;
  /** The report's server-side series; without them those report rows have no data. */
  report?: ReportSeriesMapping;
}

/**
 * Server-side series of the report, one series per value of the label named in each key
 * (placeholders $window and $namespace only).
 */
export interface ReportSeriesMapping {
  /** p95 latency per `service`, ms. */
  serverP95ByService: string;
  /** CPU utilization per `deployment`, %. */
  cpuByDeployment: string;
  /** Messages pending per `queue`. */
  queueByQueue: string;
  /** Desired and ready replicas per `deployment`. */
  specReplicasByDeployment: string;
  availableReplicasByDeployment: string;
}

/** Pod name `<deployment>-<replicaset hash>-<pod hash>` to a `deployment` label. */
const POD_TO_DEPLOYMENT = '"deployment", "$1", "pod", "(.+)-[a-z0-9]+-[a-z0-9]+"';

export const EMBEDDED: TargetMapping = {
  name: 'embedded',
  description: 'the embedded reference stack (src/stack), metrics named like kube-state-metrics',
  desiredReplicas: 'max(kube_deployment_spec_replicas{deployment="$deployment"})',
  availableReplicas: 'max(kube_deployment_status_replicas_available{deployment="$deployment"})',
  scalingRecord: 'max(stack_autoscaler_replicas_total{deployment="$deployment",trigger="$trigger",direction="$direction"})',
  signals: {
    cpu: '100 * sum(rate(stack_cpu_seconds_total{deployment="$deployment"}[$window])) / sum(stack_cpu_cores{deployment="$deployment"})',
    memory: '100 * sum(stack_memory_bytes{deployment="$deployment"}) / sum(stack_memory_limit_bytes{deployment="$deployment"})',
    latency:
      'histogram_quantile($quantile, sum by (le) (rate(stack_http_request_duration_seconds_bucket{service="$service",route="$route"}[$window]))) * 1000',
    latencyAll: 'histogram_quantile($quantile, sum by (le) (rate(stack_http_request_duration_seconds_bucket{service="$service"}[$window]))) * 1000',
    // The autoscaler reads the depth at each sync; the highest depth in the window catches the
    // peaks a scrape between two syncs would miss.
    queue: 'max(max_over_time(stack_queue_depth{queue="$queue"}[$window]))',
  },
  syncPeriodSeconds: 15,
  // src/stack/spec.ts: timing.windowSeconds.
  evaluationWindowSeconds: 60,
  startupSeconds: 30,
  cooldownSeconds: 180,
  report: {
    serverP95ByService: 'histogram_quantile(0.95, sum by (service, le) (rate(stack_http_request_duration_seconds_bucket[$window]))) * 1000',
    cpuByDeployment: '100 * sum by (deployment) (rate(stack_cpu_seconds_total[$window])) / sum by (deployment) (stack_cpu_cores)',
    queueByQueue: 'sum by (queue) (stack_queue_depth)',
    specReplicasByDeployment: 'sum by (deployment) (kube_deployment_spec_replicas)',
    availableReplicasByDeployment: 'sum by (deployment) (kube_deployment_status_replicas_available)',
  },
};

/**
 * The pods of workload $deployment in $namespace, one series (value 1) per pod labelled
 * namespace and pod, as kube-state-metrics records their owners: a Deployment's pods through
 * their ReplicaSet (kube_pod_owner -> kube_replicaset_owner), a StatefulSet's pods directly.
 * Owner references, not a name prefix: `rewards` must not take `rewards-worker-*` pods.
 */
const PODS =
  'max by (namespace, pod) (kube_pod_owner{namespace="$namespace",owner_kind="ReplicaSet"} * on (namespace, owner_name) group_left () ' +
  'max by (namespace, owner_name) (label_replace(kube_replicaset_owner{namespace="$namespace",owner_kind="Deployment",owner_name="$deployment"}, "owner_name", "$1", "replicaset", "(.+)")) ' +
  'or kube_pod_owner{namespace="$namespace",owner_kind="StatefulSet",owner_name="$deployment"})';

/** `sum` of a per-pod (or per-container) vector over the workload's pods only. */
const overPods = (vector: string) => `sum(${vector} * on (namespace, pod) group_left () ${PODS})`;
const CONTAINERS = 'namespace="$namespace",container!="",container!="POD"';

/**
 * A Kubernetes cluster: kube-state-metrics for replicas, owners and resource requests, cAdvisor
 * for container CPU and memory (utilization relative to requests, as the HPA computes it), the
 * application's own request histogram for latency, and a Kafka exporter's consumer-group lag
 * (in its own namespace with `--queue-namespace`) or any `queue`-labelled gauge for queues.
 * A service is a Deployment or, where none has its name, a StatefulSet (a database).
 */
export const KUBERNETES: TargetMapping = {
  name: 'kubernetes',
  description: 'Kubernetes with kube-state-metrics, cAdvisor and the services\' own request histograms',
  desiredReplicas:
    'max(kube_deployment_spec_replicas{namespace="$namespace",deployment="$deployment"}) or max(kube_statefulset_replicas{namespace="$namespace",statefulset="$deployment"})',
  availableReplicas:
    'max(kube_deployment_status_replicas_available{namespace="$namespace",deployment="$deployment"}) or max(kube_statefulset_status_replicas_ready{namespace="$namespace",statefulset="$deployment"})',
  signals: {
    cpu: `100 * ${overPods(`rate(container_cpu_usage_seconds_total{${CONTAINERS}}[$window])`)} / ${overPods('kube_pod_container_resource_requests{namespace="$namespace",resource="cpu"}')}`,
    memory: `100 * ${overPods(`container_memory_working_set_bytes{${CONTAINERS}}`)} / ${overPods('kube_pod_container_resource_requests{namespace="$namespace",resource="memory"}')}`,
    latency:
      'histogram_quantile($quantile, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="$namespace",service="$service",route="$route"}[$window]))) * 1000',
    latencyAll:
      'histogram_quantile($quantile, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="$namespace",service="$service"}[$window]))) * 1000',
    queue:
      'max(max_over_time(kafka_consumergroup_lag_sum{namespace="$queueNamespace",topic="$queue"}[$window])) or max(max_over_time(queue_messages_pending{namespace="$namespace",queue="$queue"}[$window]))',
  },
  syncPeriodSeconds: 15,
  startupSeconds: 30,
  report: {
    serverP95ByService:
      'histogram_quantile(0.95, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{namespace="$namespace"}[$window]))) * 1000',
    cpuByDeployment:
      `100 * sum by (deployment) (label_replace(rate(container_cpu_usage_seconds_total{namespace="$namespace",container!="",container!="POD"}[$window]), ${POD_TO_DEPLOYMENT}))` +
      ` / sum by (deployment) (label_replace(kube_pod_container_resource_requests{namespace="$namespace",resource="cpu"}, ${POD_TO_DEPLOYMENT}))`,
    queueByQueue:
      'sum by (queue) (label_replace(kafka_consumergroup_lag_sum{namespace="$namespace"}, "queue", "$1", "topic", "(.+)")) or sum by (queue) (queue_messages_pending{namespace="$namespace"})',
    specReplicasByDeployment: 'sum by (deployment) (kube_deployment_spec_replicas{namespace="$namespace"})',
    availableReplicasByDeployment: 'sum by (deployment) (kube_deployment_status_replicas_available{namespace="$namespace"})',
  },
};

/**
 * Kubernetes whose services are instrumented with OpenTelemetry: latency from the stable HTTP
 * semantic conventions' `http.server.request.duration` histogram (seconds) as the Collector's
 * Prometheus exporter writes it, `http_server_request_duration_seconds_bucket` labelled
 * `http_request_method` and `http_route`, `job` = `<service.namespace>/<service.name>` or
 * `<service.name>`, and the pod's namespace as `k8s_namespace_name` (k8sattributes processor,
 * resource attributes promoted to labels). Replicas, CPU, memory and queues as KUBERNETES.
 */
export const OTEL: TargetMapping = {
  ...KUBERNETES,
  name: 'otel',
  description: 'Kubernetes with OpenTelemetry HTTP server metrics (http_route, http_request_method) and kube-state-metrics',
  signals: {
    ...KUBERNETES.signals,
    latency:
      'histogram_quantile($quantile, sum by (le) (rate(http_server_request_duration_seconds_bucket{k8s_namespace_name="$namespace",job=~"(.+/)?$service",http_request_method="$method",http_route="$path"}[$window]))) * 1000',
    latencyAll:
      'histogram_quantile($quantile, sum by (le) (rate(http_server_request_duration_seconds_bucket{k8s_namespace_name="$namespace",job=~"(.+/)?$service"}[$window]))) * 1000',
  },
  report: {
    ...KUBERNETES.report!,
    // The service is the last part of `job` (`<service.namespace>/<service.name>`).
    serverP95ByService:
      'histogram_quantile(0.95, sum by (service, le) (label_replace(rate(http_server_request_duration_seconds_bucket{k8s_namespace_name="$namespace"}[$window]), "service", "$1", "job", "(?:.+/)?([^/]+)"))) * 1000',
  },
};

export const TARGET_MAPPINGS: Record<string, TargetMapping> = { embedded: EMBEDDED, kubernetes: KUBERNETES, otel: OTEL };

/** The mapping called `name` (`--mapping`), its queue exporter in `queueNamespace` when given (`--queue-namespace`). */
export function resolveMapping(name: string, queueNamespace?: string): TargetMapping {
  const m = Object.hasOwn(TARGET_MAPPINGS, name) ? TARGET_MAPPINGS[name] : undefined;
  if (!m) throw new InputError(`--mapping: unknown target mapping ${JSON.stringify(name)}; known: ${Object.keys(TARGET_MAPPINGS).join(', ')}`);
  if (queueNamespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(queueNamespace)) {
    throw new InputError(`--queue-namespace: must be a Kubernetes namespace name (got ${JSON.stringify(queueNamespace)})`);
  }
  return queueNamespace === undefined ? m : { ...m, queueNamespace };
}
