/**
 * Builds a pinned Go tool into .tools/bin. A throw-away module that requires the tool's module
 * at its pinned version is built with `go build -mod=mod`: unlike `go install pkg@version`, this
 * does not ask the module proxy for the module's version list (which the proxy on these machines
 * does not always serve), and it builds exactly the pinned version. Commands run through zx's
 * `$`, which quotes every interpolated argument.
 */
import { mkdir, writeFile, rm, rename, readFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { ToolError } from '../errors.ts';
import { buildStamp, type GoToolSpec } from './versions.ts';

export type Log = (line: string) => void;

/** Path of the stamp file recording which pinned version a binary was built from. */
export function stampPath(binDir: string, spec: GoToolSpec): string {
  return path.join(binDir, `${spec.name}.version`);
}

export async function builtVersion(binDir: string, spec: GoToolSpec): Promise<string | null> {
  try {
    return (await readFile(stampPath(binDir, spec), 'utf8')).trim();
  } catch {
    return null;
  }
}

/** The `go build` arguments for `spec`, writing the binary to `out`. */
export function goBuildArgs(spec: GoToolSpec, out: string): string[] {
  const ld = spec.ldflags ? [`-ldflags=${spec.ldflags}`] : [];
  return ['build', '-mod=mod', '-trimpath', ...ld, '-o', out, spec.pkg];
}

/** The go.mod of the throw-away module that pins `spec`. */
export function goModText(spec: GoToolSpec): string {
  return `module scaleharness.local/build/${spec.name}\n\ngo 1.23\n\nrequire ${spec.module} ${spec.version}\n`;
}

/** How a build differs from the default throw-away module. */
export interface GoBuildOptions {
  /** The throw-away module's go.mod (default: goModText(spec)); may be computed once Go is known. */
  modText?: (go: string, dir: string) => Promise<string>;
  /** Run the compiler at the lowest CPU priority (`nice -n 19`), for builds of many minutes. */
  nice?: boolean;
}

/** Builds `spec` into `binDir/<name>`; reports progress through `log` every 15 s. */
export async function goBuild(spec: GoToolSpec, binDir: string, buildRoot: string, log: Log, opts: GoBuildOptions = {}): Promise<string> {
  const go = process.env.GO_BIN ?? 'go';
  const probe = await $({ nothrow: true, quiet: true, timeout: '20s' })`${go} version`;
  if (!probe.ok) {
    throw new ToolError(
      `${spec.name}: Go is needed to build ${spec.module}@${spec.version} and was not found (${go}); install Go 1.25+ or set K6_BIN/TOXIPROXY_BIN to a binary`,
    );
  }
  const dir = path.join(buildRoot, `${spec.name}-${spec.version}`);
  await mkdir(dir, { recursive: true });
  await mkdir(binDir, { recursive: true });
  await writeFile(path.join(dir, 'go.mod'), opts.modText ? await opts.modText(go, dir) : goModText(spec));
  const out = path.join(binDir, `${spec.name}.partial`);
  const started = Date.now();
  log(`building ${spec.name} ${spec.version} from ${spec.module} with ${probe.stdout.trim()} (first use only; a few minutes)`);
  const timer = setInterval(() => {
    log(`  still building ${spec.name}... ${Math.round((Date.now() - started) / 1000)} s`);
  }, 15_000);
  const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: spec.cgo ? '1' : (process.env.CGO_ENABLED ?? '0') };
  const cmd = opts.nice ? ['nice', '-n', '19', go] : [go];
  const result = await $({ cwd: dir, env, nothrow: true, quiet: true })`${cmd} ${goBuildArgs(spec, out)}`.finally(() => clearInterval(timer));
  if (!result.ok) {
    await rm(out, { force: true });
    const last = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-3).join(' | ');
    throw new ToolError(`${spec.name}: go build of ${spec.module}@${spec.version} failed: ${last}`);
  }
  const final = path.join(binDir, spec.name);
  await rename(out, final);
  await writeFile(stampPath(binDir, spec), `${buildStamp(spec)}\n`);
  log(`built ${final} in ${Math.round((Date.now() - started) / 1000)} s`);
  return final;
}
