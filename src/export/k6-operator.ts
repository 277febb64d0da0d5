/**
 * k6-operator manifests for running a plan on Kubernetes: a `k6.io/v1alpha1` TestRun that
 * splits the test over `parallelism` runner pods (k6-operator hands runner i the execution
 * segment (i-1)/n:i/n, as `--parallel` does locally) and remote-writes to Prometheus with the
 * run's `testid` tag, and the ConfigMap that carries the `k6 archive` tar the runners execute.
 * k6-operator neither aggregates thresholds across runners nor surfaces k6's exit code, so the
 * verdict comes from the harness judging the aggregated Prometheus series.
 */
import { Document } from 'yaml';
import { InputError } from '../errors.ts';
import { K6 } from '../tools/versions.ts';
import { checkDnsLabel } from './triggers.ts';

/** Most bytes of data a ConfigMap may hold (Kubernetes validation, core.MaxSecretSize): 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1_048_576;

export const DEFAULT_REMOTE_WRITE_URL = 'http://prometheus-operated.monitoring.svc:9090/api/v1/write';

export interface TestRunOptions {
  /** The harness run id: the `testid` tag every k6 series carries, and the TestRun's name. */
  runId: string;
  /** Runner pods; each runs one execution segment. */
  parallelism: number;
  /** ConfigMap holding the script or archive (see k6ArchiveConfigMap). */
  configMapName: string;
  /** Key of the script or archive in the ConfigMap, e.g. `archive.tar`. */
  file: string;
  /** More `k6 run` arguments, one token each (k6-operator splits `arguments` on spaces). */
  args?: string[];
  namespace?: string;
  /** Remote-write endpoint as the runner pods reach it. @default DEFAULT_REMOTE_WRITE_URL (a placeholder) */
  remoteWriteUrl?: string;
  /** Runner image. @default `grafana/k6:<the pinned k6 version>` */
  image?: string;
  /** Requests (= limits) of each runner pod, e.g. { cpu: '2', memory: '2Gi' }. */
  resources?: { cpu: string; memory: string };
}

const KEY = /^[-._a-zA-Z0-9]+$/;

/** A DNS-1123 name from a run id: lower case, other characters as `-`, at most 52 characters (k6-operator appends `-initializer`, `-<n>`). */
export function testRunName(runId: string): string {
  const name = `k6-${runId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 52)
    .replace(/^-+|-+$/g, '');
  return checkDnsLabel('runId', name);
}

/** The TestRun manifest (YAML). */
export function k6OperatorTestRun(o: TestRunOptions): string {
  if (!Number.isInteger(o.parallelism) || o.parallelism < 1) {
    throw new InputError(`parallelism: must be a whole number of runner pods, 1 or more (got ${o.parallelism})`);
  }
  if (!KEY.test(o.file)) throw new InputError(`file: must be a ConfigMap key (letters, digits, '-', '_', '.') (got ${JSON.stringify(o.file)})`);
  // No ':' or ',': the run id goes into K6_TAGS, a `name:value,...` list.
  if (!/^[a-zA-Z0-9._-]+$/.test(o.runId)) throw new InputError(`runId: must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(o.runId)})`);
  checkDnsLabel('configMapName', o.configMapName);
  const extra = o.args ?? [];
  for (const a of extra) {
    if (a === '' || /[\s'"`$\\]/.test(a)) throw new InputError(`args: each argument must be one token without spaces, quotes or '$' (got ${JSON.stringify(a)})`);
    if (/^(--tag|-t)(=|$)/.test(a)) throw new InputError(`args: ${a} would replace K6_TAGS (testid and runner); tag in the scenario instead`);
  }
  const args = ['--out', 'experimental-prometheus-rw', ...extra];
  const doc = new Document({
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name: testRunName(o.runId),
      ...(o.namespace ? { namespace: checkDnsLabel('namespace', o.namespace) } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'scale-harness' },
    },
    spec: {
      parallelism: o.parallelism,
      script: { configMap: { name: o.configMapName, file: o.file } },
      arguments: args.join(' '),
      runner: {
        image: o.image ?? `grafana/k6:${K6.version.replace(/^v/, '')}`,
        env: [
          { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: o.remoteWriteUrl ?? DEFAULT_REMOTE_WRITE_URL },
          // Every runner pod writes the same series names with the same labels: without a tag of
          // its own, their samples collide in Prometheus and all but one are lost. Tags go in
          // K6_TAGS because the `arguments` are the same for every runner (and a --tag there
          // would replace K6_TAGS altogether); Kubernetes expands $(POD_NAME) per pod.
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'K6_TAGS', value: `testid:${o.runId},runner:$(POD_NAME)` },
          // Trends as native histograms: the only form that aggregates across runner pods.
          { name: 'K6_FEATURES', value: 'native-histograms' },
        ],
        ...(o.resources ? { resources: { requests: o.resources, limits: o.resources } } : {}),
      },
      cleanup: 'post',
    },
  });
  doc.commentBefore = ` k6-operator TestRun for run ${o.runId} (scale-harness). Verdicts come from Prometheus, series tagged testid=${o.runId}.`;
  return doc.toString({ lineWidth: 0 });
}

export interface ArchiveConfigMapOptions {
  name: string;
  /** ConfigMap key, the TestRun's `script.configMap.file`. @default 'archive.tar' */
  file?: string;
  /** The `k6 archive` tar. */
  archive: Uint8Array;
  namespace?: string;
}

function mib(bytes: number): string {
  return `${(bytes / CONFIGMAP_MAX_BYTES).toFixed(2)} MiB`;
}

/** The ConfigMap (YAML) carrying a `k6 archive` tar as binaryData; InputError when it would exceed 1 MiB. */
export function k6ArchiveConfigMap(o: ArchiveConfigMapOptions): string {
  const file = o.file ?? 'archive.tar';
  checkDnsLabel('name', o.name);
  if (!KEY.test(file)) throw new InputError(`file: must be a ConfigMap key (letters, digits, '-', '_', '.') (got ${JSON.stringify(file)})`);
  const size = o.archive.byteLength;
  if (size > CONFIGMAP_MAX_BYTES) {
    throw new InputError(
      `k6 archive ${file} is ${size} bytes (${mib(size)}); a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES} bytes (1 MiB): ` +
        'leave large data files out of the archive, or give the TestRun a volumeClaim instead of a configMap',
    );
  }
  const doc = new Document({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: o.name,
      ...(o.namespace ? { namespace: checkDnsLabel('namespace', o.namespace) } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'scale-harness' },
    },
    binaryData: { [file]: Buffer.from(o.archive.buffer, o.archive.byteOffset, o.archive.byteLength).toString('base64') },
  });
  doc.commentBefore = ` k6 archive for k6-operator: ${size} bytes of ${CONFIGMAP_MAX_BYTES} allowed.`;
  return doc.toString({ lineWidth: 0 });
}
