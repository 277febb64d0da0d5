/**
 * Starts the real Prometheus (/usr/bin/prometheus, Debian 2.42) on a free loopback port with a
 * temporary data directory, the remote-write receiver and native histograms enabled.
 * Tests call `startPrometheus()` in beforeAll and `stop()` in afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface TestPrometheus {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** `${url}/api/v1/write` */
  remoteWriteUrl: string;
  /** Last lines Prometheus wrote to stderr, for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(timeoutMs = 30_000): Promise<TestPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      `Prometheus binary not found at ${PROMETHEUS_BIN}: install the Debian package (apt-get install prometheus) or set PROMETHEUS_BIN`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'scale-harness-prom-'));
  const config = join(dir, 'prometheus.yml');
  // No scrape jobs: every series in these tests arrives by remote write.
  await writeFile(config, 'global:\n  scrape_interval: 15s\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--enable-feature=native-histograms',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Prometheus exited with code ${child.exitCode} before it was ready:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return { url, remoteWriteUrl: `${url}/api/v1/write`, logTail: () => log, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`Prometheus was not ready within ${timeoutMs} ms:\n${log}`);
}
