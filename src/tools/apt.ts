/** Installs a Debian package when that is possible here (root, apt-get present), through zx's `$`. */
import { $ } from 'zx';
import type { Log } from './gobuild.ts';

/** apt-get's progress lines worth showing (one per package fetched, unpacked, set up). */
const PROGRESS = /^(Get|Setting up|Unpacking)/;

async function aptGet(args: string[], log: Log): Promise<{ ok: boolean; tail: string }> {
  const p = $({ nothrow: true, quiet: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })`apt-get ${args}`;
  let tail = '';
  const onData = (d: Buffer) => {
    const text = d.toString();
    tail = (tail + text).slice(-2000);
    for (const line of text.split('\n')) if (PROGRESS.test(line)) log(`  ${line.slice(0, 100)}`);
  };
  p.stdout.on('data', onData);
  p.stderr.on('data', onData);
  const r = await p;
  return { ok: r.ok, tail };
}

export async function aptInstall(pkg: string, log: Log): Promise<{ ok: boolean; why: string }> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, why: 'not root, so apt-get was not tried' };
  log(`installing Debian package ${pkg} with apt-get (first use only)`);
  const install = ['install', '-y', '--no-install-recommends', pkg];
  let r = await aptGet(install, log);
  if (!r.ok) {
    log('apt-get install failed; running apt-get update once and retrying');
    await aptGet(['update'], log);
    r = await aptGet(install, log);
  }
  if (!r.ok) return { ok: false, why: `apt-get install ${pkg} failed: ${r.tail.trim().split('\n').slice(-1)[0] ?? ''}` };
  return { ok: true, why: '' };
}
