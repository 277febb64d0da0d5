/**
 * A real Kubernetes API server on loopback for the k8s tests: kine (etcd API over a SQLite file
 * in a temp dir) and kube-apiserver pointed at it, with a static admin token (system:masters) and
 * a self-signed serving certificate. No kubelet, scheduler or controller-manager: objects are
 * stored, validated, admitted and watched, nothing reconciles them unless a controller is started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ensureKubernetesTools } from '../../src/tools/k8s.ts';
import { freePort } from '../../src/util/net.ts';

export interface K8sRig {
  /** https://127.0.0.1:<port> */
  server: string;
  token: string;
  /** A kubeconfig (context "rig", namespace "default") for clients of this server. */
  kubeconfig: string;
  kubeconfigPath: string;
  dir: string;
  stop(): Promise<void>;
  /** The last lines each process wrote, for failure messages. */
  logs(): Promise<string>;
}

function kubeconfigText(server: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: rig',
    '  cluster:',
    `    server: ${server}`,
    // The serving certificate is self-signed by kube-apiserver at start, on loopback only.
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: rig',
    '  context:',
    '    cluster: rig',
    '    user: admin',
    '    namespace: default',
    'current-context: rig',
    '',
  ].join('\n');
}

/** GET `url` with the bearer token, accepting the self-signed certificate; resolves the status. */
function getStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(url, { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

function exited(p: ChildProcess): boolean {
  return p.exitCode !== null || p.signalCode !== null;
}

async function stopProcess(p: ChildProcess, graceMs: number): Promise<void> {
  if (exited(p)) return;
  const gone = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

async function tail(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Starts kine and kube-apiserver and waits for /readyz (at most `readyMs`). */
export async function startK8sRig(opts: { readyMs?: number; log?: (l: string) => void } = {}): Promise<K8sRig> {
  const { kine, apiserver } = await ensureKubernetesTools(opts.log);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scale-harness-k8s-'));
  const token = randomBytes(16).toString('hex');
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  await mkdir(path.join(dir, 'certs'));
  await writeFile(path.join(dir, 'sa.key'), keys.privateKey, { mode: 0o600 });
  await writeFile(path.join(dir, 'sa.pub'), keys.publicKey);
  await writeFile(path.join(dir, 'tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  const kinePort = await freePort();
  const port = await freePort();
  const procs: ChildProcess[] = [];
  const start = (bin: string, args: string[], name: string) => {
    const out = createWriteStream(path.join(dir, `${name}.log`));
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout?.pipe(out);
    p.stderr?.pipe(out);
    procs.push(p);
    return p;
  };
  const kill = () => procs.forEach((p) => exited(p) || p.kill('SIGKILL'));
  process.once('exit', kill);
  let stopped = false;
  const logs = async () => `kine:\n${await tail(path.join(dir, 'kine.log'), 5)}\nkube-apiserver:\n${await tail(path.join(dir, 'kube-apiserver.log'), 15)}`;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.slice().reverse().map((p) => stopProcess(p, 10_000)));
    process.removeListener('exit', kill);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    start(kine.path, ['--listen-address', `127.0.0.1:${kinePort}`, '--endpoint', `sqlite://${path.join(dir, 'state.db')}?_journal=WAL&cache=shared`, '--metrics-bind-address', '0'], 'kine');
    const api = start(apiserver.path, [
      `--etcd-servers=http://127.0.0.1:${kinePort}`,
      '--bind-address=127.0.0.1',
      // No kubelet or Service endpoints here: the `kubernetes` Service's endpoints are not kept.
      '--endpoint-reconciler-type=none',
      `--secure-port=${port}`,
      `--cert-dir=${path.join(dir, 'certs')}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/16',
      // Fewer background controllers on a 2-core machine; nothing here needs them.
      '--enable-priority-and-fairness=false',
      '--profiling=false',
    ], 'kube-apiserver');
    const server = `https://127.0.0.1:${port}`;
    const deadline = Date.now() + (opts.readyMs ?? 120_000);
    let status = 0;
    while (Date.now() < deadline && !exited(api)) {
      status = await getStatus(`${server}/readyz`, token);
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (status !== 200) throw new Error(`kube-apiserver did not become ready (last /readyz status ${status})\n${await logs()}`);
    const kubeconfig = kubeconfigText(server, token);
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    return { server, token, kubeconfig, kubeconfigPath, dir, stop, logs };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The real k6-operator (built from its source), watching the rig's default namespace. */
export async function startOperator(rig: K8sRig): Promise<ChildProcess> {
  const { ensureK6Operator } = await import('../../src/tools/k8s.ts');
  const { toolsBin, toolsDir } = await import('../../src/tools/dirs.ts');
  const bin = await ensureK6Operator(toolsBin(), path.join(toolsDir(), 'build'), (l) => process.stderr.write(`[k6-operator] ${l}\n`));
  if (!bin) throw new Error('k6-operator source not found: set K6_OPERATOR_SRC to k6-operator-src-e2c9571ac480.tar.gz');
  return spawn(bin, ['--metrics-bind-address=0', '--health-probe-bind-address=0'], {
    env: { ...process.env, KUBECONFIG: rig.kubeconfigPath, WATCH_NAMESPACE: 'default' },
    stdio: 'ignore',
  });
}
