/**
 * Finds or provisions the external tools a run needs. Precedence for each tool:
 * 1. an explicit env variable (K6_BIN, TOXIPROXY_BIN, PROMETHEUS_BIN, PROMTOOL_BIN):
 *    used as given, an error if it is missing or too old;
 * 2. a binary on PATH of an adequate version;
 * 3. the pinned build in .tools/bin (or $SCALE_HARNESS_TOOLS_DIR/bin);
 * 4. provisioning: `go build` of the pinned module (k6, Toxiproxy) or Debian's
 *    package through apt-get when running as root (Prometheus, promtool).
 * Provisioning is idempotent and guarded by a lock, so parallel callers build once.
 */
import { access, constants, mkdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { $, which as zxWhich } from 'zx';
import { ToolError } from '../errors.ts';
import { toolsBin, toolsDir } from './dirs.ts';
import { builtVersion, goBuild, type GoBuildOptions, type Log } from './gobuild.ts';
import { aptInstall } from './apt.ts';
import {
  buildStamp,
  K6,
  PROMETHEUS_MIN_VERSION,
  TOXIPROXY,
  parseVersion,
  versionAtLeast,
  type GoToolSpec,
} from './versions.ts';

export type ToolName = 'k6' | 'toxiproxy' | 'prometheus' | 'promtool';

export interface ToolInfo {
  name: string;
  path: string;
  version: string;
  /** Where it came from: env, path, built, provisioned. */
  origin: 'env' | 'path' | 'built' | 'provisioned';
}

/** A tool built from a pinned Go module, and where else it may be found first. */
export interface GoTool {
  spec: GoToolSpec;
  /** Env variable naming a binary to use as given. */
  env: string;
  /** Names to look for on PATH. */
  pathNames: string[];
  /** How its build differs from the default (its own go.mod, nice). */
  build?: GoBuildOptions;
}

const GO_TOOLS: Record<'k6' | 'toxiproxy', GoTool> = {
  k6: { spec: K6, env: 'K6_BIN', pathNames: ['k6'] },
  toxiproxy: { spec: TOXIPROXY, env: 'TOXIPROXY_BIN', pathNames: ['toxiproxy-server'] },
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
  return zxWhich(name, { nothrow: true });
}

/** Runs `bin args` (through zx, 20 s at most) and returns the x.y.z in what it prints, or null. */
export async function probeVersion(bin: string, args: string[]): Promise<string | null> {
  const r = await $({ nothrow: true, quiet: true, timeout: '20s' })`${bin} ${args}`;
  return parseVersion(`${r.stdout}\n${r.stderr}`);
}

async function withLock<T>(name: string, log: Log, fn: () => Promise<T>): Promise<T> {
  await mkdir(toolsDir(), { recursive: true });
  const lock = path.join(toolsDir(), `.lock-${name}`);
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

async function fromEnv(name: string, envVar: string, minVersion: string, versionArgs: string[]): Promise<ToolInfo | null> {
  const p = process.env[envVar];
  if (!p) return null;
  if (!(await isExecutable(p))) throw new ToolError(`${envVar}=${p}: not an executable file`);
  const v = await probeVersion(p, versionArgs);
  if (!v || !versionAtLeast(v, minVersion)) {
    throw new ToolError(`${envVar}=${p}: version ${v ?? 'unknown'} is older than the ${minVersion} this harness needs`);
  }
  return { name, path: p, version: v, origin: 'env' };
}

async function fromPath(name: string, names: string[], minVersion: string, versionArgs: string[]): Promise<ToolInfo | null> {
  for (const n of names) {
    const p = await which(n);
    if (!p) continue;
    const v = await probeVersion(p, versionArgs);
    if (v && versionAtLeast(v, minVersion)) return { name, path: p, version: v, origin: 'path' };
  }
  return null;
}

/** Finds or builds a pinned Go tool (env, PATH, the pinned build, `go build`). */
export async function ensureGoTool(tool: GoTool, log: Log = defaultLog): Promise<ToolInfo> {
  const { spec, env, pathNames } = tool;
  const name = spec.name;
  const found =
    (await fromEnv(name, env, spec.minVersion, spec.versionArgs)) ??
    (await fromPath(name, pathNames, spec.minVersion, spec.versionArgs));
  if (found) return found;
  const binDir = toolsBin();
  const bin = path.join(binDir, spec.name);
  const ready = async () => (await builtVersion(binDir, spec)) === buildStamp(spec) && (await isExecutable(bin));
  if (await ready()) return { name, path: bin, version: spec.version.replace(/^v/, ''), origin: 'built' };
  return withLock(name, log, async () => {
    if (await ready()) return { name, path: bin, version: spec.version.replace(/^v/, ''), origin: 'built' };
    const built = await goBuild(spec, binDir, path.join(toolsDir(), 'build'), log, tool.build);
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
  return ensureGoTool(GO_TOOLS[name], log);
}

/** Provisions several tools in order (Go builds share the build cache, so sequential is fastest). */
export async function ensureTools(names: ToolName[], opts: { log?: Log } = {}): Promise<Record<string, ToolInfo>> {
  const out: Record<string, ToolInfo> = {};
  for (const n of names) out[n] = await ensureTool(n, opts);
  return out;
}
