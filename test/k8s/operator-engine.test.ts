/**
 * The k6-operator engine against a real kube-apiserver with the real TestRun CRD: it packs the
 * scenario and plan with the real `k6 archive`, creates the ConfigMap and TestRun, watches the
 * TestRun's stages and deletes both on every exit path.
 *
 * Where the tested path ends: the last test runs the real k6-operator (built from its source)
 * against this API server. It reconciles the TestRun to stage `initialization` and creates the
 * initializer Job; with no kube-controller-manager, scheduler or kubelet, the Job never gets a
 * pod, so the run stops there and the engine times out with the stages it saw. Another test
 * moves the TestRun's status through the later stages itself (through the status subresource,
 * as the operator writes it) to prove the engine follows them live; it does not prove that an
 * operator would get there.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { connect, installCrd, rawRequest, readObject, type Kube } from '../../src/k8s/client.ts';
import { k6Archive, runnersFor } from '../../src/k8s/archive.ts';
import { runOnOperator } from '../../src/k8s/operator.ts';
import { runOnKubernetes } from '../../src/k8s/run.ts';
import { startPrometheus } from '../../src/metrics/prometheus.ts';
import { testRunName } from '../../src/export/k6-operator.ts';
import { loadProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import type { Plan } from '../../src/plan/types.ts';
import { ensureTool } from '../../src/tools/index.ts';
import { testRunCrd } from '../../src/tools/k8s.ts';
import { SCENARIOS_DIR } from '../../src/util/paths.ts';
import { startK8sRig, startOperator, type K8sRig } from '../support/k8s-rig.ts';

let rig: K8sRig;
let kube: Kube;
let dir: string;
let archive: Uint8Array;
let archiveFile: string;

async function planFor(runId: string): Promise<Plan> {
  const loaded = await loadProfile('spike');
  return resolvePlan(loaded.profile, { runId, file: loaded.file, quick: true, targetUrl: 'http://127.0.0.1:8080' });
}

beforeAll(async () => {
  rig = await startK8sRig();
  kube = connect({ kubeconfigText: rig.kubeconfig });
  const crd = await installCrd(kube, await testRunCrd());
  if (!crd.ok) throw new Error(crd.message);
  dir = await mkdtemp(path.join(os.tmpdir(), 'scale-harness-op-'));
  const planFile = path.join(dir, 'plan.json');
  await writeFile(planFile, JSON.stringify(await planFor('archive')));
  const k6 = await ensureTool('k6', { log: () => undefined });
  archive = await k6Archive(k6.path, path.join(SCENARIOS_DIR, 'spike.ts'), planFile, dir);
  archiveFile = path.join(dir, 'archive.tar');
});

afterAll(async () => {
  await rig?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const testRunRef = (runId: string) => ({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: testRunName(runId) } });
const configMapRef = (runId: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: testRunName(runId) } });

async function waitFor<T>(fn: () => Promise<T | null>, ms: number): Promise<T | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/** Writes status.stage the way k6-operator does: through the status subresource. */
async function setStage(runId: string, stage: string): Promise<void> {
  const p = `/apis/k6.io/v1alpha1/namespaces/default/testruns/${testRunName(runId)}`;
  const got = await rawRequest(kube, 'GET', p);
  if (!got.ok) throw new Error(got.message);
  const put = await rawRequest(kube, 'PUT', `${p}/status`, { ...(got.value as object), status: { stage } });
  if (!put.ok) throw new Error(`${put.code} ${put.message}`);
}

describe('k6-operator engine on a real kube-apiserver', () => {
  it('packs the plan into the archive and sizes parallelism from the per-runner rate', async () => {
    const listing = await $({ quiet: true })`tar -tf ${archiveFile}`;
    expect(listing.stdout).toMatch(/plan\.json/);
    expect(listing.stdout).toMatch(/spike\.ts/);
    expect(runnersFor(10_000, 2000)).toBe(5);
    expect(runnersFor(10_001, 2000)).toBe(6);
    expect(runnersFor(69_685, 2000)).toBe(35);
  });

  it('without an operator: creates ConfigMap and TestRun, times out waiting for stage started, deletes both', async () => {
    const plan = await planFor('noop-1');
    const lines: string[] = [];
    const running = runOnOperator({ kube, plan, archive, remoteWriteUrl: 'http://127.0.0.1:9/api/v1/write', startTimeoutMs: 4000, log: (l) => lines.push(l) });
    const seen = await waitFor(async () => ((await readObject(kube, testRunRef('noop-1'))).ok ? true : null), 4000);
    expect(seen).toBe(true);
    const stored = await readObject(kube, testRunRef('noop-1'));
    expect(stored.ok && (stored.value as { spec: { parallelism: number } }).spec.parallelism).toBe(runnersFor(plan.peakRate));
    const r = await running;
    expect(r.outcome).toBe('timeout');
    expect(r.reason).toMatch(/did not reach stage started within 4 s \(stages seen: none/);
    expect(r.created).toEqual([
      { ref: `ConfigMap/${testRunName('noop-1')}`, deleted: true },
      { ref: `TestRun/${testRunName('noop-1')}`, deleted: true },
    ]);
    expect((await readObject(kube, testRunRef('noop-1'))).ok).toBe(false);
    const cm = await readObject(kube, configMapRef('noop-1'));
    expect(cm.ok ? 200 : cm.code).toBe(404);
  });

  it('follows the stages live as the operator writes them, returns the started..finished window, and cleans up', async () => {
    const plan = await planFor('stages-1');
    const lines: string[] = [];
    const running = runOnOperator({ kube, plan, archive, remoteWriteUrl: 'http://127.0.0.1:9/api/v1/write', startTimeoutMs: 20_000, log: (l) => lines.push(l) });
    await waitFor(async () => ((await readObject(kube, testRunRef('stages-1'))).ok ? true : null), 4000);
    for (const stage of ['initialization', 'created', 'started']) {
      await setStage('stages-1', stage);
      expect(await waitFor(async () => (lines.includes(`k6-operator: stage ${stage}`) ? true : null), 5000)).toBe(true);
    }
    const startedAt = Date.now() / 1000;
    await new Promise((r) => setTimeout(r, 1500));
    await setStage('stages-1', 'finished');
    const r = await running;
    expect(r.outcome).toBe('finished');
    expect(r.stages.map((s) => s.stage)).toEqual(['initialization', 'created', 'started', 'finished']);
    expect(r.window.end - r.window.start).toBeGreaterThan(1.2);
    expect(Math.abs(r.window.start - startedAt)).toBeLessThan(1);
    expect(r.created.every((c) => c.deleted)).toBe(true);
    expect((await readObject(kube, testRunRef('stages-1'))).ok).toBe(false);
  });

  it('a failed pod of the TestRun\'s Jobs ends the run as runner-failed', async () => {
    const plan = await planFor('fail-1');
    const running = runOnOperator({ kube, plan, archive, remoteWriteUrl: 'http://127.0.0.1:9/api/v1/write', startTimeoutMs: 30_000, log: () => undefined });
    await waitFor(async () => ((await readObject(kube, testRunRef('fail-1'))).ok ? true : null), 4000);
    // A runner Job as the operator labels it, its status written as the Job controller would.
    const name = `${testRunName('fail-1')}-1`;
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, labels: { app: 'k6', k6_cr: testRunName('fail-1'), runner: 'true' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'k6', image: 'grafana/k6:2.2.0' }] } } } };
    const created = await rawRequest(kube, 'POST', '/apis/batch/v1/namespaces/default/jobs', job);
    expect(created.ok ? 'created' : created.message).toBe('created');
    const p = `/apis/batch/v1/namespaces/default/jobs/${name}`;
    const got = await rawRequest(kube, 'GET', p);
    const put = await rawRequest(kube, 'PUT', `${p}/status`, { ...(got.ok ? (got.value as object) : {}), status: { failed: 1, startTime: new Date().toISOString() } });
    expect(put.ok ? 'updated' : put.message).toBe('updated');
    const r = await running;
    expect(r.outcome).toBe('runner-failed');
    expect(r.reason).toBe("1 pod(s) of the operator's Jobs failed");
    expect(r.created.every((c) => c.deleted)).toBe(true);
  });

  it('on Ctrl-C deletes what it created and says interrupted', async () => {
    const plan = await planFor('abort-1');
    const ac = new AbortController();
    const running = runOnOperator({ kube, plan, archive, remoteWriteUrl: 'http://127.0.0.1:9/api/v1/write', startTimeoutMs: 20_000, signal: ac.signal, log: () => undefined });
    await waitFor(async () => ((await readObject(kube, testRunRef('abort-1'))).ok ? true : null), 4000);
    ac.abort();
    const r = await running;
    expect(r.outcome).toBe('interrupted');
    expect((await readObject(kube, testRunRef('abort-1'))).ok).toBe(false);
    expect((await readObject(kube, configMapRef('abort-1'))).ok).toBe(false);
  });

  it('the real k6-operator reconciles the TestRun to stage initialization and its initializer Job; no pod follows', async () => {
    const operator = await startOperator(rig);
    try {
      const plan = await planFor('operator-1');
      const lines: string[] = [];
      const r = await runOnOperator({ kube, plan, archive, remoteWriteUrl: 'http://127.0.0.1:9/api/v1/write', startTimeoutMs: 20_000, log: (l) => lines.push(l) });
      expect(r.stages.map((s) => s.stage)).toEqual(['initialization']);
      expect(r.outcome).toBe('timeout');
      expect(r.reason).toMatch(/stages seen: initialization;/);
      expect(lines).toContain('k6-operator: jobs 1 (initializer, starter, runners): 0 active, 0 succeeded, 0 failed');
      expect(r.created.every((c) => c.deleted)).toBe(true);
      // The operator's own initializer Job (no garbage collector here removes it with the TestRun).
      const job = await readObject(kube, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${testRunName('operator-1')}-initializer` } });
      expect(job.ok).toBe(true);
      const spec = job.ok ? (job.value as { spec: { template: { spec: { containers: Array<{ command: string[]; image: string }> } } } }).spec.template.spec : null;
      expect(JSON.stringify(spec?.containers[0]?.command)).toMatch(/k6 inspect --execution-requirements/);
      expect(spec?.containers[0]?.image).toBe('grafana/k6:2.2.0');
    } finally {
      operator.kill('SIGTERM');
    }
  });

  it('run --engine k6-operator reaches a verdict as far as the rig goes: inconclusive, the operator stage named, the run folder written', async () => {
    const operator = await startOperator(rig);
    const prom = await startPrometheus({ bin: (await ensureTool('prometheus')).path, targets: [] });
    try {
      const r = await runOnKubernetes({
        profile: 'spike',
        quick: true,
        target: 'http://127.0.0.1:9',
        prometheus: prom.url,
        kubeconfig: rig.kubeconfigPath,
        namespace: 'default',
        startTimeoutMs: 15_000,
        runsDir: dir,
        log: () => undefined,
      });
      expect(r.verdict.status).toBe('inconclusive');
      expect(r.verdict.reasons[0]).toMatch(/^k6-operator: timeout: the TestRun did not reach stage started within 15 s \(stages seen: initialization;/);
      expect(r.operator.created.map((c) => c.deleted)).toEqual([true, true]);
      const files = await readdir(r.runDir);
      expect(files).toEqual(expect.arrayContaining(['plan.json', 'archive.tar', 'operator.json', 'verdict.json', 'junit.xml', 'summary.md', 'report.html']));
    } finally {
      operator.kill('SIGTERM');
      await prom.stop();
    }
  });
});
