/**
 * Structural checks of the generated Kubernetes manifests, with no cluster at hand: the fields
 * this harness writes, with the limits the API server and the CRDs enforce (HPA policy
 * periods 1..1800 s, stabilization 0..3600 s, min <= max replicas, KEDA prometheus metadata
 * as strings with a numeric threshold, TestRun parallelism, ConfigMap size). Unknown fields
 * are allowed: these are the parts the harness relies on, not the whole OpenAPI schema.
 */
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { keyPathText } from '../plan/load.ts';
import { CONFIGMAP_MAX_BYTES } from './k6-operator.ts';

const Name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 name').max(63);
const Meta = z.object({ name: Name, namespace: Name.optional() });
const Int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
const TargetRef = z.object({ apiVersion: z.literal('apps/v1'), kind: z.literal('Deployment'), name: Name });

const ScalingRules = z.object({
  stabilizationWindowSeconds: Int(0, 3600).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  policies: z.array(z.object({ type: z.enum(['Pods', 'Percent']), value: Int(1), periodSeconds: Int(1, 1800) })).min(1).optional(),
});
const Behavior = z.object({ scaleUp: ScalingRules.optional(), scaleDown: ScalingRules.optional() });

const minMax = (min: number | undefined, max: number) => (min ?? 1) <= max;

const Hpa = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: Meta,
  spec: z
    .object({
      scaleTargetRef: TargetRef,
      minReplicas: Int(1).optional(),
      maxReplicas: Int(1),
      metrics: z
        .array(
          z.object({
            type: z.literal('Resource'),
            resource: z.object({ name: z.enum(['cpu', 'memory']), target: z.object({ type: z.literal('Utilization'), averageUtilization: Int(1) }) }),
          }),
        )
        .min(1),
      behavior: Behavior.optional(),
    })
    .refine((s) => minMax(s.minReplicas, s.maxReplicas), { message: 'must be at least minReplicas', path: ['maxReplicas'] }),
});

const PrometheusMeta = z.object({
  serverAddress: z.url(),
  query: z.string().min(1),
  threshold: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number as a string'),
});

const ScaledObject = z.object({
  apiVersion: z.literal('keda.sh/v1alpha1'),
  kind: z.literal('ScaledObject'),
  metadata: Meta,
  spec: z
    .object({
      scaleTargetRef: TargetRef,
      pollingInterval: Int(1).optional(),
      minReplicaCount: Int(0).optional(),
      maxReplicaCount: Int(1),
      advanced: z.object({ horizontalPodAutoscalerConfig: z.object({ behavior: Behavior.optional() }).optional() }).optional(),
      triggers: z
        .array(
          z.object({
            type: z.string(),
            name: z.string().optional(),
            metricType: z.enum(['AverageValue', 'Value', 'Utilization']).optional(),
            metadata: z.record(z.string(), z.string()),
          }),
        )
        .min(1),
    })
    .refine((s) => minMax(s.minReplicaCount, s.maxReplicaCount), { message: 'must be at least minReplicaCount', path: ['maxReplicaCount'] })
    .superRefine((s, ctx) =>
      s.triggers.forEach((t, i) => {
        if (t.type !== 'prometheus') return;
        const r = PrometheusMeta.safeParse(t.metadata);
        for (const issue of r.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: ['triggers', i, 'metadata', ...issue.path], message: issue.message });
      }),
    ),
});

const TestRun = z.object({
  apiVersion: z.literal('k6.io/v1alpha1'),
  kind: z.literal('TestRun'),
  metadata: Meta,
  spec: z.object({
    parallelism: Int(1),
    script: z.object({ configMap: z.object({ name: Name, file: z.string().min(1) }) }),
    arguments: z.string().optional(),
    runner: z.object({ image: z.string().optional(), env: z.array(z.object({ name: z.string(), value: z.string().optional(), valueFrom: z.record(z.string(), z.unknown()).optional() })).optional() }).optional(),
    cleanup: z.literal('post').optional(),
  }),
});

const ConfigMap = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: Meta,
    data: z.record(z.string(), z.string()).optional(),
    binaryData: z.record(z.string(), z.base64()).optional(),
  })
  .refine((c) => {
    const text = Object.values(c.data ?? {}).reduce((n, v) => n + Buffer.byteLength(v), 0);
    const bin = Object.values(c.binaryData ?? {}).reduce((n, v) => n + Buffer.from(v, 'base64').length, 0);
    return text + bin <= CONFIGMAP_MAX_BYTES;
  }, `data must not exceed ${CONFIGMAP_MAX_BYTES} bytes`);

const SCHEMAS: Record<string, z.ZodType> = { HorizontalPodAutoscaler: Hpa, ScaledObject, TestRun, ConfigMap };

/** Problems found in multi-document YAML, one line each (`document 2 (ScaledObject x): key: why`); empty when fine. */
export function checkManifests(text: string): string[] {
  const problems: string[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    const n = `document ${i + 1}`;
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => `${n}: ${e.message.split('\n')[0]}`));
      return;
    }
    const data = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
    if (data === null) return;
    const kind = typeof data.kind === 'string' ? data.kind : '';
    const schema = SCHEMAS[kind];
    if (!schema) {
      problems.push(`${n}: kind: not one this harness writes (got ${JSON.stringify(data.kind)})`);
      return;
    }
    const r = schema.safeParse(data);
    const what = `${n} (${kind} ${String(data.metadata?.name ?? '?')})`;
    for (const issue of r.error?.issues ?? []) problems.push(`${what}: ${keyPathText(issue.path)}: ${issue.message}`);
  });
  return problems;
}
