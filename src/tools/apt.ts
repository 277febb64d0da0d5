/** Installs a Debian package when that is possible here (root, apt-get present). */
import { spawn } from 'node:child_process';
import type { Log } from './gobuild.ts';

function run(cmd: string, args: string[], log: Log): Promise<{ code: number; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    let tail = '';
    const onData = (d: Buffer) => {
      const text = d.toString();
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n')) if (/^(Get|Setting up|Unpacking)/.test(line)) log(`  ${line.slice(0, 100)}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => resolve({ code: -1, tail: err.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, tail }));
  });
}

export async function aptInstall(pkg: string, log: Log): Promise<{ ok: boolean; why: string }> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, why: 'not root, so apt-get was not tried' };
  log(`installing Debian package ${pkg} with apt-get (first use only)`);
  let r = await run('apt-get', ['install', '-y', '--no-install-recommends', pkg], log);
  if (r.code !== 0) {
    log('apt-get install failed; running apt-get update once and retrying');
    await run('apt-get', ['update'], log);
    r = await run('apt-get', ['install', '-y', '--no-install-recommends', pkg], log);
  }
  if (r.code !== 0) return { ok: false, why: `apt-get install ${pkg} failed: ${r.tail.trim().split('\n').slice(-1)[0] ?? ''}` };
  return { ok: true, why: '' };
}
