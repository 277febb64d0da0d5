/**
 * `--engine k6-operator` on `gate` and `signoff` (and `run`): the flags each command lists, and
 * bad engine input refused with one line and exit 2 before any run folder exists. The engine
 * itself runs against a real API server in test/k8s/operator-suite.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { RUNS_DIR } from '../../src/util/paths.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runs = (): string[] => {
  try {
    return readdirSync(RUNS_DIR).sort();
  } catch {
    return [];
  }
};

describe('--engine k6-operator on gate and signoff', () => {
  for (const command of ['gate', 'signoff']) {
    it(`${command} --help lists the engine's flags`, async () => {
      const c = capture();
      expect(await main([command, '--help'], c.io)).toBe(0);
      const help = c.out.join('\n');
      for (const flag of ['--engine k6-operator', '--kubeconfig FILE', '--context NAME', '--namespace NS', '--queue-namespace NS', '--mapping NAME', '--per-runner-rps N', '--start-timeout 10m']) {
        expect(help).toContain(flag);
      }
    });
  }

  const cases: Array<[string, string[], string]> = [
    ['an engine other than k6-operator', ['gate', '--engine', 'kubernetes', '--target', 'http://127.0.0.1:9', '--prometheus', 'http://127.0.0.1:9'], 'scale-harness: --engine: must be k6-operator or left out (got "kubernetes")'],
    ['the engine without a target', ['signoff', '--engine', 'k6-operator', '--prometheus', 'http://127.0.0.1:9'], 'scale-harness: signoff --engine k6-operator: needs --target URL (as the runner pods reach it) and --prometheus URL'],
    ['a kubeconfig without the engine', ['signoff', '--kubeconfig', '/nowhere/config'], 'scale-harness: --kubeconfig: goes with --engine k6-operator'],
    ['--parallel with the engine', ['gate', '--engine', 'k6-operator', '--target', 'http://127.0.0.1:9', '--prometheus', 'http://127.0.0.1:9', '--parallel', '2'], 'scale-harness: --parallel: does not go with --engine k6-operator (the operator splits the load; faults break the embedded autoscaler only)'],
    ['a target outside loopback', ['gate', '--engine', 'k6-operator', '--target', 'http://10.1.2.3:8080', '--prometheus', 'http://127.0.0.1:9', '--only', 'spike'], 'scale-harness: --target: host "10.1.2.3" is not on the allow-list (127.0.0.0/8, ::1, localhost)'],
    ['an unreadable kubeconfig', ['signoff', '--engine', 'k6-operator', '--target', 'http://127.0.0.1:9', '--prometheus', 'http://127.0.0.1:9', '--kubeconfig', '/nowhere/config'], 'scale-harness: --kubeconfig /nowhere/config: cannot be read'],
    ['an unknown context', ['gate', '--engine', 'k6-operator', '--target', 'http://127.0.0.1:9', '--prometheus', 'http://127.0.0.1:9', '--kubeconfig', path.join(dir, 'kubeconfig'), '--context', 'prod'], 'scale-harness: --context prod: no such context in the kubeconfig'],
    ['a Prometheus that does not answer', ['gate', '--engine', 'k6-operator', '--target', 'http://127.0.0.1:9', '--prometheus', 'http://127.0.0.1:9', '--kubeconfig', path.join(dir, 'kubeconfig'), '--only', 'spike'], 'scale-harness: --prometheus: http://127.0.0.1:9 does not answer queries'],
    ['a queue namespace that is no namespace name', ['gate', '--queue-namespace', 'Kafka NS', '--only', 'spike'], 'scale-harness: --queue-namespace: must be a Kubernetes namespace name (got "Kafka NS")'],
  ];
  writeFileSync(
    path.join(dir, 'kubeconfig'),
    'apiVersion: v1\nkind: Config\nclusters: [{name: rig, cluster: {server: "http://127.0.0.1:9"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: rig, context: {cluster: rig, user: u}}]\ncurrent-context: rig\n',
  );

  for (const [what, argv, line] of cases) {
    it(`refuses ${what} with exit 2, one line and no run folder`, async () => {
      const before = runs();
      const c = capture();
      expect(await main(argv, c.io)).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]!.startsWith(line), c.err[0]).toBe(true);
      expect(runs()).toEqual(before);
    });
  }
});
