/**
 * The stack's samples written into the run's Prometheus until Prometheus first scrapes it.
 *
 * Prometheus applies static scrape targets about 5 s after it starts (its discovery and
 * scrape-reload tickers), so a run that waited for the first scrape lost those seconds before
 * every load. Instead the stack remote-writes its registry, with exactly the `job` and
 * `instance` labels the scrape will attach, once per scrape interval; the first request to
 * /metrics from Prometheus stops it. The series are then one continuous series each: pushed
 * samples, then scraped ones. `up` is pushed as 1 (the stack answered its own collection);
 * Prometheus's other scrape series (`scrape_duration_seconds`, ...) start with the first scrape.
 */
import type { Registry } from 'prom-client';
import { remoteWrite, sortedLabels, type ResultSeries } from '../metrics/remote-write.ts';

export interface PushOptions {
  /** Remote-write URL of the run's Prometheus. */
  url: string;
  intervalSeconds: number;
  /** The labels Prometheus's scrape attaches: `job` and `instance`. */
  labels: { job: string; instance: string };
  /** Stops pushing after this long even when no scrape came. @default 30 */
  maxSeconds?: number;
  log: (line: string) => void;
  /** Replaces the remote write (unit tests). */
  write?: (url: string, series: ResultSeries[]) => Promise<void>;
}

export interface PushBridge {
  /** Prometheus scraped /metrics: push no more. */
  scraped(): void;
  stop(): void;
  /** Writes Prometheus accepted so far. */
  readonly pushes: number;
}

/** Every sample of the registry as remote-write series at `timestamp`, plus `up`. */
export async function registrySeries(registry: Registry, labels: Record<string, string>, timestamp: number): Promise<ResultSeries[]> {
  const out: ResultSeries[] = [{ labels: sortedLabels('up', labels), samples: [{ value: 1, timestamp }] }];
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const v of metric.values) {
      const own: Record<string, string> = {};
      for (const [k, value] of Object.entries(v.labels)) if (value !== undefined) own[k] = String(value);
      const name = (v as { metricName?: string }).metricName ?? metric.name;
      out.push({ labels: sortedLabels(name, { ...own, ...labels }), samples: [{ value: v.value, timestamp }] });
    }
  }
  return out;
}

/** Pushes at once, then every interval, until scraped, stopped or `maxSeconds` have passed. */
export function pushUntilScraped(registry: Registry, opts: PushOptions): PushBridge {
  const write = opts.write ?? ((url: string, series: ResultSeries[]) => remoteWrite(url, series, Math.max(1000, opts.intervalSeconds * 4000)));
  const started = Date.now();
  const maxMs = (opts.maxSeconds ?? 30) * 1000;
  let done = false;
  let busy = false;
  let pushes = 0;
  let failure: string | null = null;
  const finish = (why: string, normal: boolean): void => {
    if (done) return;
    done = true;
    clearInterval(timer);
    const counted = `${pushes} push${pushes === 1 ? '' : 'es'}${failure ? `, last failure: ${failure}` : ''}`;
    // The normal end is a line for live.log (live-console.ts keeps it off the console).
    opts.log(normal && pushes > 0 ? `stack: samples pushed until ${why} (${counted})` : `stack: sample pushes to Prometheus stopped: ${why} (${counted})`);
  };
  const tick = async (): Promise<void> => {
    if (done || busy) return;
    if (Date.now() - started >= maxMs) return finish(`no scrape within ${maxMs / 1000} s`, false);
    busy = true;
    try {
      const series = await registrySeries(registry, opts.labels, Date.now());
      // A scrape that came while the registry was read: this write would only race it.
      if (done) return;
      await write(opts.url, series);
      pushes += 1;
    } catch (err) {
      failure = (err as Error).message.split('\n')[0] ?? String(err);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalSeconds * 1000);
  timer.unref();
  void tick();
  return {
    scraped: () => finish("Prometheus's first scrape", true),
    stop: () => finish('the stack stopped', true),
    get pushes() {
      return pushes;
    },
  };
}
