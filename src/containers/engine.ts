/**
 * Is a container engine reachable? testcontainers' own strategies decide (its properties file,
 * DOCKER_HOST, the default socket, rootless and Podman sockets), so the answer matches what it
 * would use to start containers.
 */
import { getContainerRuntimeClient } from 'testcontainers';

export type ContainerMode = 'auto' | 'on' | 'off';

export type EngineCheck = { ok: true; engine: string } | { ok: false; why: string };

/** The how-to printed when containers are wanted and no engine answers. */
export const ENGINE_HOWTO =
  'start Docker (or Podman with its Docker-compatible socket) and check `docker info`, or set DOCKER_HOST; without --containers the harness uses local processes';

/** Asks testcontainers for a working engine; at most `timeoutMs`. */
export async function detectEngine(timeoutMs = 10_000): Promise<EngineCheck> {
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

/**
 * The mode from the flag or SCALE_HARNESS_CONTAINERS (`auto`, `on`, `off`); `auto` when neither
 * says. Returns null for an unknown value, so the caller can name it.
 */
export function containerMode(flag: boolean | undefined, env = process.env.SCALE_HARNESS_CONTAINERS): ContainerMode | null {
  if (flag === true) return 'on';
  if (flag === false) return 'off';
  if (env === undefined || env === '') return 'auto';
  return env === 'auto' || env === 'on' || env === 'off' ? env : null;
}
