/**
 * Suites of runs: the nightly gate (spike, rural, a soak slice; each compared with its
 * baseline) and the capacity sign-off (the peak at the capacity plan's target, the holiday
 * spike, the rural cohorts). Runs go one after another; an interrupted suite stops at once and
 * keeps what it has.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { combine, type Status } from '../controller/types.ts';
import { compareToBaseline, readBaseline, writeBaseline, type BaselineComparison } from '../report/baseline.ts';
import { renderJunit } from '../report/junit.ts';
import { renderMarkdown, writeStepSummary } from '../report/markdown.ts';
import type { RunResult as ReportRun } from '../report/types.ts';
import { BASELINES_DIR, RUNS_DIR } from '../util/paths.ts';
import { runProfile, type RunOptions, type RunOutcome } from './index.ts';
import { newRunId } from './run-id.ts';

export interface SuiteEntry {
  /** Name shown in reports (usually the profile). */
  name: string;
  options: Omit<RunOptions, 'signal' | 'log' | 'runsDir'>;
}

export interface SuiteOptions {
  name: string;
  entries: SuiteEntry[];
  /** Compare each run with reports/baselines/<profile>.json (or `baselinesDir`). */
  baselines?: boolean;
  baselinesDir?: string;
  /** Write each passing run as its profile's new baseline. */
  updateBaseline?: boolean;
  runsDir?: string;
  /** Runs one entry (default `runProfile`; `gate`/`signoff --engine k6-operator` run on the cluster). */
  runner?: (options: RunOptions) => Promise<RunOutcome>;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export interface SuiteResult {
  status: Status;
  interrupted: boolean;
  dir: string;
  runs: Array<{ result: RunOutcome; baseline: BaselineComparison | null }>;
  files: string[];
  notes: string[];
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const dir = path.join(opts.runsDir ?? RUNS_DIR, newRunId(opts.name));
  await mkdir(dir, { recursive: true });
  const runs: SuiteResult['runs'] = [];
  const notes: string[] = [];
  const baselinesDir = opts.baselinesDir ?? BASELINES_DIR;
  for (const entry of opts.entries) {
    if (opts.signal?.aborted) break;
    opts.log(`--- ${opts.name}: ${entry.name} ---`);
    const result = await (opts.runner ?? runProfile)({ ...entry.options, runsDir: dir, log: opts.log, ...(opts.signal ? { signal: opts.signal } : {}) });
    let baseline: BaselineComparison | null = null;
    if (opts.baselines) {
      const b = await readBaseline(result.plan.profile, baselinesDir);
      if (b) baseline = compareToBaseline(result.verdict, b);
      else notes.push(`no baseline for ${result.plan.profile} in ${path.relative(process.cwd(), baselinesDir) || baselinesDir}; run with --update-baseline to record one`);
    }
    if (opts.updateBaseline) {
      if (result.verdict.status === 'pass') {
        const file = await writeBaseline(result.verdict, baselinesDir);
        notes.push(`baseline written: ${path.relative(process.cwd(), file)}`);
      } else {
        notes.push(`baseline for ${result.plan.profile} not written: the run's verdict is ${result.verdict.status}`);
      }
    }
    runs.push({ result, baseline });
  }
  // A run whose k6, Prometheus or stack died is inconclusive (health.crash), not interrupted.
  const interrupted = opts.signal?.aborted === true || runs.some((r) => r.result.verdict.interrupted && !r.result.verdict.health?.crash);
  const reportRuns: ReportRun[] = runs.map((r) => ({ plan: r.result.plan, verdict: r.result.verdict, baseline: r.baseline }));
  const statuses: Status[] = runs.flatMap((r) => [r.result.verdict.status, ...(r.baseline ? [r.baseline.status] : [])]);
  if (runs.length < opts.entries.length) statuses.push('inconclusive');
  const status = interrupted ? 'inconclusive' : combine(statuses);
  const junit = path.join(dir, 'junit.xml');
  await writeFile(junit, renderJunit(reportRuns));
  const md = renderMarkdown(reportRuns) + (notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : '');
  const summary = path.join(dir, 'summary.md');
  await writeFile(summary, md);
  if (await writeStepSummary(md)) opts.log('summary appended to GITHUB_STEP_SUMMARY');
  return { status, interrupted, dir, runs, files: [junit, summary], notes };
}
