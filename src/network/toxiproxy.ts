/**
 * Toxiproxy for low-bandwidth client cohorts: start a server process, and give each cohort its
 * own proxy in front of the gateway with its network preset's toxics.
 *
 * Proxies go through `toxiproxy-node-client` (its API fits; it drops the server's error body,
 * so failures here are rewrapped with what was being done). Every cohort, `direct` included,
 * gets a proxy, so all cohorts take the same path and differ only by their toxics.
 */
import { access, constants } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { InputError, ToolError } from '../errors.ts';
import { getPreset, toxicsFor, type NetworkPreset } from './presets.ts';
import { spawnChild } from '../util/process.ts';

export interface ToxiproxyServer {
  /** API base URL, e.g. `http://127.0.0.1:8474`. */
  apiUrl: string;
  pid: number;
  /** Kills the server (SIGTERM, then SIGKILL after 3 s); safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Address for the API. @default 127.0.0.1 */
  host?: string;
  /** API port. @default a free port */
  port?: number;
  /** How long to wait for `/version` to answer, ms. @default 10000 */
  startTimeoutMs?: number;
}

/** Starts `bin` (a Toxiproxy v2 server) and waits until its API answers `/version`. */
export async function startToxiproxy(bin: string, opts: StartOptions = {}): Promise<ToxiproxyServer> {
  try {
    await access(bin, constants.X_OK);
  } catch {
    throw new ToolError(`Toxiproxy: no executable at ${bin} (build it with \`npm run setup\` or set TOXIPROXY_BIN)`);
  }
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  if (opts.port !== undefined && !(await isFree(host, port))) {
    // The server would log a bind error and keep running, and another server could answer for it.
    throw new ToolError(`Toxiproxy: ${host}:${port} is already in use`);
  }
  // LOG_LEVEL=warn: the server otherwise logs every API call; its log goes to stdout.
  // Own process group, like k6 and Prometheus (spawnChild): Ctrl-C reaches the harness, which stops it.
  const child = spawnChild('toxiproxy', bin, ['-host', host, '-port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ?? `exit code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      exited = err.message;
      resolve();
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(timer);
  };

  const apiUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  for (;;) {
    const failed = exited ?? (log.includes('Server finished with error') ? 'server error' : undefined);
    if (failed !== undefined) {
      await stop();
      throw new ToolError(`Toxiproxy at ${bin} did not start (${failed}): ${log.trim() || 'no output'}`);
    }
    if (await answers(`${apiUrl}/version`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new ToolError(`Toxiproxy at ${bin} did not answer ${apiUrl}/version within ${opts.startTimeoutMs ?? 10_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { apiUrl, pid: child.pid ?? -1, stop };
}

export interface CohortNetwork {
  /** Cohort name (lower-case letters, digits, dashes). */
  name: string;
  /** A preset name from profiles/network.ts, or a preset object. */
  preset: string | NetworkPreset;
}

/** The Toxiproxy proxy name used for a cohort. */
export function proxyName(cohort: string): string {
  return `cohort-${cohort}`;
}

/**
 * Creates one proxy per cohort on 127.0.0.1 (a free port) in front of `upstream` (`host:port`,
 * loopback only) with the cohort's toxics, replacing any proxy of the same name. Returns each
 * cohort's base URL, e.g. `{ rural: 'http://127.0.0.1:41234' }`.
 */
export async function createCohortProxies(
  apiUrl: string,
  upstream: string,
  cohorts: CohortNetwork[],
): Promise<Record<string, string>> {
  checkLoopback(upstream);
  const seen = new Set<string>();
  const plans = cohorts.map((c) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.name)) {
      throw new InputError(`cohort name: must be lower-case letters, digits and dashes (got ${JSON.stringify(c.name)})`);
    }
    if (seen.has(c.name)) throw new InputError(`cohort ${c.name}: named twice`);
    seen.add(c.name);
    const preset = typeof c.preset === 'string' ? getPreset(c.preset) : c.preset;
    if (preset.lossPercent > 0) {
      throw new InputError(
        `cohort ${c.name}: lossPercent ${preset.lossPercent}: packet loss needs tc netem in a network namespace, ` +
          'which this harness does not provide yet (Toxiproxy cannot drop packets)',
      );
    }
    return { cohort: c.name, toxics: toxicsFor(preset) };
  });

  const tp = new Toxiproxy(apiUrl);
  const existing = await call(`listing proxies at ${apiUrl}`, () => tp.getAll());
  const urls: Record<string, string> = {};
  for (const { cohort, toxics } of plans) {
    const name = proxyName(cohort);
    const old = existing[name];
    if (old) await call(`removing old proxy ${name}`, () => old.remove());
    const proxy = await call(`creating proxy ${name} -> ${upstream}`, () =>
      tp.createProxy({ name, listen: '127.0.0.1:0', upstream }),
    );
    for (const toxic of toxics) {
      await call(`adding toxic ${toxic.name} ${JSON.stringify(toxic.attributes)} to ${name}`, () => proxy.addToxic(toxic));
    }
    urls[cohort] = `http://${proxy.listen}`;
  }
  return urls;
}

/** Deletes the cohorts' proxies; ones already gone are ignored. */
export async function removeCohortProxies(apiUrl: string, cohorts: string[]): Promise<void> {
  const tp = new Toxiproxy(apiUrl);
  const existing = await call(`listing proxies at ${apiUrl}`, () => tp.getAll());
  for (const cohort of cohorts) {
    const proxy = existing[proxyName(cohort)];
    if (proxy) await call(`removing proxy ${proxy.name}`, () => proxy.remove());
  }
}

/**
 * Enables or disables a cohort's proxy (`POST /proxies/{name}` with `enabled`): a disabled
 * proxy closes its listener, so the cohort's connections are refused, as when a link goes down.
 */
export async function setCohortProxyEnabled(apiUrl: string, cohort: string, enabled: boolean): Promise<void> {
  const name = proxyName(cohort);
  await call(`${enabled ? 'enabling' : 'disabling'} proxy ${name}`, async () => {
    const res = await fetch(`${apiUrl}/proxies/${encodeURIComponent(name)}`, { method: 'POST', body: JSON.stringify({ enabled }), redirect: 'manual' });
    const body = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.trim()}`);
  });
}

/** Only loopback upstreams: the harness must never shape or forward traffic to other hosts. */
export function checkLoopback(upstream: string): void {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(upstream);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new InputError(`upstream: must be host:port (got ${JSON.stringify(upstream)})`);
  }
  const host = (m[1] ?? '').toLowerCase();
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!loopback) {
    throw new InputError(
      `upstream: only loopback hosts (127.0.0.0/8, ::1, localhost) may be proxied (got ${JSON.stringify(upstream)})`,
    );
  }
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ToolError(`Toxiproxy: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000), redirect: 'manual' });
    await res.text();
    return res.ok;
  } catch {
    return false;
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}
