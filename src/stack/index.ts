/**
 * The embedded reference stack: the system under test when no real target is given. One
 * gateway port on loopback, modelled capacity per deployment, an autoscaler from the plan's
 * trigger rows, and a /metrics of its own. Library code: it throws, it never exits.
 */
import type { AddressInfo } from 'node:net';
import { InputError, formatValue } from '../errors.ts';
import type { PlanTrigger } from '../plan/types.ts';
import { Autoscaler, type Replicas, type ScalingEvent, type ScalingTarget } from './autoscaler.ts';
import { faultsByTrigger, type AnyFault } from './faults.ts';
import { faultRng, leakedBytes, routeFaults, stackFaults } from './fault-hooks.ts';
import { createGateway } from './gateway.ts';
import { StackMetrics } from './metrics.ts';
import { StackModel } from './model.ts';
import { pushUntilScraped, type PushBridge } from './push.ts';
import { monotonic } from './random.ts';
import type { StackSpec, StackSpecInput } from './spec.ts';
import { loadStack, parseStackSpec } from './stacks.ts';
import { checkTriggers, defaultTriggers, replicaBounds } from './triggers.ts';
import { LatencyWindow, UtilizationWindow } from './window.ts';

export type { AnyFault, Fault } from './faults.ts';
export type { ScalingEvent } from './autoscaler.ts';

export interface StackOptions {
  /** A built-in stack's name or a stack module's path (stacks.ts). */
  stack: string;
  /** Capacity scale S: slots, workers and consumer slots per replica × S (rates are S× too). @default 1 */
  scale?: number;
  /** Time scale T: sync period, windows, cool-downs, start-up delay ÷ T; latencies are not. @default 1 */
  timeScale?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Gateway port; 0 picks a free one. @default 0 */
  port?: number;
  /** Resolved trigger rows (forWallSeconds already ÷ T). @default the stack module's own table */
  triggers?: PlanTrigger[];
  /** false: fixed replicas, no autoscaler. @default true */
  autoscale?: boolean;
  /** Autoscaler and stack faults (faults.ts); `proxy-down` is the network's and is ignored here. */
  faults?: AnyFault[];
  /** Seed of the service-time draws. @default 1 */
  seed?: number;
  /** Receives autoscaler actions, one line each. */
  log?: (line: string) => void;
  /** Replaces the named stack's profile (tests use small, fast stacks). */
  spec?: StackSpecInput;
}

export interface RunningStack {
  /** Gateway base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** The validated stack profile in use. */
  readonly spec: StackSpec;
  /** Desired, created and ready replicas of a deployment. */
  replicas(deployment: string): Replicas;
  /** Messages not yet done on a queue or topic. */
  queueDepth(queue: string): number;
  /** Autoscaler actions so far, oldest first (empty without autoscaling). */
  readonly events: readonly ScalingEvent[];
  /** The /metrics text. */
  metrics(): Promise<string>;
  /**
   * Remote-writes the stack's samples, labelled `job` and this stack's `instance` (host:port,
   * the scrape target's address), until Prometheus first requests /metrics (push.ts).
   */
  pushUntilScraped(opts: { url: string; intervalSeconds: number; job: string; maxSeconds?: number }): PushBridge;
}

function positive(key: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new InputError(`stack option ${key}: must be a number more than 0 (got ${formatValue(v)})`);
  return n;
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const stack = await loadStack(opts.stack, process.cwd(), 'stack option stack');
  const scale = positive('scale', opts.scale, 1);
  const timeScale = positive('timeScale', opts.timeScale, 1);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`stack option port: must be 0..65535 (got ${formatValue(opts.port)})`);
  const spec = opts.spec ? parseStackSpec(opts.spec, 'spec option') : stack;
  const triggers = opts.triggers ?? defaultTriggers(stack, { scale, timeScale });
  checkTriggers(triggers, spec);
  const routeKeys = spec.routes.map((r) => `${r.method} ${r.path}`);
  const targets = { triggers: triggers.map((t) => t.id), routes: routeKeys, journeys: Object.keys(stack.journeys), services: spec.deployments.map((d) => d.name) };
  const ownFaults = (opts.faults ?? []).filter((f) => f.kind !== 'proxy-down');
  const faults = faultsByTrigger(ownFaults, targets);
  const onRoutes = routeFaults(stackFaults(ownFaults), routeKeys, stack.journeys);
  const bounds = replicaBounds(triggers);
  const timing = spec.timing;
  const windowSeconds = timing.windowSeconds / timeScale;
  const clock = monotonic;

  const model = new StackModel(spec, {
    scale,
    startupMs: (timing.startupSeconds / timeScale) * 1000,
    seed: opts.seed ?? 1,
    clock,
    leakedBytes: leakedBytes(ownFaults, timeScale, clock),
    initialReplicas: (d) => Math.max(spec.deployments.find((x) => x.name === d)?.initialReplicas ?? 1, bounds.get(d)?.min ?? 1),
  });
  const metrics = new StackMetrics(model, triggers);
  const latency = new LatencyWindow(windowSeconds, clock);
  const utilization = new Map([...model.primary].map(([d, pool]) => [d, new UtilizationWindow(windowSeconds, clock, () => pool.integrals())]));

  const replicas = (deployment: string): Replicas => {
    const d = model.deploymentOf(deployment);
    return { desired: d.desired, created: d.created, ready: d.ready };
  };
  const target: ScalingTarget = {
    replicas,
    setDesired: (deployment, n) => model.deploymentOf(deployment).scaleTo(n),
    observe(t) {
      switch (t.signal) {
        case 'cpu':
          return (utilization.get(t.service)?.utilization() ?? 0) * 100;
        case 'memory': {
          const limit = model.memoryLimitBytes(t.service);
          return limit > 0 ? (100 * model.memoryBytes(t.service)) / limit : null;
        }
        case 'latency':
          return latency.percentile(t.route ?? `service:${t.service}`, t.percentile);
        case 'queue':
          return model.queues.get(t.queue ?? '')?.peak(`autoscaler:${t.id}`) ?? null;
      }
    },
  };
  /** Requests served so far; the autoscaler gives replicas back only once traffic has come. */
  let served = 0;
  const autoscaler =
    opts.autoscale === false
      ? null
      : new Autoscaler({
          triggers,
          target,
          faults,
          clock,
          periods: {
            syncSeconds: timing.syncSeconds / timeScale,
            cooldownSeconds: timing.cooldownSeconds / timeScale,
            stabilizationSeconds: timing.stabilizationSeconds / timeScale,
          },
          ...(opts.log ? { log: opts.log } : {}),
          onEvent: (e) => metrics.action(e),
          trafficSeen: () => served > 0,
        });

  const server = createGateway(
    model,
    metrics,
    (route, deployment, seconds) => {
      served++;
      latency.record(route, seconds * 1000);
      latency.record(`service:${deployment}`, seconds * 1000);
    },
    onRoutes ? { routes: onRoutes, rng: faultRng(opts.seed ?? 1) } : null,
  );
  // The first route request, once, in the log: where a run's start-up ends (bench/ measures it).
  const first = (req: { url?: string }): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' || path === '/health') return;
    server.off('request', first);
    opts.log?.(`stack: first request at ${new Date().toISOString()}`);
  };
  server.on('request', first);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      model.stop();
      reject(new InputError(`stack option port: cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    });
    server.listen(port, host, () => resolve());
  });
  autoscaler?.start();
  const bound = (server.address() as AddressInfo).port;
  const address = `${host.includes(':') ? `[${host}]` : host}:${bound}`;
  let stopping: Promise<void> | null = null;
  const bridges: PushBridge[] = [];

  return {
    url: `http://${address}`,
    port: bound,
    spec,
    replicas,
    queueDepth: (queue) => model.queues.get(queue)?.depth ?? 0,
    events: autoscaler?.events ?? [],
    metrics: () => metrics.text(),
    pushUntilScraped(p) {
      const bridge = pushUntilScraped(metrics.registry, { url: p.url, intervalSeconds: p.intervalSeconds, labels: { job: p.job, instance: address }, ...(p.maxSeconds !== undefined ? { maxSeconds: p.maxSeconds } : {}), log: (l) => opts.log?.(l) });
      const scrape = (req: { url?: string; headers: Record<string, string | string[] | undefined> }): void => {
        if ((req.url ?? '').split('?')[0] !== '/metrics' || !/^Prometheus\//.test(String(req.headers['user-agent'] ?? ''))) return;
        server.off('request', scrape);
        bridge.scraped();
      };
      server.on('request', scrape);
      bridges.push(bridge);
      return bridge;
    },
    stop() {
      for (const b of bridges) b.stop();
      stopping ??= new Promise<void>((resolve) => {
        autoscaler?.stop();
        model.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
