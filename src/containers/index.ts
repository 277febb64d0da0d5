/**
 * What a run asks of the container backend: whether to use it (the flag, else
 * SCALE_HARNESS_CONTAINERS, else `auto`: where an engine answers), and the backend itself.
 */
import { InputError, ToolError } from '../errors.ts';
import { containerMode, detectEngine, ENGINE_HOWTO } from './engine.ts';

export { startContainerBackend, type ContainerBackend, type ContainerBackendOptions } from './backend.ts';
export { dashboardUrl } from './url.ts';

/**
 * True when the run should start its Prometheus and Grafana as containers. `--containers` with
 * no engine is a tool error (exit 4) with a how-to; `auto` with none says so in one line.
 */
export async function useContainers(flag: boolean | undefined, log: (line: string) => void): Promise<boolean> {
  const mode = containerMode(flag);
  if (mode === null) throw new InputError(`SCALE_HARNESS_CONTAINERS: must be auto, on or off (got ${JSON.stringify(process.env.SCALE_HARNESS_CONTAINERS)})`);
  if (mode === 'off') return false;
  const engine = await detectEngine();
  if (engine.ok) {
    log(`containers: engine at ${engine.engine}; Prometheus and Grafana run as containers`);
    return true;
  }
  if (mode === 'on') throw new ToolError(`--containers: ${engine.why}; ${ENGINE_HOWTO}`);
  log(`containers: ${engine.why}; using local processes, no Grafana`);
  return false;
}
