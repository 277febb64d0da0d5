/**
 * Report, then publish, in that order: the report step may turn a pass into `inconclusive`
 * (a report without its data is not evidence), and what is published (result series, Grafana
 * annotations) must be that final verdict, the one verdict.json holds.
 */
import path from 'node:path';
import type { Verdict } from '../controller/types.ts';
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import { writeReports } from '../report/registry.ts';
import { RUN_FILES, writeJson } from '../report/run-folder.ts';
import { collectSeries, type RunSeries } from '../report/series.ts';

export type Publish = (plan: Plan, verdict: Verdict) => Promise<unknown>;

/** The verdict with the series that could not be read: a pass without its data is inconclusive. */
export function withSeriesErrors(verdict: Verdict, series: RunSeries | null): Verdict {
  if (!series || series.errors.length === 0) return verdict;
  const reasons = [...verdict.reasons, ...series.errors.map((e) => `report series ${e.family} could not be read: ${e.message}`)];
  return { ...verdict, reasons, status: verdict.status === 'pass' ? 'inconclusive' : verdict.status };
}

/**
 * Writes verdict.json first (so it exists whatever fails next), collects the series, writes
 * every report with the final verdict, and only then publishes it.
 */
export async function reportAndPublish(
  runDir: string,
  plan: Plan,
  judged: Verdict,
  source: MetricSource,
  publish: Publish,
  log: (l: string) => void,
): Promise<{ verdict: Verdict; files: string[] }> {
  await writeJson(runDir, RUN_FILES.verdict, judged);
  let series: RunSeries | null = null;
  try {
    series = await collectSeries(source, plan, judged, { start: judged.startedAt, end: judged.endedAt });
  } catch (err) {
    log(`could not collect series for the report: ${(err as Error).message}`);
  }
  const verdict = withSeriesErrors(judged, series);
  const out = await writeReports(runDir, { plan, verdict, series });
  for (const e of out.errors) log(`reporter ${e.reporter} failed: ${e.message}`);
  log(`wrote ${out.files.map((f) => path.basename(f)).join(', ')} in ${path.relative(process.cwd(), runDir) || runDir}`);
  await publish(plan, verdict);
  return { verdict, files: out.files };
}
