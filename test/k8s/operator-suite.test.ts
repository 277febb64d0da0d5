/**
 * `gate` and `signoff` with `--engine k6-operator`, through the command line, against the real
 * kube-apiserver and the real k6-operator: as far as `run --engine k6-operator` goes on this rig
 * (stage `initialization`, no pod; see operator-engine.test.ts). The gate's run reaches an
 * inconclusive verdict naming the stage, in the suite's JUnit and summary; the sign-off's first
 * run is the peak at the capacity target, its TestRun sized for that rate, and Ctrl-C deletes it
 * and ends the sign-off as interrupted.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, installCrd, readObject, type Kube } from '../../src/k8s/client.ts';
import { startPrometheus, type RunningPrometheus } from '../../src/metrics/prometheus.ts';
import { capacityTargetRate } from '../../src/plan/capacity.ts';
import type { Plan } from '../../src/plan/types.ts';
import { ensureTool } from '../../src/tools/index.ts';
import { testRunCrd } from '../../src/tools/k8s.ts';
import { startK8sRig, startOperator, type K8sRig } from '../support/k8s-rig.ts';

let rig: K8sRig;
let kube: Kube;
let operator: ChildProcess;
let prom: RunningPrometheus;
let target: Server;
let targetUrl = '';
// Run folders in a temp dir of their own: RUNS_DIR is read when src/util/paths.ts is first
// imported, so the variable is set before any import.
const runsDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/scale-harness-suite-${process.pid}`;
  process.env.SCALE_HARNESS_RUNS_DIR = dir;
  return dir;
});
let main: typeof import('../../src/cli/main.ts').main;

beforeAll(async () => {
  await mkdir(runsDir, { recursive: true });
  main = (await import('../../src/cli/main.ts')).main;
  rig = await startK8sRig();
  kube = connect({ kubeconfigText: rig.kubeconfig });
  const crd = await installCrd(kube, await testRunCrd());
  if (!crd.ok) throw new Error(crd.message);
  operator = await startOperator(rig);
  prom = await startPrometheus({ bin: (await ensureTool('prometheus')).path, targets: [] });
  // The rural cohorts run on this machine: the target must answer here (checked before the suite).
  target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const addr = target.address();
  targetUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  operator?.kill('SIGTERM');
  await prom?.stop();
  target?.close();
  await rig?.stop();
  await rm(runsDir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const engineArgs = () => ['--engine', 'k6-operator', '--kubeconfig', rig.kubeconfigPath, '--namespace', 'default', '--target', targetUrl, '--prometheus', prom.url, '--allow-concurrent'];

async function listTestRuns(): Promise<Array<{ metadata: { name: string }; spec: { parallelism: number } }>> {
  const list = await kube.objects.list('k6.io/v1alpha1', 'TestRun', 'default');
  return list.items as unknown as Array<{ metadata: { name: string }; spec: { parallelism: number } }>;
}

describe('gate and signoff on k6-operator (real kube-apiserver, real operator)', () => {
  it('gate --engine k6-operator --only spike: the run is a TestRun, inconclusive at stage initialization, in the suite JUnit; exit 3', async () => {
    const c = capture();
    // No baseline to compare with (reports/baselines holds embedded-stack runs): the run's own verdict decides.
    const code = await main(['gate', '--only', 'spike', ...engineArgs(), '--start-timeout', '15s', '--baselines', path.join(runsDir, 'no-baselines')], c.io);
    expect(code, c.err.slice(-10).join('\n')).toBe(3);
    expect(c.err).toContain('k6-operator: stage initialization');
    expect(c.err.some((l) => /^k6-operator: deleted TestRun\//.test(l))).toBe(true);
    expect(c.out.at(-1)).toMatch(/^gate: INCONCLUSIVE {2}\(1\/1 runs; JUnit /);
    const suites = (await readdir(runsDir)).filter((d) => d.startsWith('gate-'));
    expect(suites).toHaveLength(1);
    const suiteDir = path.join(runsDir, suites[0]!);
    const junit = await readFile(path.join(suiteDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/k6-operator: timeout: the TestRun did not reach stage started within 15 s \(stages seen: initialization;/);
    const runs = (await readdir(suiteDir, { withFileTypes: true })).filter((d) => d.isDirectory());
    expect(runs).toHaveLength(1);
    expect(await readdir(path.join(suiteDir, runs[0]!.name))).toEqual(expect.arrayContaining(['plan.json', 'archive.tar', 'operator.json', 'verdict.json']));
    expect(await listTestRuns()).toEqual([]);
  });

  it('signoff --engine k6-operator: the peak at the future target becomes a TestRun sized for that rate; Ctrl-C deletes it and exits 130', async () => {
    const ac = new AbortController();
    const c = capture();
    const running = main(['signoff', ...engineArgs(), '--start-timeout', '60s'], c.io, ac.signal);
    let seen: Awaited<ReturnType<typeof listTestRuns>> = [];
    for (let i = 0; i < 300 && seen.length === 0; i++) {
      seen = await listTestRuns();
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen, c.err.slice(-10).join('\n')).toHaveLength(1);
    const suites = (await readdir(runsDir)).filter((d) => d.startsWith('signoff-'));
    expect(suites).toHaveLength(1);
    const runDir = (await readdir(path.join(runsDir, suites[0]!), { withFileTypes: true })).find((d) => d.isDirectory())!;
    const plan = JSON.parse(await readFile(path.join(runsDir, suites[0]!, runDir.name, 'plan.json'), 'utf8')) as Plan;
    expect(plan.profile).toBe('peak');
    expect(plan.inputs).toMatchObject({ engine: 'k6-operator', capacity: { kind: 'future', required: capacityTargetRate('future') } });
    // The future target, 69,685 req/s, at 2,000 req/s per runner.
    expect(Math.round(plan.peakRate)).toBe(69_685);
    expect(seen[0]!.spec.parallelism).toBe(35);
    ac.abort();
    expect(await running).toBe(130);
    expect(await listTestRuns()).toEqual([]);
    const cm = await readObject(kube, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: seen[0]!.metadata.name } });
    expect(cm.ok).toBe(false);
    expect(c.out).toContain('capacity sign-off: BLOCKED');
    expect(await readdir(path.join(runsDir, suites[0]!))).toEqual(expect.arrayContaining(['signoff.md', 'signoff.html']));
  });
});
