/**
 * wrk (Debian's package) against the embedded stack alone: a closed-loop reference for what the
 * gateway answers on this machine with no k6, no Prometheus and no controller. The stack runs
 * the Meqenet profile, whose modeled service times bound a closed loop (see closedLoopBoundRps).
 */
import MEQENET from '../../profiles/stacks/meqenet.ts';
import { round, type CpuSampler, type CpuWindow } from './cpu.ts';
import { run } from './procs.ts';

export interface WrkOptions {
  /** Path on the gateway, e.g. `/rewards/balance`. */
  path: string;
  threads: number;
  connections: number;
  /** Test length, s. */
  seconds: number;
}

export interface WrkResult extends WrkOptions {
  requests: number;
  /** wrk's Requests/sec. */
  rps: number;
  latencyMs: { mean: number | null; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  /** The route's modeled mean service time in the stack profile, ms (null: none, e.g. /health). */
  modeledMeanMs: number | null;
  /**
   * Little's law with the modeled time: connections / modeled mean, req/s. A closed loop cannot
   * go faster; when rps is close to it, the model, not the CPU, set the rate.
   */
  closedLoopBoundRps: number | null;
  non2xx: number;
  socketErrors: number;
  /** CPU while wrk ran (stack vs wrk). */
  cpu: CpuWindow;
}

/** `12.3ms`, `850.00us`, `1.02s`, `2.00m` -> ms. */
export function toMs(text: string): number | null {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const k = m[2] === 'us' ? 0.001 : m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000;
  return round(n * k, 2);
}

export function parseWrk(out: string): Omit<WrkResult, keyof WrkOptions | 'cpu' | 'closedLoopBoundRps' | 'modeledMeanMs'> {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out);
    return m?.[1] ? toMs(m[1]) : null;
  };
  const lat = /^\s*Latency\s+(\S+)\s+\S+\s+(\S+)/m.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    rps: round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)),
    latencyMs: { mean: lat?.[1] ? toMs(lat[1]) : null, p50: pct('50'), p90: pct('90'), p99: pct('99'), max: lat?.[2] ? toMs(lat[2]) : null },
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

export async function runWrk(bin: string, baseUrl: string, o: WrkOptions, sampler: CpuSampler, log: (l: string) => void): Promise<WrkResult> {
  const args = [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, '--latency', `${baseUrl}${o.path}`];
  log(`$ wrk ${args.join(' ')}`);
  sampler.sample();
  const t0 = Date.now();
  const res = await run(bin, args, { onLine: (l) => log(`[wrk] ${l}`) }).done;
  sampler.sample();
  if (res.code !== 0) throw new Error(`wrk exited with ${res.code ?? res.signal}: ${res.stdout.trim().split('\n').pop() ?? ''}`);
  const modeled = MEQENET.routes.find((r) => r.method === 'GET' && r.path === o.path)?.service.meanMs ?? null;
  return { ...o, ...parseWrk(res.stdout), modeledMeanMs: modeled, closedLoopBoundRps: modeled ? round((o.connections * 1000) / modeled) : null, cpu: sampler.window(t0, Date.now()) };
}
