/** Inputs shared by the reporters. */
import type { Verdict } from '../controller/types.ts';
import type { Plan } from '../plan/types.ts';
import type { BaselineComparison } from './baseline.ts';
import type { RunSeries } from './series.ts';

/** One run as the summary reporters (JUnit, Markdown) see it; a gate passes several. */
export interface RunResult {
  plan: Plan;
  verdict: Verdict;
  /** The comparison with the profile's baseline; absent or null when there is none. */
  baseline?: BaselineComparison | null;
}

/** Everything a reporter may use for one run. */
export interface ReportContext extends RunResult {
  /** Plotted series; null when they could not be collected (the HTML then has no charts). */
  series: RunSeries | null;
}
