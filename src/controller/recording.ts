/**
 * What keeps judging a long run cheap: query steps sized to the run's length and client
 * timeouts that grow with the range a query reads. A run of up to about 3 h is judged at the
 * same resolution as before; only longer ones get coarser steps.
 */
import { MAX_POINTS_PER_QUERY } from '../metrics/client.ts';

/** Query client timeout for a run of `rangeSeconds`: 15 s, plus 10 s per hour read, at most 10 min. */
export function clientTimeoutMs(rangeSeconds: number): number {
  return Math.min(600_000, 15_000 + Math.ceil(Math.max(0, rangeSeconds) / 3600) * 10_000);
}

/** Most points a worst-window range query asks for: a day at a 5-minute window is 400, not 1,152. */
export const MAX_WINDOW_POINTS = 400;

/**
 * Step of a sliding-window range query, s: a quarter window (or `fraction` of it), coarser only
 * when the run is so long that this would ask for more than MAX_WINDOW_POINTS points; the step
 * never exceeds the window, so the windows still cover every instant of the run.
 */
export function windowStep(windowSeconds: number, rangeSeconds: number, fraction = 4): number {
  const fine = Math.max(1, Math.round(windowSeconds / fraction));
  return Math.min(Math.max(fine, Math.ceil(rangeSeconds / MAX_WINDOW_POINTS)), Math.max(1, Math.round(windowSeconds)));
}

/**
 * Step of a trigger's signal query, s: the scrape interval, or as coarse as one range query of
 * Prometheus's 11,000 points needs (from about 3 h of run on at a 1 s scrape: 8 s for a day,
 * against `for` windows of minutes at time scale 1).
 */
export function signalStep(scrapeStepSeconds: number, rangeSeconds: number): number {
  const needed = rangeSeconds / (MAX_POINTS_PER_QUERY - 1);
  return needed <= scrapeStepSeconds ? scrapeStepSeconds : Math.ceil(needed);
}
