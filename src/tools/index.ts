/**
 * Finds or provisions the external tools a run needs. Precedence for each tool:
 * 1. an explicit env variable (K6_BIN, TOXIPROXY_BIN, PROMETHEUS_BIN, PROMTOOL_BIN, ACTIONLINT_BIN):
 *    used as given, an error if it is missing or too old;
 * 2. a binary on PATH of an adequate version;
 * 3. the pinned build in .tools/bin;
 * 4. provisioning: `go build` of the pinned module (k6, Toxiproxy, actionlint) or Debian's
 *    package through apt-get when running as root (Prometheus, promtool).
 * Provisioning is idempotent and guarded by a lock, so parallel callers build once.
 */
import { execFile } from 'node:child_process';
import { access, constants, mkdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ToolError } from '../errors.ts';
import { TOOLS_BIN, TOOLS_DIR } from '../util/paths.ts';
import { builtVersion, goBuild, type Log } from './gobuild.ts';
import { aptInstall } from './apt.ts';
import {
  ACTIONLINT,
  buildStamp,
  K6,
  PROMETHEUS_MIN_VERSION,
  TOXIPROXY,
  parseVersion,
  versionAtLeast,
  type GoToolSpec,
} from './versions.ts';

const execFileP = promisify(execFile);

export type ToolName = 'k6' | 'toxiproxy' | 'actionlint' | 'prometheus' | 'promtool';

export interface ToolInfo {
  name: ToolName;
  path: string;
  version: string;
  /** Where it came from: env, path, built, provisioned. */
  origin: 'env' | 'path' | 'built' | 'provisioned';
}

const GO_TOOLS: Record<'k6' | 'toxiproxy' | 'actionlint', { spec: GoToolSpec; env: string; pathNames: string[] }> = {
  k6: { spec: K6, env: 'K6_BIN', pathNames: ['k6'] },
  toxiproxy: { spec: TOXIPROXY, env: 'TOXIPROXY_BIN', pathNames: ['toxiproxy-server'] },
  actionlint: { spec: ACTIONLINT, env: 'ACTIONLINT_BIN', pathNames: ['actionlint'] },
};

const defaultLog: Log = (line) => process.stderr.write(`[tools] ${line}\n`);

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Finds `name` on PATH. */
export async function which(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (await isExecutable(p)) return p;
  }
  return null;
}

/** Runs `bin args` and returns the x.y.z in what it prints, or null. */
export async function probeVersion(bin: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await execFileP(bin, args, { timeout: 20_000 });
    return parseVersion(`${stdout}\n${stderr}`);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return parseVersion(`${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

async function withLock<T>(name: string, log: Log, fn: () => Promise<T>): Promise<T> {
  await mkdir(TOOLS_DIR, { recursive: true });
  const lock = path.join(TOOLS_DIR, `.lock-${name}`);
  const deadline = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 30 * 60_000) {
        await rmdir(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new ToolError(`${name}: another process has held ${lock} for too long; remove it if no build is running`);
      if (!told) log(`waiting for another process that is provisioning ${name}...`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

async function fromEnv(name: ToolName, envVar: string, minVersion: string, versionArgs: string[]): Promise<ToolInfo | null> {
  const p = process.env[envVar];
  if (!p) return null;
  if (!(await isExecutable(p))) throw new ToolError(`${envVar}=${p}: not an executable file`);
  const v = await probeVersion(p, versionArgs);
  if (!v || !versionAtLeast(v, minVersion)) {
    throw new ToolError(`${envVar}=${p}: version ${v ?? 'unknown'} is older than the ${minVersion} this harness needs`);
  }
  return { name, path: p, version: v, origin: 'env' };
}

async function fromPath(name: ToolName, names: string[], minVersion: string, versionArgs: string[]): Promise<ToolInfo | null> {
  for (const n of names) {
    const p = await which(n);
    if (!p) continue;
    const v = await probeVersion(p, versionArgs);
    if (v && versionAtLeast(v, minVersion)) return { name, path: p, version: v, origin: 'path' };
  }
  return null;
}

async function ensureGoTool(name: 'k6' | 'toxiproxy' | 'actionlint', log: Log): Promise<ToolInfo> {
  const { spec, env, pathNames } = GO_TOOLS[name];
  const found =
    (await fromEnv(name, env, spec.minVersion, spec.versionArgs)) ??
    (await fromPath(name, pathNames, spec.minVersion, spec.versionArgs));
  if (found) return found;
  const bin = path.join(TOOLS_BIN, spec.name);
  const ready = async () => (await builtVersion(TOOLS_BIN, spec)) === buildStamp(spec) && (await isExecutable(bin));
  if (await ready()) return { name, path: bin, version: spec.version.replace(/^v/, ''), origin: 'built' };
  return withLock(name, log, async () => {
    if (await ready()) return { name, path: bin, version: spec.version.replace(/^v/, ''), origin: 'built' };
    const built = await goBuild(spec, TOOLS_BIN, path.join(TOOLS_DIR, 'build'), log);
    return { name, path: built, version: spec.version.replace(/^v/, ''), origin: 'provisioned' };
  });
}

async function ensurePrometheusTool(name: 'prometheus' | 'promtool', log: Log): Promise<ToolInfo> {
  const env = name === 'prometheus' ? 'PROMETHEUS_BIN' : 'PROMTOOL_BIN';
  const args = ['--version'];
  const found =
    (await fromEnv(name, env, PROMETHEUS_MIN_VERSION, args)) ??
    (await fromPath(name, [name], PROMETHEUS_MIN_VERSION, args));
  if (found) return found;
  return withLock('prometheus', log, async () => {
    const again = await fromPath(name, [name], PROMETHEUS_MIN_VERSION, args);
    if (again) return again;
    const installed = await aptInstall('prometheus', log);
    if (!installed.ok) {
      throw new ToolError(
        `${name}: not found (need ${PROMETHEUS_MIN_VERSION}+ for native histograms); install it with 'sudo apt-get install prometheus' or set ${env} to its binary (${installed.why})`,
      );
    }
    const p = (await fromPath(name, [name], PROMETHEUS_MIN_VERSION, args)) ?? (await fromPath(name, [`/usr/bin/${name}`], PROMETHEUS_MIN_VERSION, args));
    if (!p) throw new ToolError(`${name}: apt-get installed prometheus but no adequate ${name} is on PATH; set ${env}`);
    return { ...p, origin: 'provisioned' };
  });
}

/** Finds or provisions one tool; throws ToolError with a one-line how-to when it can't. */
export async function ensureTool(name: ToolName, opts: { log?: Log } = {}): Promise<ToolInfo> {
  const log = opts.log ?? defaultLog;
  if (name === 'prometheus' || name === 'promtool') return ensurePrometheusTool(name, log);
  return ensureGoTool(name, log);
}

/** Provisions several tools in order (Go builds share the build cache, so sequential is fastest). */
export async function ensureTools(names: ToolName[], opts: { log?: Log } = {}): Promise<Record<string, ToolInfo>> {
  const out: Record<string, ToolInfo> = {};
  for (const n of names) out[n] = await ensureTool(n, opts);
  return out;
}
