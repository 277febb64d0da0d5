/**
 * Every manifest the harness applies or exports passes server-side validation (`?dryRun=All`)
 * on a real kube-apiserver with the real CRDs: the k6-operator TestRun and its archive
 * ConfigMap, the autoscaling/v2 HPAs and KEDA ScaledObjects of both stacks, and the alerting
 * rules as a prometheus-operator PrometheusRule. Broken ones are refused with the server's 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { connect, createObject, installCrd, parseManifests, type Kube } from '../../src/k8s/client.ts';
import { alertingRules, autoscalingManifests, CONFIGMAP_MAX_BYTES, k6ArchiveConfigMap, k6OperatorTestRun } from '../../src/export/index.ts';
import { stackTriggers } from '../../src/plan/resolve.ts';
import { crdFromModule, KEDA_SCALEDOBJECT_CRD, PROMETHEUSRULE_CRD, testRunCrd } from '../../src/tools/k8s.ts';
import { KUBERNETES } from '../../profiles/targets.ts';
import { startK8sRig, type K8sRig } from '../support/k8s-rig.ts';

let rig: K8sRig;
let kube: Kube;

beforeAll(async () => {
  rig = await startK8sRig({ log: (l) => process.stderr.write(`[k8s] ${l}\n`) });
  kube = connect({ kubeconfigText: rig.kubeconfig });
  for (const crd of [await testRunCrd(), await crdFromModule(KEDA_SCALEDOBJECT_CRD), await crdFromModule(PROMETHEUSRULE_CRD)]) {
    const r = await installCrd(kube, crd);
    if (!r.ok) throw new Error(`CRD not installed: ${r.code} ${r.message}`);
  }
});

afterAll(async () => {
  await rig?.stop();
});

async function dryRun(obj: KubernetesObject) {
  return createObject(kube, obj, { dryRun: true });
}

async function expectAccepted(objs: KubernetesObject[]) {
  expect(objs.length).toBeGreaterThan(0);
  for (const o of objs) {
    const r = await dryRun(o);
    expect(r.ok ? 'accepted' : `${o.kind}/${o.metadata?.name}: ${r.code} ${r.message}`).toBe('accepted');
  }
}

const archiveOf = (bytes: number) => new Uint8Array(bytes).fill(0x61);

describe('server-side validation on a real kube-apiserver', () => {
  it('accepts the k6-operator TestRun and its archive ConfigMap', async () => {
    const testRun = parseManifests(k6OperatorTestRun({ runId: 'validate-1', parallelism: 3, configMapName: 'k6-validate-1', file: 'archive.tar' }));
    const configMap = parseManifests(k6ArchiveConfigMap({ name: 'k6-validate-1', archive: archiveOf(4096) }));
    expect(testRun[0]?.kind).toBe('TestRun');
    await expectAccepted([...testRun, ...configMap]);
  });

  it('agrees with the 1 MiB ConfigMap guard: the largest archive passes, one byte more is refused by the server', async () => {
    await expectAccepted(parseManifests(k6ArchiveConfigMap({ name: 'k6-max', archive: archiveOf(CONFIGMAP_MAX_BYTES) })));
    expect(() => k6ArchiveConfigMap({ name: 'k6-over', archive: archiveOf(CONFIGMAP_MAX_BYTES + 1) })).toThrow(/at most 1048576 bytes/);
    const over = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k6-over' }, binaryData: { 'archive.tar': Buffer.from(archiveOf(CONFIGMAP_MAX_BYTES + 1)).toString('base64') } };
    const r = await dryRun(over);
    expect(r.ok ? 0 : r.code).toBe(422);
    expect(r.ok ? '' : r.message).toMatch(/Too long: may not be more than 1048576 bytes/);
  });

  it('accepts the HPA v2 manifests (reloop) and the KEDA ScaledObjects (meqenet) that export writes', async () => {
    const reloop = parseManifests(autoscalingManifests(stackTriggers('reloop'), KUBERNETES, { stack: 'reloop' }));
    const meqenet = parseManifests(autoscalingManifests(stackTriggers('meqenet'), KUBERNETES, { stack: 'meqenet' }));
    expect(reloop.map((o) => o.kind)).toContain('HorizontalPodAutoscaler');
    expect(meqenet.map((o) => o.kind)).toContain('ScaledObject');
    await expectAccepted([...reloop, ...meqenet]);
  });

  it('accepts the alerting rules as a PrometheusRule', async () => {
    for (const stack of ['meqenet', 'reloop'] as const) {
      const rules = parse(alertingRules(stackTriggers(stack), KUBERNETES, { stack })) as { groups: unknown[] };
      const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: `${stack}-scaling` }, spec: { groups: rules.groups } };
      await expectAccepted([rule]);
    }
  });

  it('refuses a broken TestRun with the server message (422)', async () => {
    const [good] = parseManifests(k6OperatorTestRun({ runId: 'broken-1', parallelism: 2, configMapName: 'k6-broken-1', file: 'archive.tar' }));
    const spec: Record<string, unknown> = { ...(good as { spec: Record<string, unknown> }).spec, parallelism: 'two' };
    delete spec.script;
    const r = await dryRun({ ...good, spec } as KubernetesObject);
    expect(r.ok ? 0 : r.code).toBe(422);
    expect(r.ok ? '' : r.message).toMatch(/spec\.parallelism in body must be of type integer/);
    expect(r.ok ? '' : r.message).toMatch(/spec\.script: Required value/);
  });

  it('refuses an HPA whose maxReplicas is below minReplicas (422)', async () => {
    const [hpa] = parseManifests(autoscalingManifests(stackTriggers('reloop'), KUBERNETES, { stack: 'reloop' })).filter((o) => o.kind === 'HorizontalPodAutoscaler');
    const spec = { ...(hpa as { spec: Record<string, unknown> }).spec, minReplicas: 5, maxReplicas: 2 };
    const r = await dryRun({ ...hpa, spec } as KubernetesObject);
    expect(r.ok ? 0 : r.code).toBe(422);
    expect(r.ok ? '' : r.message).toMatch(/maxReplicas/);
  });
});
