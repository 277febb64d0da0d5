/**
 * What the bench reads from a k6 `--summary-export` file, for the harness steps and the raw k6
 * runs alike, so both are measured the same way.
 */
import { readFile } from 'node:fs/promises';
import { round } from './cpu.ts';

export interface LoadFigures {
  /** HTTP requests k6 completed. */
  requests: number;
  /** Requests the step asked for: rate × (ramp / 2 + hold). */
  targetRequests: number;
  /**
   * Achieved rate, req/s, as the hold-rate equivalent: requests / (ramp / 2 + hold). Equals the
   * target rate when every scheduled request was sent.
   */
  achievedRps: number;
  /** requests / targetRequests. */
  achievedRatio: number;
  iterations: number;
  droppedIterations: number;
  /** dropped / (iterations + dropped), %. */
  droppedPct: number;
  /** Failed requests (k6 http_req_failed), %. */
  errorPct: number | null;
  /** k6's own p99 of http_req_duration, ms. */
  p99MsK6: number | null;
  /** k6's own median, ms. */
  p50MsK6: number | null;
  /** Most VUs k6 had at once. */
  vusMax: number | null;
}

type Metric = Record<string, number | undefined> | undefined;

export async function readLoadFigures(file: string, rate: number, rampSeconds: number, holdSeconds: number): Promise<LoadFigures | null> {
  let json: { metrics?: Record<string, Metric> };
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as typeof json;
  } catch {
    return null;
  }
  const m = json.metrics ?? {};
  const equivalentSeconds = rampSeconds / 2 + holdSeconds;
  const requests = m.http_reqs?.count ?? 0;
  const iterations = m.iterations?.count ?? 0;
  const dropped = m.dropped_iterations?.count ?? 0;
  const targetRequests = rate * equivalentSeconds;
  const failed = m.http_req_failed?.value;
  const dur = m.http_req_duration;
  return {
    requests,
    targetRequests: Math.round(targetRequests),
    achievedRps: round(requests / equivalentSeconds),
    achievedRatio: round(targetRequests > 0 ? requests / targetRequests : 0, 4),
    iterations,
    droppedIterations: dropped,
    droppedPct: round(iterations + dropped > 0 ? (100 * dropped) / (iterations + dropped) : 0, 3),
    errorPct: failed === undefined ? null : round(100 * failed, 3),
    p99MsK6: dur?.['p(99)'] === undefined ? null : round(dur['p(99)'], 1),
    p50MsK6: dur?.med === undefined ? null : round(dur.med, 1),
    vusMax: m.vus_max?.max ?? m.vus_max?.value ?? null,
  };
}
