/**
 * Publishes a run's results where SREs look: as Prometheus series (remote write, to the run's
 * own Prometheus and to a long-lived one when given) and as Grafana annotations when a Grafana
 * URL and a service-account token are given. The token is never logged.
 */
import type { Plan } from '../plan/types.ts';
import type { Verdict } from '../controller/types.ts';
import { pushResults } from './results.ts';
import { annotateRun, GrafanaClient } from './annotations.ts';

export interface PublishOptions {
  /** Remote-write URLs that receive the result series. */
  remoteWriteUrls: string[];
  grafanaUrl?: string;
  /** Service-account token (from GRAFANA_TOKEN). */
  grafanaToken?: string;
  log: (line: string) => void;
}

export async function publishResults(plan: Plan, verdict: Verdict, opts: PublishOptions): Promise<string[]> {
  const problems: string[] = [];
  for (const url of opts.remoteWriteUrls) {
    try {
      const r = await pushResults(url, plan, verdict);
      opts.log(`result series: ${r.series} series, ${r.samples} samples written to ${url}`);
    } catch (err) {
      problems.push(`result series could not be written to ${url}: ${(err as Error).message}`);
    }
  }
  if (opts.grafanaUrl) {
    if (!opts.grafanaToken) {
      problems.push('--grafana-url given without GRAFANA_TOKEN: no annotations written');
    } else {
      try {
        const client = new GrafanaClient({ url: opts.grafanaUrl, token: opts.grafanaToken, log: opts.log });
        const r = await annotateRun(client, plan, verdict);
        opts.log(`grafana: ${r.ids.length} annotations on ${opts.grafanaUrl}`);
      } catch (err) {
        problems.push(`grafana annotations failed: ${(err as Error).message}`);
      }
    }
  }
  for (const p of problems) opts.log(p);
  return problems;
}
