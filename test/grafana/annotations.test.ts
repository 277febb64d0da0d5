/**
 * The Grafana client against a real HTTP server on loopback that records each request and
 * checks it against the documented API shape.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { annotateRun, GrafanaApiError, GrafanaClient, redact } from '../../src/grafana/annotations.ts';
import { buildDashboards } from '../../src/grafana/dashboards.ts';
import { fixturePlan, fixtureVerdict } from '../fixtures/grafana/run.ts';

const TOKEN = 'glsa_TestToken0123456789abcdef_0a1b2c3d';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let server: Server;
let base: string;
let recorded: Recorded[] = [];
/** What the server answers next: status and JSON body. */
let reply: { status: number; body: unknown } | null = null;
let nextId = 1;

const ANNOTATION_KEYS = new Set(['dashboardUID', 'panelId', 'time', 'timeEnd', 'tags', 'text']);

/** Checks a body against the documented POST /api/annotations shape; returns problems. */
function annotationProblems(b: Record<string, unknown>): string[] {
  const p: string[] = [];
  for (const k of Object.keys(b)) if (!ANNOTATION_KEYS.has(k)) p.push(`unknown key ${k}`);
  if (!Number.isInteger(b.time) || (b.time as number) < 1e12) p.push('time must be integer ms');
  if (b.timeEnd !== undefined && (!Number.isInteger(b.timeEnd) || (b.timeEnd as number) < (b.time as number))) p.push('timeEnd');
  if (!Array.isArray(b.tags) || !b.tags.every((t) => typeof t === 'string')) p.push('tags must be strings');
  if (typeof b.text !== 'string' || b.text.length === 0) p.push('text');
  if (b.dashboardUID !== undefined && typeof b.dashboardUID !== 'string') p.push('dashboardUID');
  if (b.panelId !== undefined && !Number.isInteger(b.panelId)) p.push('panelId');
  return p;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const body = data ? (JSON.parse(data) as Record<string, unknown>) : {};
      recorded.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (reply) {
        res.statusCode = reply.status;
        res.end(JSON.stringify(reply.body));
        return;
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ message: 'Unauthorized' }));
        return;
      }
      if (req.method === 'POST' && req.url?.endsWith('/api/annotations')) {
        const problems = annotationProblems(body);
        res.statusCode = problems.length ? 400 : 200;
        res.end(JSON.stringify(problems.length ? { message: problems.join('; ') } : { message: 'Annotation added', id: nextId++ }));
        return;
      }
      if (req.method === 'POST' && req.url?.endsWith('/api/dashboards/db')) {
        const d = body.dashboard as { uid?: string } | undefined;
        res.end(JSON.stringify({ id: 7, uid: d?.uid, url: `/d/${d?.uid}/x`, status: 'success', version: 1, slug: 'x' }));
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'Not found' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  recorded = [];
  reply = null;
});

describe('annotateRun', () => {
  it('sends the run window as a region, then each trigger fire and scale-up, in the documented shape', async () => {
    const logs: string[] = [];
    const client = new GrafanaClient({ url: base, token: TOKEN, log: (l) => logs.push(l) });
    const verdict = fixtureVerdict('run-42', 1_800_000_000, 1_800_000_120);
    const { ids } = await annotateRun(client, fixturePlan('run-42'), verdict);
    expect(ids).toHaveLength(3);
    expect(recorded).toHaveLength(3);
    for (const r of recorded) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/api/annotations');
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers['content-type']).toBe('application/json');
      expect(annotationProblems(r.body)).toEqual([]);
      expect(r.body.tags).toEqual(expect.arrayContaining(['scale-harness', 'spike', 'run-42']));
    }
    const [region, fired, scaled] = recorded.map((r) => r.body);
    expect(region).toMatchObject({ time: 1_800_000_000_000, timeEnd: 1_800_000_120_000 });
    expect(region?.tags).toContain('fail');
    expect(region?.text).toContain('FAIL');
    expect(fired).toMatchObject({ time: 1_800_000_020_000, tags: expect.arrayContaining(['trigger-fired', 'payments-queue', 'scaled-late']) });
    expect(fired?.timeEnd).toBeUndefined();
    expect(scaled).toMatchObject({ time: 1_800_000_029_000, tags: expect.arrayContaining(['scaled', 'payments-queue']) });
    expect(scaled?.text).toContain('2 -> 5 replicas');
    expect(logs).toHaveLength(3);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('scopes annotations to a dashboard when asked', async () => {
    const client = new GrafanaClient({ url: `${base}/`, token: TOKEN });
    await annotateRun(client, fixturePlan('r'), fixtureVerdict('r', 1_800_000_000, 1_800_000_060), { dashboardUID: 'scale-harness-overview' });
    expect(recorded.every((r) => r.body.dashboardUID === 'scale-harness-overview')).toBe(true);
  });
});

describe('GrafanaClient.uploadDashboard', () => {
  it('posts {dashboard, folderUid, overwrite, message} to /api/dashboards/db', async () => {
    const client = new GrafanaClient({ url: base, token: TOKEN });
    const d = buildDashboards()[0]!;
    const res = await client.uploadDashboard(d.json, { folderUid: 'scale-harness', message: 'nightly' });
    expect(res).toEqual({ uid: d.uid, url: `/d/${d.uid}/x`, version: 1, status: 'success' });
    const [r] = recorded;
    expect(r?.path).toBe('/api/dashboards/db');
    expect(r?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(Object.keys(r?.body ?? {}).sort()).toEqual(['dashboard', 'folderUid', 'message', 'overwrite']);
    expect(r?.body).toMatchObject({ folderUid: 'scale-harness', overwrite: true, message: 'nightly' });
    expect((r?.body.dashboard as { uid: string }).uid).toBe(d.uid);
  });
});

describe('errors never carry the token', () => {
  it('a 401 gives status and Grafana message, without the token in error or logs', async () => {
    const logs: string[] = [];
    const client = new GrafanaClient({ url: base, token: 'wrong-token-ABCDEFGHIJ', log: (l) => logs.push(l) });
    const err = (await annotateRun(client, fixturePlan('r'), fixtureVerdict('r', 1_800_000_000, 1_800_000_060)).catch((e: unknown) => e)) as GrafanaApiError;
    expect(err).toBeInstanceOf(GrafanaApiError);
    expect(err.status).toBe(401);
    expect(err.grafanaMessage).toBe('Unauthorized');
    expect(err.message).toBe('Grafana POST /api/annotations: HTTP 401: Unauthorized');
    expect(recorded).toHaveLength(1);
    const everything = [err.message, err.stack ?? '', JSON.stringify(err), String(err), ...logs].join('\n');
    expect(everything).not.toContain('wrong-token-ABCDEFGHIJ');
  });

  it('redacts the token even when Grafana echoes it back', async () => {
    reply = { status: 403, body: { message: `token ${TOKEN} lacks annotations:write` } };
    const client = new GrafanaClient({ url: base, token: TOKEN });
    const err = (await client.createAnnotation({ time: 1_800_000_000_000, tags: ['x'], text: 't' }).catch((e: unknown) => e)) as GrafanaApiError;
    expect(err.status).toBe(403);
    expect(err.message).toBe('Grafana POST /api/annotations: HTTP 403: token [redacted] lacks annotations:write');
    expect(`${err.message}${err.stack}`).not.toContain(TOKEN);
  });

  it('an unreachable Grafana is status 0, with user-info in the URL and the token redacted', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const logs: string[] = [];
    const client = new GrafanaClient({ url: `http://admin:${TOKEN}@127.0.0.1:${port}`, token: TOKEN, log: (l) => logs.push(l), timeoutMs: 2000 });
    const err = (await client.createAnnotation({ time: 1_800_000_000_000, tags: [], text: 't' }).catch((e: unknown) => e)) as GrafanaApiError;
    expect(err).toBeInstanceOf(GrafanaApiError);
    expect(err.status).toBe(0);
    expect([err.message, err.stack, ...logs].join('\n')).not.toContain(TOKEN);
    expect(err.message).toContain('unreachable');
  });

  it('redact replaces every occurrence', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN} https://u:p@h/x`, TOKEN)).toBe('a [redacted] b [redacted] https://[redacted]@h/x');
  });
});
