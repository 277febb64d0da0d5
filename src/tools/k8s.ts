/**
 * A real Kubernetes API server for the tests: kine (an etcd API over SQLite) and kube-apiserver,
 * built with Go into .tools/bin on first use like k6. k8s.io/kubernetes cannot be built with
 * `go install` (its go.mod replaces 33 staging modules with `./staging/...`), so the throw-away
 * module requires it and replaces each staging module with its published v0.x.y, the list read
 * from that version's own go.mod in the module cache. Both builds take minutes of every core, so
 * they run at `nice -n 19`.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { PROJECT_ROOT } from '../util/paths.ts';
import { ToolError } from '../errors.ts';
import { ensureGoTool, type GoTool, type ToolInfo } from './index.ts';
import type { Log } from './gobuild.ts';
import type { GoToolSpec } from './versions.ts';

const KUBERNETES_VERSION = 'v1.37.2';
/** Staging modules are published as v0.<minor>.<patch> of the Kubernetes release. */
const STAGING_VERSION = KUBERNETES_VERSION.replace(/^v1\./, 'v0.');
const VERSION_PKG = 'k8s.io/component-base/version';

export const KINE: GoToolSpec = {
  name: 'kine',
  module: 'github.com/k3s-io/kine',
  version: 'v0.17.5',
  pkg: 'github.com/k3s-io/kine',
  minVersion: '0.17.0',
  versionArgs: ['--version'],
  ldflags: '-X github.com/k3s-io/kine/pkg/version.Version=v0.17.5',
  // SQLite through mattn/go-sqlite3.
  cgo: true,
};

export const KUBE_APISERVER: GoToolSpec = {
  name: 'kube-apiserver',
  module: 'k8s.io/kubernetes',
  version: KUBERNETES_VERSION,
  pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
  minVersion: '1.30.0',
  versionArgs: ['--version'],
  // Without it the server reports v0.0.0-master.
  ldflags: `-X ${VERSION_PKG}.gitVersion=${KUBERNETES_VERSION} -X ${VERSION_PKG}.gitMajor=1 -X ${VERSION_PKG}.gitMinor=${KUBERNETES_VERSION.split('.')[1]}`,
};

/** The `k8s.io/X => ./staging/...` replace targets and the go directive of k8s.io/kubernetes's go.mod. */
export function stagingModules(goMod: string): { modules: string[]; goDirective: string } {
  const modules = [...goMod.matchAll(/^\s*(?:replace\s+)?(k8s\.io\/[\w.-]+)\s*=>\s*\.\/staging\//gm)].map((m) => m[1] ?? '');
  const goDirective = /^go\s+(\S+)/m.exec(goMod)?.[1] ?? '1.26.0';
  return { modules: [...new Set(modules)].filter(Boolean), goDirective };
}

/** The wrapper go.mod: require k8s.io/kubernetes, replace each staging module by its release. */
export function wrapperGoMod(spec: GoToolSpec, goMod: string): string {
  const { modules, goDirective } = stagingModules(goMod);
  const replaces = modules.map((m) => `\t${m} => ${m} ${STAGING_VERSION}`).join('\n');
  return `module scaleharness.local/build/${spec.name}\n\ngo ${goDirective}\n\nrequire ${spec.module} ${spec.version}\n\nreplace (\n${replaces}\n)\n`;
}

async function kubernetesGoMod(go: string, dir: string): Promise<string> {
  const r = await $({ cwd: dir, nothrow: true, quiet: true, env: { ...process.env, GOFLAGS: '-mod=mod' } })`${go} mod download -json ${`${KUBE_APISERVER.module}@${KUBE_APISERVER.version}`}`;
  const goModPath = r.ok ? (JSON.parse(r.stdout) as { GoMod?: string }).GoMod : undefined;
  if (!goModPath) throw new ToolError(`kube-apiserver: go mod download ${KUBE_APISERVER.module}@${KUBE_APISERVER.version} failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  const text = await readFile(goModPath, 'utf8');
  if (stagingModules(text).modules.length === 0) throw new ToolError(`kube-apiserver: no staging replace lines in ${goModPath}`);
  return text;
}

const TOOLS: Record<'kine' | 'kube-apiserver', GoTool> = {
  kine: { spec: KINE, env: 'KINE_BIN', pathNames: ['kine'], build: { nice: true } },
  'kube-apiserver': {
    spec: KUBE_APISERVER,
    env: 'KUBE_APISERVER_BIN',
    pathNames: ['kube-apiserver'],
    build: { nice: true, modText: async (go, dir) => wrapperGoMod(KUBE_APISERVER, await kubernetesGoMod(go, dir)) },
  },
};

/** Finds or builds kine and kube-apiserver (sequentially: they share the build cache). */
export async function ensureKubernetesTools(log?: Log): Promise<{ kine: ToolInfo; apiserver: ToolInfo }> {
  const kine = await ensureGoTool(TOOLS.kine, log);
  const apiserver = await ensureGoTool(TOOLS['kube-apiserver'], log);
  return { kine, apiserver };
}

/** A CustomResourceDefinition published inside a Go module (fetched through the module proxy). */
export interface ModuleCrd {
  module: string;
  version: string;
  /** Path of the CRD YAML inside the module. */
  file: string;
}

export const KEDA_SCALEDOBJECT_CRD: ModuleCrd = { module: 'github.com/kedacore/keda/v2', version: 'v2.21.0', file: 'config/crd/bases/keda.sh_scaledobjects.yaml' };
export const PROMETHEUSRULE_CRD: ModuleCrd = {
  module: 'github.com/prometheus-operator/prometheus-operator',
  version: 'v0.85.0',
  file: 'example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
};

/** Downloads `crd.module@crd.version` into the Go module cache (once) and returns the CRD's YAML. */
export async function crdFromModule(crd: ModuleCrd): Promise<string> {
  const go = process.env.GO_BIN ?? 'go';
  const r = await $({ nothrow: true, quiet: true, timeout: '300s', env: { ...process.env, GOFLAGS: '-mod=mod' } })`${go} mod download -json ${`${crd.module}@${crd.version}`}`;
  const dir = r.ok ? (JSON.parse(r.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new ToolError(`${crd.module}@${crd.version}: go mod download failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  return readFile(path.join(dir, crd.file), 'utf8');
}

/** The first of the env-named file and the vendor folder next to the project that exists, or null. */
async function vendorFile(envVar: string, file: string): Promise<{ found: string | null; looked: string[] }> {
  const looked = [process.env[envVar], ...[['..'], ['..', '..']].map((up) => path.resolve(PROJECT_ROOT, ...up, 'shared', 'vendor', file))].filter((c): c is string => Boolean(c));
  for (const c of looked) if (await access(c).then(() => true, () => false)) return { found: c, looked };
  return { found: null, looked };
}

/**
 * The k6-operator TestRun CRD: the Go module proxy does not serve k6-operator, so it comes from
 * the vendor folder next to the project (K6_OPERATOR_CRD names the file directly).
 */
export async function testRunCrd(): Promise<string> {
  const { found, looked } = await vendorFile('K6_OPERATOR_CRD', 'k6.io_testruns.yaml');
  if (!found) throw new ToolError(`k6-operator TestRun CRD not found (looked at ${looked.join(', ')}); set K6_OPERATOR_CRD to k6.io_testruns.yaml`);
  return readFile(found, 'utf8');
}

/** The k6-operator source the operator is built from (commit e2c9571ac480, after v1.6.0). */
export const K6_OPERATOR_SOURCE = 'k6-operator-src-e2c9571ac480.tar.gz';

/**
 * Builds k6-operator's manager (`cmd/main.go`) from its source tarball (K6_OPERATOR_SRC, or the
 * vendor folder) into the tools dir, its dependencies from the Go module proxy; null when no
 * source is at hand.
 */
export async function ensureK6Operator(binDir: string, buildRoot: string, log: Log): Promise<string | null> {
  const bin = path.join(binDir, 'k6-operator');
  const stamp = `${bin}.version`;
  if ((await readFile(stamp, 'utf8').catch(() => '')).trim() === K6_OPERATOR_SOURCE) return bin;
  const { found } = await vendorFile('K6_OPERATOR_SRC', K6_OPERATOR_SOURCE);
  if (!found) return null;
  const dir = path.join(buildRoot, 'k6-operator-src');
  await $({ quiet: true })`mkdir -p ${dir} ${binDir}`;
  await $({ quiet: true })`tar -xzf ${found} -C ${dir} --strip-components=1`;
  const started = Date.now();
  log(`building k6-operator from ${path.basename(found)} (first use only)`);
  const r = await $({ cwd: dir, nothrow: true, quiet: true, env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' } })`nice -n 19 ${process.env.GO_BIN ?? 'go'} build -trimpath -o ${bin} ./cmd`;
  if (!r.ok) throw new ToolError(`k6-operator: go build failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  await writeFile(stamp, `${K6_OPERATOR_SOURCE}\n`);
  log(`built ${bin} in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}
