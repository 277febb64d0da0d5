/**
 * Is a container engine reachable? testcontainers' own strategies decide (its properties file,
 * DOCKER_HOST, the default socket, rootless and Podman sockets), so the answer matches what it
 * would use to start containers. A DOCKER_HOST that does not answer is a "no" of its own:
 * testcontainers would quietly move on to the default socket, which is not what the user named.
 */
import http from 'node:http';
import { getContainerRuntimeClient } from 'testcontainers';

export type EngineCheck = { ok: true; engine: string } | { ok: false; why: string };

/** GET /_ping on a unix:// or tcp:// DOCKER_HOST; null when something answers, else why not. */
export function pingDockerHost(dockerHost: string, timeoutMs: number): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(dockerHost);
  } catch {
    return Promise.resolve('not a URL');
  }
  if (u.protocol !== 'unix:' && u.protocol !== 'tcp:') return Promise.resolve(null);
  const where = u.protocol === 'unix:' ? { socketPath: u.pathname } : { host: u.hostname, port: Number(u.port || 2375) };
  return new Promise((resolve) => {
    const req = http.get({ ...where, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(null);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Asks testcontainers for a working engine; at most `timeoutMs`. */
export async function detectEngine(timeoutMs = 10_000): Promise<EngineCheck> {
  if (process.env.DOCKER_HOST) {
    const dead = await pingDockerHost(process.env.DOCKER_HOST, timeoutMs);
    if (dead !== null) return { ok: false, why: `no container engine answers at DOCKER_HOST=${process.env.DOCKER_HOST} (${dead})` };
  }
  const where = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : 'the default Docker socket';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<EngineCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `no container engine answered at ${where} within ${timeoutMs / 1000} s` }), timeoutMs);
  });
  const probe = getContainerRuntimeClient().then(
    (client): EngineCheck => ({ ok: true, engine: `${client.info.containerRuntime.host} (${client.info.containerRuntime.remoteSocketPath ?? 'socket'})` }),
    (err: unknown): EngineCheck => ({ ok: false, why: `no container engine reachable at ${where} (${(err as Error).message})` }),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
