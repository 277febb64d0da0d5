/**
 * Kubernetes autoscaling manifests for a stack's scaling triggers, matching what the harness
 * validates:
 * - `hpa` triggers (ReLoop) become one autoscaling/v2 HorizontalPodAutoscaler per deployment
 *   with a Resource Utilization target per signal (cpu, memory) and min/max replicas;
 * - step triggers ("add N instances when X for T", Meqenet) become one KEDA ScaledObject per
 *   deployment with a `prometheus` trigger per condition (the controller's own signal query,
 *   the trigger's threshold) and an HPA scale-up behaviour: a `Pods` policy of N pods per
 *   period and a stabilization window standing in for the `for` window;
 * - alert-only triggers (the database) get no manifest: their alerting rule is the whole answer.
 *
 * Why a stabilization window is only an approximation of `for`: HPA behaviour has no "hold
 * for T" clause. With `scaleUp.stabilizationWindowSeconds: T` the HPA acts on the lowest
 * recommendation of the last T seconds, so it scales up only once the demand stayed high for
 * T, which is close to `for: T`, but it is evaluated at sync ticks on the metric as polled,
 * and one window serves all triggers of a deployment. The alerting rules (rules.ts) carry
 * the exact `for`. Likewise the step: the HPA's proportional algorithm wants
 * ceil(current × value / threshold) replicas and the Pods policy caps that at N per period,
 * so a small overshoot adds fewer than N. Every such gap is written into the YAML as a comment.
 */
import { Document } from 'yaml';
import { InputError } from '../errors.ts';
import { actionText, scaledDeployment, signalExpr } from '../controller/triggers.ts';
import type { Trigger } from '../plan/schema.ts';
import type { PlanTrigger } from '../plan/types.ts';
import type { TargetMapping } from '../../profiles/targets.ts';
import { DEFAULT_NAMESPACE, DEFAULT_WINDOW_SECONDS, asPlanTrigger, checkDnsLabel, conditionSummary, promDuration, stackOf, type ExportOptions } from './triggers.ts';

export { k6ArchiveConfigMap, k6OperatorTestRun, CONFIGMAP_MAX_BYTES } from './k6-operator.ts';

export interface ManifestOptions extends ExportOptions {
  /**
   * Prometheus base URL as KEDA's operator reaches it. The default is a placeholder for the
   * usual in-cluster service; set it to your Prometheus.
   * @default DEFAULT_SERVER_ADDRESS
   */
  serverAddress?: string;
}

export const DEFAULT_SERVER_ADDRESS = 'http://prometheus-operated.monitoring.svc:9090';

/** HPA API limits (k8s.io/api autoscaling/v2 validation). */
export const HPA_MAX_STABILIZATION_SECONDS = 3600;
export const HPA_MAX_POLICY_PERIOD_SECONDS = 1800;
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'scale-harness' };

function byDeployment(rows: PlanTrigger[]): Map<string, PlanTrigger[]> {
  const out = new Map<string, PlanTrigger[]>();
  for (const t of rows) {
    if (t.action.type === 'alert') continue;
    const dep = scaledDeployment(t);
    out.set(dep, [...(out.get(dep) ?? []), t]);
  }
  return out;
}

function rowText(t: PlanTrigger): string {
  return `${t.id}: ${conditionSummary(t)} -> ${actionText(t)}`;
}

function metadata(name: string, namespace: string, stack: string | null): Record<string, unknown> {
  return { name, namespace, labels: { ...MANAGED_BY, ...(stack ? { 'scale-harness/stack': stack } : {}) } };
}

function hpa(dep: string, ts: PlanTrigger[], namespace: string, stack: string | null): Document {
  const metrics = ts.map((t) => {
    if (t.signal !== 'cpu' && t.signal !== 'memory') {
      throw new InputError(`trigger ${t.id}: action hpa works on cpu or memory utilization only (got signal ${JSON.stringify(t.signal)})`);
    }
    return { type: 'Resource', resource: { name: t.signal, target: { type: 'Utilization', averageUtilization: t.threshold } } };
  });
  const forSeconds = Math.min(...ts.map((t) => t.forSeconds));
  const spec: Record<string, unknown> = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: dep },
    minReplicas: Math.min(...ts.map((t) => t.minReplicas)),
    maxReplicas: Math.max(...ts.map((t) => t.maxReplicas)),
    metrics,
  };
  if (forSeconds > 0) spec.behavior = { scaleUp: { stabilizationWindowSeconds: Math.min(HPA_MAX_STABILIZATION_SECONDS, Math.round(forSeconds)) } };
  const doc = new Document({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: metadata(`${stack ? `${stack}-` : ''}${dep}-hpa`, namespace, stack), spec });
  doc.commentBefore = [
    ` HorizontalPodAutoscaler for deployment ${dep} (scale-harness, src/export/manifests.ts). Do not edit.`,
    ...ts.map((t) => `   ${rowText(t)}`),
    ...ts.map((t) => `   source: ${t.source}`),
  ].join('\n');
  return doc;
}

function scaledObject(dep: string, ts: PlanTrigger[], mapping: TargetMapping, namespace: string, stack: string | null, o: ManifestOptions): Document {
  const step = Math.max(...ts.map((t) => (t.action.type === 'add-instances' || t.action.type === 'add-workers' ? t.action.count : 1)));
  const shortest = ts.reduce((a, b) => (b.forSeconds < a.forSeconds ? b : a));
  const stabilization = Math.min(HPA_MAX_STABILIZATION_SECONDS, Math.round(shortest.forSeconds));
  // One step per `for` window (the plan re-arms a trigger after it acts), at least one HPA sync.
  const period = Math.min(HPA_MAX_POLICY_PERIOD_SECONDS, Math.max(mapping.syncPeriodSeconds, stabilization));
  const window = o.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const triggers = ts.map((t) => ({
    type: 'prometheus',
    name: t.id,
    // Value, not AverageValue: the query is already the deployment-wide signal, not a per-pod share.
    metricType: 'Value',
    metadata: {
      serverAddress: o.serverAddress ?? DEFAULT_SERVER_ADDRESS,
      query: signalExpr(t, mapping, window, namespace),
      threshold: String(t.threshold),
    },
  }));
  const spec = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: dep },
    pollingInterval: mapping.syncPeriodSeconds,
    minReplicaCount: Math.min(...ts.map((t) => t.minReplicas)),
    maxReplicaCount: Math.max(...ts.map((t) => t.maxReplicas)),
    advanced: {
      horizontalPodAutoscalerConfig: {
        behavior: {
          scaleUp: { stabilizationWindowSeconds: stabilization, selectPolicy: 'Max', policies: [{ type: 'Pods', value: step, periodSeconds: period }] },
        },
      },
    },
    triggers,
  };
  const gaps: string[] = [];
  for (const t of ts) {
    if (Math.round(t.forSeconds) !== stabilization) {
      gaps.push(`   ${t.id}: for ${promDuration(t.forSeconds)} is not expressible here; the window is ${promDuration(stabilization)} (from ${shortest.id}); its alerting rule has the exact for`);
    }
    const n = t.action.type === 'add-instances' || t.action.type === 'add-workers' ? t.action.count : step;
    if (n !== step) gaps.push(`   ${t.id}: promises ${n} pods per step; the policy allows up to ${step} (the largest step of ${dep})`);
  }
  const doc = new Document({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: metadata(`${stack ? `${stack}-` : ''}${dep}`, namespace, stack), spec });
  doc.commentBefore = [
    ` KEDA ScaledObject for deployment ${dep} (scale-harness, src/export/manifests.ts). Do not edit.`,
    ' Triggers (profiles/stacks/):',
    ...ts.map((t) => `   ${rowText(t)}`),
    ' How "add N when X for T" maps onto the HPA that KEDA creates:',
    `   - one prometheus trigger per condition, metricType Value: the HPA wants ceil(replicas x value / threshold),`,
    `     so it scales up once a signal is over its threshold, and may add fewer than ${step} when the overshoot is small;`,
    `   - the step is a Pods policy: at most ${step} pods per ${period} s;`,
    '   - HPA behaviour cannot express a pure "for" window: it is approximated by scaleUp.stabilizationWindowSeconds',
    '     (the HPA acts on the lowest recommendation of that window); the alerting rule carries the exact for.',
    ...(gaps.length > 0 ? [' Approximations on this deployment:', ...gaps] : []),
    ` serverAddress is a placeholder for your Prometheus (${o.serverAddress ?? DEFAULT_SERVER_ADDRESS}).`,
  ].join('\n');
  return doc;
}

/**
 * Multi-document YAML: an HPA per `hpa` deployment, a KEDA ScaledObject per step-scaled
 * deployment, nothing for alert-only triggers. Throws InputError when one deployment mixes
 * both kinds (two autoscalers on one deployment fight each other).
 */
export function autoscalingManifests(triggers: Trigger[] | PlanTrigger[], mapping: TargetMapping, opts: ManifestOptions = {}): string {
  const rows = (triggers as Array<Trigger | PlanTrigger>).map(asPlanTrigger);
  const namespace = checkDnsLabel('namespace', opts.namespace ?? DEFAULT_NAMESPACE);
  const stack = opts.stack ?? stackOf(rows);
  const docs: Document[] = [];
  for (const [dep, ts] of byDeployment(rows)) {
    checkDnsLabel(`deployment of trigger ${ts[0]!.id}`, dep);
    const kinds = new Set(ts.map((t) => (t.action.type === 'hpa' ? 'hpa' : 'step')));
    if (kinds.size > 1) {
      throw new InputError(`deployment ${dep}: triggers ${ts.map((t) => t.id).join(', ')} mix hpa and step actions; one deployment takes one autoscaler`);
    }
    docs.push(kinds.has('hpa') ? hpa(dep, ts, namespace, stack) : scaledObject(dep, ts, mapping, namespace, stack, opts));
  }
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('---\n');
}
