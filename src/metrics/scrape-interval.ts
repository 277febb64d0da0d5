/** The scrape interval of a Prometheus server the harness did not start (`--prometheus`). */
import type { PrometheusClient } from './client.ts';

/** Assumed where a `--prometheus` server does not say how often it scrapes, s. */
const ASSUMED_SCRAPE_SECONDS = 1;

/**
 * How often a Prometheus the harness did not start scrapes, s: the longest interval among its
 * active targets (the signals may come from any of them, and a window must hold enough samples
 * of the slowest), or, before discovery has listed any, among the jobs of its configuration.
 * The grace and every window are sized from it, so a wrong guess judges with the wrong windows.
 */
export async function externalScrapeInterval(source: Pick<PrometheusClient, 'baseUrl' | 'scrapeIntervals' | 'configuredScrapeIntervals'>, log: (line: string) => void): Promise<number> {
  const active = await source.scrapeIntervals();
  const [list, what] = active && active.length > 0 ? [active, 'active targets'] : [await source.configuredScrapeIntervals(), 'configured scrape jobs'];
  if (!list || list.length === 0) {
    log(`Prometheus at ${source.baseUrl} lists no scrape targets or jobs; assuming a ${ASSUMED_SCRAPE_SECONDS} s scrape interval`);
    return ASSUMED_SCRAPE_SECONDS;
  }
  const slowest = list.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  log(`Prometheus at ${source.baseUrl} scrapes every ${slowest.seconds} s (the slowest of its ${list.length} ${what}, job ${slowest.job})`);
  return slowest.seconds;
}
