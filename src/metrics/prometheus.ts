/**
 * Launches a Prometheus per run: a temporary data directory, a loopback port, a 1 s scrape of
 * the stack and the remote-write receiver for k6, with native histograms enabled.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ToolError } from '../errors.ts';
import { freePort, waitForHttp } from '../util/net.ts';
import { spawnChild, stopChild } from '../util/process.ts';

export interface ScrapeTarget {
  job: string;
  /** host:port */
  address: string;
  metricsPath?: string;
}

export interface PrometheusOptions {
  bin: string;
  targets: ScrapeTarget[];
  /** Scrape interval, s. @default 1 */
  scrapeIntervalSeconds?: number;
  /** Keep the data directory after stop (for debugging). @default false */
  keepData?: boolean;
  /** Use this directory (config and TSDB) instead of a temporary one; it is kept after stop. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface RunningPrometheus {
  url: string;
  remoteWriteUrl: string;
  dataDir: string;
  scrapeIntervalSeconds: number;
  /** True while the process is alive. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Prometheus duration, in ms below a second (e.g. `250ms`). */
function dur(seconds: number): string {
  return seconds >= 1 && Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/**
 * Scrape interval for a time scale, s: fine enough that a trigger's compressed sync period
 * (15 s / T) spans at least one scrape or so, and never coarser than 1 s.
 */
export function scrapeIntervalFor(timeScale: number): number {
  if (timeScale >= 20) return 0.25;
  if (timeScale >= 5) return 0.5;
  return 1;
}

export function prometheusConfig(targets: ScrapeTarget[], scrapeIntervalSeconds: number): string {
  return stringify({
    global: { scrape_interval: dur(scrapeIntervalSeconds), evaluation_interval: dur(scrapeIntervalSeconds) },
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      metrics_path: t.metricsPath ?? '/metrics',
      scrape_timeout: dur(scrapeIntervalSeconds),
      static_configs: [{ targets: [t.address] }],
    })),
  });
}

export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus> {
  const interval = opts.scrapeIntervalSeconds ?? 1;
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'scale-harness-prom-')));
  const configFile = path.join(dataDir, 'prometheus.yml');
  await writeFile(configFile, prometheusConfig(opts.targets, interval));
  const port = await freePort();
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dataDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--enable-feature=native-histograms',
    '--storage.tsdb.retention.time=2d',
    '--log.level=warn',
  ];
  // Own process group (spawnChild): a terminal Ctrl-C reaches the harness, which stops
  // Prometheus only after it has judged the run from it.
  const child: ChildProcess = spawnChild('prometheus', opts.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  let stderrTail = '';
  child.on('exit', () => (exited = true));
  child.stderr?.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) await stopChild(child);
    if (!opts.keepData && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/-/ready`, 30_000, () => !exited);
  } catch (err) {
    await stop();
    const why = stderrTail.trim().split('\n').slice(-1)[0] ?? (err as Error).message;
    throw new ToolError(`prometheus (${opts.bin}) did not start: ${why}`);
  }
  opts.log?.(`prometheus ready at ${url} (scrape ${interval}s, data ${dataDir})`);
  return { url, remoteWriteUrl: `${url}/api/v1/write`, dataDir, scrapeIntervalSeconds: interval, alive: () => !exited, stop };
}
