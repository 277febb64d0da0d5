import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { signalExpr } from '../../src/controller/triggers.ts';
import { InputError } from '../../src/errors.ts';
import { checkManifests } from '../../src/export/check.ts';
import { DEFAULT_SERVER_ADDRESS, autoscalingManifests } from '../../src/export/manifests.ts';
import { asPlanTrigger } from '../../src/export/triggers.ts';
import { stackTriggers } from '../../src/plan/resolve.ts';
import { KUBERNETES } from '../../profiles/targets.ts';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & {
    scaleTargetRef: { kind: string; name: string };
  };
}

interface ScaledObjectSpec {
  minReplicaCount: number;
  maxReplicaCount: number;
  pollingInterval: number;
  advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { stabilizationWindowSeconds: number; policies: Array<{ type: string; value: number; periodSeconds: number }> } } } };
  triggers: Array<{ type: string; name: string; metricType: string; metadata: { serverAddress: string; query: string; threshold: string } }>;
}

function docs(text: string): Doc[] {
  const all = parseAllDocuments(text);
  expect(Array.isArray(all)).toBe(true);
  for (const d of all) expect(d.errors).toEqual([]);
  return all.map((d) => d.toJS() as Doc);
}

describe('autoscalingManifests: Meqenet step triggers as KEDA ScaledObjects', () => {
  const text = autoscalingManifests(stackTriggers('meqenet'), KUBERNETES, { namespace: 'prod' });
  const all = docs(text);
  const byDeployment = new Map(all.map((d) => [d.spec.scaleTargetRef.name, d]));
  const spec = (dep: string) => byDeployment.get(dep)!.spec as unknown as ScaledObjectSpec;

  it('has one ScaledObject per scaled deployment and none for the alert-only database', () => {
    expect(all.map((d) => [d.apiVersion, d.kind, d.metadata.name, d.metadata.namespace])).toEqual([
      ['keda.sh/v1alpha1', 'ScaledObject', 'meqenet-auth', 'prod'],
      ['keda.sh/v1alpha1', 'ScaledObject', 'meqenet-payments', 'prod'],
      ['keda.sh/v1alpha1', 'ScaledObject', 'meqenet-marketplace', 'prod'],
      ['keda.sh/v1alpha1', 'ScaledObject', 'meqenet-rewards-worker', 'prod'],
    ]);
    expect(all.every((d) => d.spec.scaleTargetRef.kind === 'Deployment')).toBe(true);
    expect(text).not.toContain('database');
    expect(checkManifests(text)).toEqual([]);
  });

  it('has a prometheus trigger per condition: the controller\'s signal query and the plan threshold', () => {
    const triggers = stackTriggers('meqenet').map(asPlanTrigger);
    for (const t of triggers.filter((x) => x.action.type !== 'alert')) {
      const dep = t.action.type === 'add-workers' ? t.action.deployment : t.service;
      const k = spec(dep).triggers.find((x) => x.name === t.id);
      expect(k, t.id).toMatchObject({
        type: 'prometheus',
        metricType: 'Value',
        metadata: { serverAddress: DEFAULT_SERVER_ADDRESS, query: signalExpr(t, KUBERNETES, 60, 'prod'), threshold: String(t.threshold) },
      });
    }
    expect(spec('auth').triggers.map((t) => t.name)).toEqual(['auth-cpu', 'auth-latency']);
    expect(spec('auth').triggers[0]!.metadata.query).toContain('container_cpu_usage_seconds_total');
    expect(spec('rewards-worker').triggers[0]!.metadata.query).toContain('kafka_consumergroup_lag_sum{namespace="prod",topic="transaction.completed"}');
  });

  it('caps scale-up at the promised step and approximates the for window by stabilization', () => {
    const up = (dep: string) => spec(dep).advanced.horizontalPodAutoscalerConfig.behavior.scaleUp;
    expect(up('auth')).toEqual({ stabilizationWindowSeconds: 180, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 180 }] });
    expect(up('marketplace')).toEqual({ stabilizationWindowSeconds: 180, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 3, periodSeconds: 180 }] });
    expect(up('payments').policies).toEqual([{ type: 'Pods', value: 3, periodSeconds: 15 }]);
    expect(up('payments').stabilizationWindowSeconds).toBe(0);
    expect(up('rewards-worker').policies).toEqual([{ type: 'Pods', value: 2, periodSeconds: 15 }]);
    for (const dep of ['auth', 'payments', 'marketplace', 'rewards-worker']) {
      expect([spec(dep).minReplicaCount, spec(dep).maxReplicaCount, spec(dep).pollingInterval]).toEqual([2, 10, 15]);
    }
  });

  it('says in comments what the HPA cannot express, per deployment', () => {
    expect(text).toContain('HPA behaviour cannot express a pure "for" window');
    expect(text).toContain('auth-cpu: for 5m is not expressible here; the window is 3m (from auth-latency)');
    expect(text).toContain('payments-credit-latency: promises 2 pods per step; the policy allows up to 3');
  });
});

describe('autoscalingManifests: ReLoop HPA', () => {
  it('is one autoscaling/v2 HPA with the cpu and memory Utilization targets and 2..10 replicas', () => {
    const text = autoscalingManifests(stackTriggers('reloop'), KUBERNETES, {});
    const [hpa, ...rest] = docs(text);
    expect(rest).toEqual([]);
    expect(hpa).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'reloop-backend-hpa', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'scale-harness', 'scale-harness/stack': 'reloop' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
      },
    });
    expect(checkManifests(text)).toEqual([]);
  });

  it('refuses an hpa trigger on a signal HPA Resource metrics do not have, and a deployment with two kinds of autoscaler', () => {
    const [cpu] = stackTriggers('reloop');
    expect(() => autoscalingManifests([{ ...cpu!, id: 'lat', signal: 'latency' }], KUBERNETES)).toThrow(/trigger lat: action hpa works on cpu or memory/);
    const step = { ...cpu!, id: 'step', action: { type: 'add-instances' as const, count: 2 } };
    const err = (() => {
      try {
        autoscalingManifests([cpu!, step], KUBERNETES);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('deployment backend: triggers backend-cpu, step mix hpa and step actions; one deployment takes one autoscaler');
  });
});

describe('checkManifests', () => {
  it('reports YAML errors and API limits, naming the document and key', () => {
    const good = autoscalingManifests(stackTriggers('meqenet'), KUBERNETES, {});
    expect(checkManifests('a: [1\n')).toEqual([expect.stringMatching(/^document 1: /)]);
    expect(checkManifests(good.replace('maxReplicaCount: 10', 'maxReplicaCount: 1'))).toEqual([
      'document 1 (ScaledObject meqenet-auth): spec.maxReplicaCount: must be at least minReplicaCount',
    ]);
    expect(checkManifests(good.replace('threshold: "70"', 'threshold: 70'))).toEqual([
      expect.stringContaining('document 1 (ScaledObject meqenet-auth): spec.triggers[0].metadata.threshold'),
    ]);
    expect(checkManifests(good.replace('periodSeconds: 180', 'periodSeconds: 3600'))[0]).toContain(
      'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].periodSeconds',
    );
    expect(checkManifests('kind: Deployment\n')).toEqual(['document 1: kind: not one this harness writes (got "Deployment")']);
  });
});
