/**
 * Writes the run's files: verdict.json first (so it exists whatever fails next), then the
 * time series for the report, then every registered reporter (JUnit, Markdown, HTML).
 * A series query that fails makes the verdict inconclusive: a report without its data is not
 * evidence.
 */
import path from 'node:path';
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import type { Verdict } from '../controller/types.ts';
import { collectSeries, type RunSeries } from '../report/series.ts';
import { writeReports as runReporters } from '../report/registry.ts';
import { RUN_FILES, writeJson } from '../report/run-folder.ts';

export async function writeReports(runDir: string, plan: Plan, verdict: Verdict, source: MetricSource, log: (l: string) => void): Promise<string[]> {
  await writeJson(runDir, RUN_FILES.verdict, verdict);
  let series: RunSeries | null = null;
  try {
    series = await collectSeries(source, plan, verdict, { start: verdict.startedAt, end: verdict.endedAt });
    if (series.errors.length > 0) {
      verdict.reasons.push(...series.errors.map((e) => `report series ${e.family} could not be read: ${e.message}`));
      if (verdict.status === 'pass') verdict.status = 'inconclusive';
    }
  } catch (err) {
    log(`could not collect series for the report: ${(err as Error).message}`);
  }
  const out = await runReporters(runDir, { plan, verdict, series });
  for (const e of out.errors) log(`reporter ${e.reporter} failed: ${e.message}`);
  log(`wrote ${out.files.map((f) => path.basename(f)).join(', ')} in ${path.relative(process.cwd(), runDir) || runDir}`);
  return out.files;
}
