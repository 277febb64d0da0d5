/**
 * The window of a run found from its own series: the first and last sample of
 * k6_http_reqs_total{testid=...} within a look-back. k6 pushes every second (remote write), so
 * the window is known to about a push interval; the first push comes one interval after the
 * load began, hence the start moves back by that interval.
 */
import type { MetricSource } from '../metrics/client.ts';
import { k6Selector } from '../controller/queries.ts';
import type { RunWindow } from '../controller/slo.ts';

/** k6's remote-write push interval as the harness sets it (K6_PROMETHEUS_RW_PUSH_INTERVAL), s. */
export const PUSH_INTERVAL_SECONDS = 1;

export type WindowResult = { ok: true; window: RunWindow } | { ok: false; reason: string };

/** Finds the run's window within the last `lookbackSeconds` before `now` (s since the epoch). */
export async function findRunWindow(source: MetricSource, testid: string, opts: { lookbackSeconds?: number; now?: number } = {}): Promise<WindowResult> {
  const lookback = Math.round(opts.lookbackSeconds ?? 6 * 3600);
  const now = opts.now ?? Date.now() / 1000;
  const series = `timestamp(k6_http_reqs_total${k6Selector(testid)})`;
  // A 1 s subquery step keeps the sample's own timestamp to within a push interval.
  const first = await source.query(`min(min_over_time(${series}[${lookback}s:1s]))`, now);
  const last = await source.query(`max(max_over_time(${series}[${lookback}s:1s]))`, now);
  const start = first[0]?.value[1];
  const end = last[0]?.value[1];
  if (start === undefined || end === undefined || !Number.isFinite(start) || !Number.isFinite(end)) {
    return { ok: false, reason: `no k6_http_reqs_total series with testid="${testid}" in the last ${lookback} s` };
  }
  return { ok: true, window: { start: start - PUSH_INTERVAL_SECONDS, end } };
}

/** Parses a --from/--to value: seconds since the epoch, or an ISO 8601 date-time. */
export function parseTime(value: string): number | null {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms / 1000;
}
