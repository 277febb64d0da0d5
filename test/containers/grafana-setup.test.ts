/**
 * The Grafana provisioning client against a local HTTP server that answers like Grafana's
 * documented API (service accounts, datasources, dashboards) and rejects requests of another shape.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceAccountToken, datasourceBody, provisionGrafana } from '../../src/containers/grafana-setup.ts';
import { GrafanaApiError } from '../../src/grafana/annotations.ts';

const ADMIN = { user: 'admin', password: 's3cret-pass' };
const BASIC = `Basic ${Buffer.from('admin:s3cret-pass').toString('base64')}`;
const TOKEN = 'glsa_test_token_123';

interface Seen {
  method: string;
  url: string;
  auth: string;
  body: Record<string, unknown>;
}

let server: Server;
let base = '';
const seen: Seen[] = [];

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then((b) => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', body: b };
      seen.push(s);
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (s.url === '/api/serviceaccounts') {
        if (s.auth !== BASIC) return reply(401, { message: 'invalid username or password' });
        if (typeof b.name !== 'string' || !['Viewer', 'Editor', 'Admin'].includes(String(b.role))) return reply(400, { message: 'bad request data' });
        return reply(201, { id: 7, name: b.name, login: `sa-${b.name}`, role: b.role, isDisabled: false });
      }
      if (s.url === '/api/serviceaccounts/7/tokens') {
        if (s.auth !== BASIC) return reply(401, { message: 'invalid username or password' });
        return reply(200, { id: 1, name: b.name, key: TOKEN });
      }
      if (s.auth !== `Bearer ${TOKEN}`) return reply(401, { message: 'Unauthorized' });
      if (s.url === '/api/datasources') {
        if (typeof b.name !== 'string' || typeof b.type !== 'string' || typeof b.access !== 'string') return reply(400, { message: 'bad request data' });
        return reply(200, { id: 1, uid: b.uid, message: 'Datasource added', name: b.name });
      }
      if (s.url === '/api/dashboards/db') {
        const d = b.dashboard as { uid?: string; title?: string } | undefined;
        if (!d?.uid || !d.title || b.overwrite !== true) return reply(400, { message: 'bad request data' });
        return reply(200, { id: 3, uid: d.uid, url: `/d/${d.uid}/x`, status: 'success', version: 1 });
      }
      return reply(404, { message: 'Not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('Grafana provisioning through the HTTP API', () => {
  it('makes a service account with the admin password, then a token for it', async () => {
    seen.length = 0;
    expect(await createServiceAccountToken(base, ADMIN, 'scale-harness')).toBe(TOKEN);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/serviceaccounts', 'POST /api/serviceaccounts/7/tokens']);
    expect(seen[0]?.body).toEqual({ name: 'scale-harness', role: 'Admin', isDisabled: false });
  });

  it('provisions the datasource and the three generated dashboards with the token', async () => {
    seen.length = 0;
    const p = await provisionGrafana(base, ADMIN, 'http://prometheus:9090');
    expect(p.token).toBe(TOKEN);
    expect(p.dashboards.map((d) => d.uid)).toEqual(['scale-harness-overview', 'scale-harness-scaling', 'scale-harness-slos']);
    const ds = seen.find((s) => s.url === '/api/datasources');
    expect(ds?.auth).toBe(`Bearer ${TOKEN}`);
    expect(ds?.body).toMatchObject({ name: 'Prometheus', uid: 'scale-harness-prometheus', type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: true });
    expect(seen.filter((s) => s.url === '/api/dashboards/db')).toHaveLength(3);
  });

  it('the datasource body is the provisioning file’s datasource', () => {
    expect(datasourceBody('http://x:9')).toEqual({
      name: 'Prometheus',
      uid: 'scale-harness-prometheus',
      type: 'prometheus',
      access: 'proxy',
      url: 'http://x:9',
      isDefault: true,
      editable: true,
      jsonData: { timeInterval: '5s', httpMethod: 'POST', prometheusType: 'Prometheus' },
    });
  });

  it('a wrong admin password is an error with status and Grafana’s message, never the password', async () => {
    const err = await createServiceAccountToken(base, { user: 'admin', password: 'wrong-pass' }, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrafanaApiError);
    expect((err as GrafanaApiError).status).toBe(401);
    expect((err as Error).message).toBe('Grafana POST /api/serviceaccounts: HTTP 401: invalid username or password');
  });

  it('an unreachable Grafana is status 0', async () => {
    const err = await createServiceAccountToken('http://127.0.0.1:1', ADMIN, 'x').catch((e: unknown) => e);
    expect((err as GrafanaApiError).status).toBe(0);
    expect((err as Error).message).not.toContain(ADMIN.password);
  });
});
