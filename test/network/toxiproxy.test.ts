/**
 * Real Toxiproxy: needs TOXIPROXY_BIN (test/global-setup.ts provisions it). Timing bounds are
 * generous factor ranges, not exact values: two shared cores.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import {
  createCohortProxies,
  removeCohortProxies,
  setCohortProxyEnabled,
  startToxiproxy,
  type ToxiproxyServer,
} from '../../src/network/toxiproxy.ts';
import { NetworkPresetSchema, getPreset } from '../../src/network/presets.ts';
import { ToolError } from '../../src/errors.ts';

const BIG = 100_000;

function toxiproxyBin(): string {
  const bin = process.env.TOXIPROXY_BIN;
  if (!bin) {
    throw new Error(
      'TOXIPROXY_BIN is not set: point it at a Toxiproxy v2 server binary ' +
        '(test/global-setup.ts sets it from .tools/bin/toxiproxy; e.g. TOXIPROXY_BIN=/tmp/prebuild/bin/server)',
    );
  }
  return bin;
}

/** GET over a fresh connection; resolves with the elapsed ms once the whole body has arrived. */
function timedGet(url: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Toxiproxy cohorts (real binary)', () => {
  let server: ToxiproxyServer;
  let upstream: Server;
  let upstreamAddr: string;
  let urls: Record<string, string>;

  beforeAll(async () => {
    const bin = toxiproxyBin();
    const body = Buffer.alloc(BIG, 'x');
    upstream = createServer((req, res) => {
      const payload = req.url === '/big' ? body : Buffer.from('ok');
      res.writeHead(200, { 'content-length': payload.length, connection: 'close' });
      res.end(payload);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamAddr = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    server = await startToxiproxy(bin);
    urls = await createCohortProxies(server.apiUrl, upstreamAddr, [
      { name: 'edge', preset: '2g-edge' },
      { name: 'urban', preset: 'urban-4g' },
      { name: 'direct', preset: 'direct' },
    ]);
  });

  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => upstream?.close(r));
  });

  it('gives each cohort its own loopback proxy with the preset toxics', async () => {
    expect(Object.keys(urls)).toEqual(['edge', 'urban', 'direct']);
    for (const url of Object.values(urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const get = async (path: string) => (await fetch(`${server.apiUrl}${path}`)).json() as Promise<unknown>;
    const edge = (await get('/proxies/cohort-edge')) as { upstream: string; toxics: { name: string; attributes: object }[] };
    expect(edge.upstream).toBe(upstreamAddr);
    expect(edge.toxics.map((t) => t.name).sort()).toEqual(['bandwidth-down', 'bandwidth-up', 'latency-down', 'latency-up']);
    expect(edge.toxics.find((t) => t.name === 'bandwidth-down')?.attributes).toEqual({ rate: 30 });
    expect(await get('/proxies/cohort-direct/toxics')).toEqual([]);
  });

  it('2g-edge is much slower than urban-4g for a small request (about one RTT each)', async () => {
    const direct = await timedGet(`${urls.direct}/small`);
    const urban = await timedGet(`${urls.urban}/small`);
    const edge = await timedGet(`${urls.edge}/small`);
    expect(direct.ms).toBeLessThan(150);
    expect(urban.ms).toBeGreaterThan(170 * 0.7);
    expect(urban.ms).toBeLessThan(170 * 3);
    expect(edge.ms).toBeGreaterThan(840 * 0.8);
    expect(edge.ms).toBeLessThan(840 * 2.5);
    expect(edge.ms / urban.ms).toBeGreaterThan(3);
  });

  it('a 100 KB body through 2g-edge takes about RTT + size / bandwidth', async () => {
    const expected = 840 + BIG / 30; // 30 KB/s = 30 bytes/ms: ~4.2 s
    const edge = await timedGet(`${urls.edge}/big`);
    const urban = await timedGet(`${urls.urban}/big`);
    expect(edge.bytes).toBe(BIG);
    expect(edge.ms).toBeGreaterThan(expected * 0.75);
    expect(edge.ms).toBeLessThan(expected * 1.6);
    expect(urban.ms).toBeLessThan(expected / 5);
  });

  it('a cohort proxy taken down refuses connections, and serves again once enabled (proxy-down fault)', async () => {
    await setCohortProxyEnabled(server.apiUrl, 'direct', false);
    await expect(timedGet(`${urls.direct}/small`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await setCohortProxyEnabled(server.apiUrl, 'direct', true);
    expect((await timedGet(`${urls.direct}/small`)).bytes).toBe(2);
    await expect(setCohortProxyEnabled(server.apiUrl, 'nope', false)).rejects.toThrow('Toxiproxy: disabling proxy cohort-nope: HTTP 404');
  });

  it('replaces a cohort proxy of the same name and removes proxies', async () => {
    const again = await createCohortProxies(server.apiUrl, upstreamAddr, [{ name: 'direct', preset: 'direct' }]);
    expect((await timedGet(`${again.direct}/small`)).bytes).toBe(2);
    await removeCohortProxies(server.apiUrl, ['direct', 'not-there']);
    expect(Object.keys(await new Toxiproxy(server.apiUrl).getAll())).not.toContain('cohort-direct');
  });

  it('refuses non-loopback upstreams and packet loss before touching the server', async () => {
    await expect(createCohortProxies(server.apiUrl, '192.0.2.10:80', [{ name: 'x', preset: 'direct' }])).rejects.toThrow(
      'only loopback hosts',
    );
    const lossy = NetworkPresetSchema.parse({ ...getPreset('rural-3g'), lossPercent: 2 });
    await expect(createCohortProxies(server.apiUrl, upstreamAddr, [{ name: 'lossy', preset: lossy }])).rejects.toThrow(
      'lossPercent 2: packet loss needs tc netem in a network namespace',
    );
  });
});

describe('startToxiproxy', () => {
  it('fails with a ToolError for a missing binary', async () => {
    await expect(startToxiproxy('/nonexistent/toxiproxy')).rejects.toThrow(ToolError);
  });

  it('stops the process it started, and refuses a port in use', async () => {
    const s = await startToxiproxy(toxiproxyBin());
    const port = Number(new URL(s.apiUrl).port);
    await expect(startToxiproxy(toxiproxyBin(), { port })).rejects.toThrow(`127.0.0.1:${port} is already in use`);
    await s.stop();
    await s.stop();
    expect(() => process.kill(s.pid, 0)).toThrow();
  });
});
