/**
 * What a run asks of the container backend: whether to use it (the flag, else
 * SCALE_HARNESS_CONTAINERS, else `auto`: where an engine answers), and the backend itself.
 * testcontainers is loaded only when containers may be used (its import takes about 0.5 s).
 */
import { InputError, ToolError } from '../errors.ts';
import type { ContainerBackend, ContainerBackendOptions } from './backend.ts';

export type { ContainerBackend, ContainerBackendOptions } from './backend.ts';
export { dashboardUrl } from './url.ts';

export type ContainerMode = 'auto' | 'on' | 'off';

/** The how-to printed when containers are wanted and no engine answers. */
export const ENGINE_HOWTO =
  'start Docker (or Podman with its Docker-compatible socket) and check `docker info`, or set DOCKER_HOST; without --containers the harness uses local processes';

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

/**
 * True when the run should start its Prometheus and Grafana as containers. `--containers` with
 * no engine is a tool error (exit 4) with a how-to; `auto` with none says so in one line.
 */
export async function useContainers(flag: boolean | undefined, log: (line: string) => void): Promise<boolean> {
  const mode = containerMode(flag);
  if (mode === null) throw new InputError(`SCALE_HARNESS_CONTAINERS: must be auto, on or off (got ${JSON.stringify(process.env.SCALE_HARNESS_CONTAINERS)})`);
  if (mode === 'off') return false;
  const engine = await (await import('./engine.ts')).detectEngine();
  if (engine.ok) {
    log(`containers: engine at ${engine.engine}; Prometheus and Grafana run as containers`);
    return true;
  }
  if (mode === 'on') throw new ToolError(`--containers: ${engine.why}; ${ENGINE_HOWTO}`);
  log(`containers: ${engine.why}; using local processes, no Grafana`);
  return false;
}

/** Starts Grafana (and Prometheus unless one is given) as containers; see backend.ts. */
export async function startContainerBackend(opts: ContainerBackendOptions = {}): Promise<ContainerBackend> {
  return (await import('./backend.ts')).startContainerBackend(opts);
}
