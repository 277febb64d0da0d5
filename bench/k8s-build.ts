/**
 * Times the provisioning of the Kubernetes API server rig (kine, kube-apiserver) by the
 * harness's own code into a fresh tools directory, and writes bench/results/k8s-build.json.
 * Cold means empty Go caches too: run it with GOCACHE and GOMODCACHE pointing at empty
 * directories (see bench/results/k8s-build.md); otherwise it measures a warm build (link only).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureKubernetesTools } from '../src/tools/k8s.ts';
import { PROJECT_ROOT } from '../src/util/paths.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'scale-harness-k8s-build-'));
process.env.SCALE_HARNESS_TOOLS_DIR = dir;
const started = Date.now();
const times: Record<string, number> = {};
let last = started;
await ensureKubernetesTools((line) => {
  process.stderr.write(`[k8s-build] ${line}\n`);
  const m = /^built .*\/(kine|kube-apiserver) in/.exec(line);
  if (m?.[1]) {
    times[m[1]] = Math.round((Date.now() - last) / 1000);
    last = Date.now();
  }
});
const result = {
  createdAt: new Date().toISOString(),
  cpus: os.cpus().length,
  goCache: process.env.GOCACHE ?? 'default',
  goModCache: process.env.GOMODCACHE ?? 'default',
  seconds: { ...times, total: Math.round((Date.now() - started) / 1000) },
};
await writeFile(path.join(PROJECT_ROOT, 'bench', 'results', 'k8s-build.json'), `${JSON.stringify(result, null, 2)}\n`);
await rm(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
