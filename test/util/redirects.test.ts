/**
 * Every HTTP client of the harness refuses a redirect to a host the allow-list refuses, before
 * connecting to it: a real loopback server answers 302 to 10.255.255.1, and undici's own
 * connect events show no attempt to reach that host.
 */
import http from 'node:http';
import diagnostics from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReachable, DEFAULT_ALLOW, fetchAllowed, RedirectRefusedError } from '../../src/util/net.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { GrafanaClient } from '../../src/grafana/annotations.ts';

const REFUSED = '10.255.255.1';
let server: http.Server;
let base = '';
const connects: string[] = [];
const onConnect = (msg: unknown) => {
  const host = (msg as { connectParams?: { hostname?: string } }).connectParams?.hostname;
  if (host) connects.push(host);
};

beforeAll(async () => {
  diagnostics.subscribe('undici:client:beforeConnect', onConnect);
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/ok')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      return;
    }
    // /local redirects within loopback; everything else to the refused host.
    const to = req.url?.startsWith('/local') ? `${base}/ok` : `http://${REFUSED}/api/v1/query`;
    res.writeHead(req.url?.includes('307') ? 307 : 302, { location: to });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  diagnostics.unsubscribe('undici:client:beforeConnect', onConnect);
  await new Promise((r) => server.close(r));
});

describe('redirects and the allow-list', () => {
  it('fetchAllowed follows a redirect within the allow-list', async () => {
    const res = await fetchAllowed(`${base}/local`, DEFAULT_ALLOW);
    expect(res.status).toBe(200);
    // The connect events this file relies on are seen at all.
    expect(connects).toContain('127.0.0.1');
  });

  it('fetchAllowed refuses a redirect to a refused host without connecting to it', async () => {
    connects.length = 0;
    const err = await fetchAllowed(`${base}/away`, DEFAULT_ALLOW, { signal: AbortSignal.timeout(3000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectRefusedError);
    expect((err as Error).message).toBe(`${base}/away redirects to http://${REFUSED}/api/v1/query: host "${REFUSED}" is not on the allow-list (127.0.0.0/8, ::1, localhost); not followed`);
    expect(connects).not.toContain(REFUSED);
  });

  it('the reachability check names the flag and the refused Location', async () => {
    connects.length = 0;
    await expect(assertReachable(`${base}/away`, '--target', DEFAULT_ALLOW)).rejects.toThrow(
      `--target: ${base}/away redirects to http://${REFUSED}/api/v1/query: host "${REFUSED}" is not on the allow-list`,
    );
    expect(connects).not.toContain(REFUSED);
  });

  it('the Prometheus client refuses a 307 (method-keeping) redirect off the allow-list', async () => {
    connects.length = 0;
    const client = new PrometheusClient(`${base}/307`);
    await expect(client.query('up')).rejects.toThrow(`redirects to http://${REFUSED}/api/v1/query: host "${REFUSED}" is not on the allow-list`);
    expect(connects).not.toContain(REFUSED);
  });

  it('the Grafana client follows no redirect off its own host', async () => {
    connects.length = 0;
    const client = new GrafanaClient({ url: `${base}/grafana`, token: 'secret-token' });
    const err = await client.createAnnotation({ time: 1, tags: [], text: 'x' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`redirects to http://${REFUSED}/api/v1/query: host "${REFUSED}" is not on the allow-list (127.0.0.1)`);
    expect(connects).not.toContain(REFUSED);
  });
});
