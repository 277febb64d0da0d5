/**
 * The gateway: one HTTP port on loopback for every route of the stack, plus /health and
 * /metrics (neither is counted as traffic). Unknown routes get a 404 JSON body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge } from 'prom-client';
import { applyRouteFault, type RouteFaults } from './fault-hooks.ts';
import type { StackMetrics } from './metrics.ts';
import type { Rng } from './random.ts';
import type { StackModel } from './model.ts';

/** Called with each served route request: feeds the autoscaler's latency window. */
export type ServedHook = (routeKey: string, deployment: string, seconds: number) => void;

function send(res: ServerResponse, status: number, body: string | Buffer, contentType = 'application/json'): number {
  const bytes = Buffer.byteLength(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes });
  res.end(body);
  return bytes;
}

/** Injected route faults (fault-hooks.ts) and the draw for their error share. */
export interface GatewayFaults {
  routes: RouteFaults;
  rng: Rng;
}

export function createGateway(model: StackModel, metrics: StackMetrics, onServed: ServedHook, faults: GatewayFaults | null = null): Server {
  const started = Date.now();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Bodies are not used; drain them so keep-alive connections stay usable.
    req.resume();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/health') {
      send(res, 200, JSON.stringify({ status: 'ok', stack: model.spec.name, uptimeSeconds: (Date.now() - started) / 1000 }));
      return;
    }
    if (method === 'GET' && path === '/metrics') {
      send(res, 200, await metrics.text(), metrics.contentType);
      return;
    }
    const route = model.routes.get(`${method} ${path}`);
    if (!route) {
      send(res, 404, JSON.stringify({ error: 'not found', route: `${method} ${path}` }));
      metrics.response(null, 404, 0, 0);
      return;
    }
    const saveData = String(req.headers['save-data'] ?? '').toLowerCase() === 'on';
    let served = await model.serve(route, saveData);
    const fault = faults?.routes.get(route.key);
    if (fault) served = await applyRouteFault(fault, served, faults!.rng);
    // The work was done even when the client gave up: it counts.
    const bytes = res.destroyed ? Buffer.byteLength(served.body) : send(res, served.status, served.body);
    metrics.response(route, served.status, served.seconds, bytes, served.rejectedBy);
    onServed(route.key, route.deployment, served.seconds);
  };
  // The harness's health evidence: a stalled stack loop delays every request at once (s).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  new Gauge({
    name: 'stack_eventloop_lag_max_seconds',
    help: 'Longest event-loop delay of the stack process since the previous scrape, s.',
    registers: [metrics.registry],
    collect() {
      this.set(loop.max / 1e9);
      loop.reset();
    },
  });
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: String(err) }));
    });
  });
  server.on('close', () => loop.disable());
  return server;
}
