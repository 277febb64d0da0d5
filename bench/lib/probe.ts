/**
 * A slow heartbeat on the stack's `/health` (no modeled service time) while load runs: when k6
 * stops completing iterations for a second, a slow heartbeat says the stack's event loop stalled,
 * a fast one says the client side (k6, or the machine under it) did.
 */
import { round } from './cpu.ts';

export interface ProbeStats {
  /** Heartbeats answered (one every `intervalMs`, or when the previous one is answered). */
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Heartbeats slower than 250 ms: event-loop stalls of the stack (or of this process). */
  over250Ms: number;
  failures: number;
}

export class HealthProbe {
  /** [epoch ms at send, latency ms or null for a failure] */
  private readonly beats: Array<[number, number | null]> = [];
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly intervalMs = 100) {}

  start(baseUrl: string): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const t = performance.now();
        const at = Date.now();
        try {
          const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          this.beats.push([at, performance.now() - t]);
        } catch {
          this.beats.push([at, null]);
        }
        const wait = this.intervalMs - (performance.now() - t);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Heartbeats sent between two instants, epoch ms. */
  stats(fromMs: number, toMs: number): ProbeStats {
    const inside = this.beats.filter(([at]) => at >= fromMs && at <= toMs);
    const s = inside.flatMap(([, ms]) => (ms === null ? [] : [ms])).sort((a, b) => a - b);
    const q = (p: number) => (s.length ? round(s[Math.min(s.length - 1, Math.floor(p * s.length))]!, 1) : null);
    return { count: s.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: s.length ? round(s[s.length - 1]!, 1) : null, over250Ms: s.filter((x) => x > 250).length, failures: inside.length - s.length };
  }
}
