/**
 * Builds a pinned Go tool into .tools/bin. A throw-away module that requires the tool's module
 * at its pinned version is built with `go build -mod=mod`: unlike `go install pkg@version`, this
 * does not ask the module proxy for the module's version list (which the proxy on these machines
 * does not always serve), and it builds exactly the pinned version.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile, rm, rename, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.ts';
import { buildStamp, type GoToolSpec } from './versions.ts';

export type Log = (line: string) => void;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: -1, output: String(err.message) }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

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

/** Builds `spec` into `binDir/<name>`; reports progress through `log` every 15 s. */
export async function goBuild(spec: GoToolSpec, binDir: string, buildRoot: string, log: Log): Promise<string> {
  const go = process.env.GO_BIN ?? 'go';
  const probe = await run(go, ['version'], process.cwd(), process.env);
  if (probe.code !== 0) {
    throw new ToolError(
      `${spec.name}: Go is needed to build ${spec.module}@${spec.version} and was not found (${go}); install Go 1.25+ or set K6_BIN/TOXIPROXY_BIN to a binary`,
    );
  }
  const dir = path.join(buildRoot, `${spec.name}-${spec.version}`);
  await mkdir(dir, { recursive: true });
  await mkdir(binDir, { recursive: true });
  await writeFile(
    path.join(dir, 'go.mod'),
    `module scaleharness.local/build/${spec.name}\n\ngo 1.23\n\nrequire ${spec.module} ${spec.version}\n`,
  );
  const out = path.join(binDir, `${spec.name}.partial`);
  const started = Date.now();
  log(`building ${spec.name} ${spec.version} from ${spec.module} with ${probe.output.trim()} (first use only; a few minutes)`);
  const timer = setInterval(() => {
    log(`  still building ${spec.name}... ${Math.round((Date.now() - started) / 1000)} s`);
  }, 15_000);
  let result: { code: number; output: string };
  try {
    const ld = spec.ldflags ? [`-ldflags=${spec.ldflags}`] : [];
    result = await run(go, ['build', '-mod=mod', '-trimpath', ...ld, '-o', out, spec.pkg], dir, {
      ...process.env,
      GOFLAGS: '-mod=mod',
      CGO_ENABLED: process.env.CGO_ENABLED ?? '0',
    });
  } finally {
    clearInterval(timer);
  }
  if (result.code !== 0) {
    await rm(out, { force: true });
    const last = result.output.trim().split('\n').slice(-3).join(' | ');
    throw new ToolError(`${spec.name}: go build of ${spec.module}@${spec.version} failed: ${last}`);
  }
  const final = path.join(binDir, spec.name);
  await rename(out, final);
  await writeFile(stampPath(binDir, spec), `${buildStamp(spec)}\n`);
  log(`built ${final} in ${Math.round((Date.now() - started) / 1000)} s`);
  return final;
}
