/**
 * The container backend: Grafana and (unless a Prometheus is given) Prometheus as containers on
 * one Docker network, started with testcontainers. Grafana is provisioned through its HTTP API
 * with the generated dashboards and the Prometheus datasource. The stack and k6 stay on the
 * host: the containers reach host loopback ports through testcontainers' exposeHostPorts, and k6
 * remote-writes to Prometheus's mapped port. Every container is stopped by `stop()`, and by
 * testcontainers' reaper (Ryuk) if the harness dies first.
 */
import { randomBytes } from 'node:crypto';
import { GenericContainer, Network, TestContainers, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { ToolError } from '../errors.ts';
import { prometheusConfig, type RunningPrometheus, type ScrapeTarget } from '../metrics/prometheus.ts';
import { provisionGrafana } from './grafana-setup.ts';
import {
  GRAFANA_IMAGE,
  GRAFANA_PORT,
  grafanaEnv,
  HOST_ALIAS,
  hostAddressForContainers,
  PROMETHEUS_ALIAS,
  PROMETHEUS_IMAGE,
  PROMETHEUS_PORT,
  prometheusCommand,
} from './images.ts';
import { dashboardUrl } from './url.ts';

export interface ContainerBackendOptions {
  /** A Prometheus given with --prometheus: Grafana reads it, no Prometheus container starts. */
  prometheusUrl?: string;
  /** What the Prometheus container scrapes (host loopback addresses). */
  scrapeTargets?: ScrapeTarget[];
  /** s. @default 1 */
  scrapeIntervalSeconds?: number;
  /** Image pulls and starts, ms. @default 300000 */
  startupTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ContainerBackend {
  /** The Prometheus container in the shape of a local Prometheus, or null with --prometheus. */
  prometheus: RunningPrometheus | null;
  prometheusUrl: string;
  remoteWriteUrl: string;
  grafanaUrl: string;
  grafanaToken: string;
  dashboards: Array<{ uid: string; title: string }>;
  /** Link to a dashboard (the first, the run overview, by default) for one run. */
  dashboardUrl(runId: string, fromMs: number, toMs: number, uid?: string): string;
  stop(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** The host loopback ports the containers must reach, and the addresses they use for them. */
export function hostPortsFor(targets: ScrapeTarget[], prometheusUrl?: string): { ports: number[]; prometheusFromGrafana?: string } {
  const ports = targets.map((t) => Number(t.address.slice(t.address.lastIndexOf(':') + 1)));
  if (!prometheusUrl) return { ports };
  const u = new URL(prometheusUrl);
  if (!LOOPBACK.test(u.hostname)) return { ports, prometheusFromGrafana: prometheusUrl };
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  u.hostname = HOST_ALIAS;
  return { ports: [...ports, port], prometheusFromGrafana: u.toString().replace(/\/+$/, '') };
}

async function startPrometheusContainer(network: StartedNetwork, o: ContainerBackendOptions, timeoutMs: number): Promise<StartedTestContainer> {
  const targets = (o.scrapeTargets ?? []).map((t) => ({ ...t, address: hostAddressForContainers(t.address) }));
  const configPath = '/etc/prometheus/scale-harness.yml';
  return new GenericContainer(PROMETHEUS_IMAGE)
    .withNetwork(network)
    .withNetworkAliases(PROMETHEUS_ALIAS)
    .withExposedPorts(PROMETHEUS_PORT)
    .withCopyContentToContainer([{ content: prometheusConfig(targets, o.scrapeIntervalSeconds ?? 1), target: configPath, mode: 0o644 }])
    .withCommand(prometheusCommand(configPath))
    .withWaitStrategy(Wait.forHttp('/-/ready', PROMETHEUS_PORT))
    .withStartupTimeout(timeoutMs)
    .start();
}

export async function startContainerBackend(o: ContainerBackendOptions = {}): Promise<ContainerBackend> {
  const log = o.log ?? (() => undefined);
  const timeoutMs = o.startupTimeoutMs ?? 300_000;
  const started: Array<{ stop(): Promise<unknown> }> = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse start order: containers before the network they are attached to.
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const hosts = hostPortsFor(o.scrapeTargets ?? [], o.prometheusUrl);
    if (hosts.ports.length > 0) await TestContainers.exposeHostPorts(...hosts.ports);
    const network = await new Network().start();
    started.push(network);
    log(`containers: starting ${o.prometheusUrl ? GRAFANA_IMAGE : `${PROMETHEUS_IMAGE} and ${GRAFANA_IMAGE}`} (first use pulls the images)`);
    const promContainer = o.prometheusUrl ? null : await startPrometheusContainer(network, o, timeoutMs);
    if (promContainer) started.push(promContainer);
    const password = randomBytes(18).toString('base64url');
    const grafana = await new GenericContainer(GRAFANA_IMAGE)
      .withNetwork(network)
      .withExposedPorts(GRAFANA_PORT)
      .withEnvironment(grafanaEnv(password))
      .withWaitStrategy(Wait.forHttp('/api/health', GRAFANA_PORT))
      .withStartupTimeout(timeoutMs)
      .start();
    started.push(grafana);
    const grafanaUrl = `http://${grafana.getHost()}:${grafana.getMappedPort(GRAFANA_PORT)}`;
    const promUrl = promContainer ? `http://${promContainer.getHost()}:${promContainer.getMappedPort(PROMETHEUS_PORT)}` : (o.prometheusUrl ?? '');
    const fromGrafana = promContainer ? `http://${PROMETHEUS_ALIAS}:${PROMETHEUS_PORT}` : (hosts.prometheusFromGrafana ?? promUrl);
    const provisioned = await provisionGrafana(grafanaUrl, { user: 'admin', password }, fromGrafana);
    log(`containers: grafana at ${grafanaUrl} with ${provisioned.dashboards.length} dashboards; prometheus at ${promUrl}`);
    const remoteWriteUrl = `${promUrl.replace(/\/+$/, '')}/api/v1/write`;
    const prometheus: RunningPrometheus | null = promContainer
      ? { url: promUrl, remoteWriteUrl, dataDir: `container ${promContainer.getId().slice(0, 12)}:/prometheus`, scrapeIntervalSeconds: o.scrapeIntervalSeconds ?? 1, alive: () => !stopped, stop }
      : null;
    const first = provisioned.dashboards[0]?.uid ?? '';
    return {
      prometheus,
      prometheusUrl: promUrl,
      remoteWriteUrl,
      grafanaUrl,
      grafanaToken: provisioned.token,
      dashboards: provisioned.dashboards.map(({ uid, title }) => ({ uid, title })),
      dashboardUrl: (runId, fromMs, toMs, uid = first) => dashboardUrl(grafanaUrl, uid, runId, fromMs, toMs),
      stop,
    };
  } catch (err) {
    await stop();
    throw new ToolError(`containers: could not start Grafana/Prometheus: ${(err as Error).message.split('\n')[0]}`);
  }
}
