/**
 * Pinned container images. Grafana's OSS image is published as grafana/grafana (the same image
 * as grafana/grafana-oss, which is no longer updated from 12.4). Prometheus stays on the 2.x
 * line the local runs use (Debian's 2.42; 2.40+ for native histograms), so that a run judges
 * the same PromQL the same way in both backends.
 */
export const GRAFANA_IMAGE = 'grafana/grafana:12.2.1';
export const PROMETHEUS_IMAGE = 'prom/prometheus:v2.55.1';

/** Ports inside the containers. */
export const GRAFANA_PORT = 3000;
export const PROMETHEUS_PORT = 9090;

/** Network alias under which Grafana reaches the Prometheus container. */
export const PROMETHEUS_ALIAS = 'prometheus';

/** How containers reach a loopback port of the host (testcontainers' exposeHostPorts). */
export const HOST_ALIAS = 'host.testcontainers.internal';

/** Prometheus flags: the remote-write receiver for k6 and native histograms for its trends. */
export function prometheusCommand(configPath: string): string[] {
  return [
    `--config.file=${configPath}`,
    '--storage.tsdb.path=/prometheus',
    '--web.enable-remote-write-receiver',
    '--enable-feature=native-histograms',
    '--log.level=warn',
  ];
}

/**
 * Grafana's environment: an admin password for provisioning, and anonymous viewers so that the
 * printed dashboard URL opens without a login.
 */
export function grafanaEnv(adminPassword: string): Record<string, string> {
  return {
    GF_SECURITY_ADMIN_USER: 'admin',
    GF_SECURITY_ADMIN_PASSWORD: adminPassword,
    GF_AUTH_ANONYMOUS_ENABLED: 'true',
    GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
    GF_USERS_ALLOW_SIGN_UP: 'false',
    GF_ANALYTICS_REPORTING_ENABLED: 'false',
    GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
    GF_NEWS_NEWS_FEED_ENABLED: 'false',
  };
}

/** `127.0.0.1:8080` as a container sees it: the host alias, same port. */
export function hostAddressForContainers(address: string): string {
  const port = address.slice(address.lastIndexOf(':') + 1);
  return `${HOST_ALIAS}:${port}`;
}
