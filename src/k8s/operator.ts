/**
 * `--engine k6-operator`: runs a plan as a k6-operator TestRun. Creates the archive ConfigMap
 * and the TestRun through the Kubernetes API, follows the TestRun's stages (initialization,
 * initialized, created, started, finished, error) and its runner Jobs live, and deletes what it
 * created on every exit path (Ctrl-C included). The verdict is not k6-operator's to give (it
 * neither aggregates thresholds nor reports k6's exit code): the caller judges the window this
 * returns from Prometheus. Operator or runner failures and time-outs come back as an outcome
 * with its reason, which the caller turns into `inconclusive`.
 */
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import { k6ArchiveConfigMap, k6OperatorTestRun, testRunName } from '../export/k6-operator.ts';
import type { Plan } from '../plan/types.ts';
import { createObject, deleteObject, parseManifests, type Kube } from './client.ts';
import { RUNNER_RESOURCES, runnersFor, PER_RUNNER_RPS } from './archive.ts';

export type OperatorOutcome = 'finished' | 'error' | 'runner-failed' | 'timeout' | 'interrupted' | 'not-created';

export interface OperatorRunOptions {
  kube: Kube;
  plan: Plan;
  /** The `k6 archive` tar of the scenario and plan. */
  archive: Uint8Array;
  /** Remote-write URL as the runner pods reach Prometheus. */
  remoteWriteUrl: string;
  perRunnerRps?: number;
  image?: string;
  /** Longest wait for stage `started` (image pulls, scheduling), ms. @default 600_000 */
  startTimeoutMs?: number;
  /** Longest wait after `started` beyond the plan's duration, ms. @default 300_000 */
  finishGraceMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface OperatorRunResult {
  outcome: OperatorOutcome;
  reason: string;
  parallelism: number;
  /** Each stage as first seen, s since the epoch. */
  stages: Array<{ stage: string; at: number }>;
  /** From `started` (or creation) to `finished` (or the end of the wait), s since the epoch. */
  window: { start: number; end: number };
  /** kind/name of what was created, and whether each was deleted again. */
  created: Array<{ ref: string; deleted: boolean; message?: string }>;
}

interface Counts {
  jobs: number;
  active: number;
  succeeded: number;
  failed: number;
}

async function runnerJobs(kube: Kube, name: string): Promise<Counts | null> {
  try {
    const list = await kube.objects.list('batch/v1', 'Job', kube.namespace, undefined, undefined, undefined, undefined, `k6_cr=${name}`);
    const c: Counts = { jobs: 0, active: 0, succeeded: 0, failed: 0 };
    for (const j of list.items as Array<KubernetesObject & { status?: { active?: number; succeeded?: number; failed?: number } }>) {
      c.jobs++;
      c.active += j.status?.active ?? 0;
      c.succeeded += j.status?.succeeded ?? 0;
      c.failed += j.status?.failed ?? 0;
    }
    return c;
  } catch {
    return null;
  }
}

export async function runOnOperator(o: OperatorRunOptions): Promise<OperatorRunResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const name = testRunName(o.plan.runId);
  const parallelism = runnersFor(o.plan.peakRate, o.perRunnerRps ?? PER_RUNNER_RPS);
  const configMap = parseManifests(k6ArchiveConfigMap({ name, archive: o.archive, namespace: o.kube.namespace }))[0]!;
  const testRun = parseManifests(
    k6OperatorTestRun({
      runId: o.plan.runId,
      parallelism,
      configMapName: name,
      file: 'archive.tar',
      namespace: o.kube.namespace,
      remoteWriteUrl: o.remoteWriteUrl,
      resources: RUNNER_RESOURCES,
      ...(o.image ? { image: o.image } : {}),
    }),
  )[0]!;
  const now = () => Date.now() / 1000;
  const result: OperatorRunResult = { outcome: 'not-created', reason: '', parallelism, stages: [], window: { start: now(), end: now() }, created: [] };
  const made: KubernetesObject[] = [];
  log(`k6-operator: TestRun ${o.kube.namespace}/${name}, ${parallelism} runner(s) for ${o.plan.peakRate} req/s at ${o.perRunnerRps ?? PER_RUNNER_RPS} req/s each`);
  let abortWatch: AbortController | null = null;
  const timers: NodeJS.Timeout[] = [];
  try {
    for (const obj of [configMap, testRun]) {
      const r = await createObject(o.kube, obj);
      if (!r.ok) {
        result.reason = `${obj.kind} ${obj.metadata?.name} was refused: ${r.code} ${r.message}`;
        return result;
      }
      made.push(obj);
      result.created.push({ ref: `${obj.kind}/${obj.metadata?.name}`, deleted: false });
    }
    result.window.start = now();
    const done = new Promise<{ outcome: OperatorOutcome; reason: string }>((resolve) => {
      const seen = new Set<string>();
      const onStage = (stage: string | undefined) => {
        if (!stage || seen.has(stage)) return;
        seen.add(stage);
        result.stages.push({ stage, at: now() });
        log(`k6-operator: stage ${stage}`);
        if (stage === 'started') {
          result.window.start = now();
          const finishMs = o.plan.durationSeconds * 1000 + (o.finishGraceMs ?? 300_000);
          timers.push(setTimeout(() => resolve({ outcome: 'timeout', reason: `the TestRun did not finish within ${Math.round(finishMs / 1000)} s of starting` }), finishMs));
        }
        if (stage === 'finished') resolve({ outcome: 'finished', reason: '' });
        if (stage === 'error') resolve({ outcome: 'error', reason: 'k6-operator set the TestRun to stage error' });
      };
      const startMs = o.startTimeoutMs ?? 600_000;
      timers.push(
        setTimeout(() => {
          if (!seen.has('started')) resolve({ outcome: 'timeout', reason: `the TestRun did not reach stage started within ${Math.round(startMs / 1000)} s (stages seen: ${[...seen].join(', ') || 'none'}; is k6-operator running and watching namespace ${o.kube.namespace}?)` });
        }, startMs),
      );
      o.signal?.addEventListener('abort', () => resolve({ outcome: 'interrupted', reason: 'interrupted; the TestRun was deleted' }), { once: true });
      new Watch(o.kube.config)
        .watch(
          `/apis/k6.io/v1alpha1/namespaces/${o.kube.namespace}/testruns`,
          { fieldSelector: `metadata.name=${name}` },
          (_phase, obj: { status?: { stage?: string } }) => onStage(obj.status?.stage),
          () => undefined,
        )
        .then((c) => (abortWatch = c), () => undefined);
      let last = '';
      // The operator's Jobs (initializer, starter, runners; all labelled k6_cr=<name>) as they
      // come and go; a failed one fails the run, whatever the stage says.
      timers.push(
        setInterval(() => {
          void runnerJobs(o.kube, name).then((c) => {
            if (!c) return;
            const line = `${c.jobs} (initializer, starter, runners): ${c.active} active, ${c.succeeded} succeeded, ${c.failed} failed`;
            if (line !== last) log(`k6-operator: jobs ${line}`);
            last = line;
            if (c.failed > 0) resolve({ outcome: 'runner-failed', reason: `${c.failed} pod(s) of the operator's Jobs failed` });
          });
        }, 2000),
      );
    });
    const end = await done;
    result.outcome = end.outcome;
    result.reason = end.reason;
    result.window.end = now();
    return result;
  } finally {
    for (const t of timers) clearTimeout(t);
    (abortWatch as AbortController | null)?.abort();
    for (const obj of made.reverse()) {
      const r = await deleteObject(o.kube, obj);
      const entry = result.created.find((c) => c.ref === `${obj.kind}/${obj.metadata?.name}`);
      if (entry) {
        entry.deleted = r.ok;
        if (!r.ok) entry.message = `${r.code} ${r.message}`;
      }
      log(`k6-operator: ${r.ok ? 'deleted' : 'could not delete'} ${obj.kind}/${obj.metadata?.name}${r.ok ? '' : ` (${r.code} ${r.message})`}`);
    }
  }
}
