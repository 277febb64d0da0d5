/**
 * PromQL fragments shared by the dashboards: run selectors, the latency quantile over k6's
 * native histogram, and the `kind` / threshold tricks that let one query carry several series.
 */
import type { PanelSpec } from './kit.ts';
import type { Trigger } from '../plan/schema.ts';
import { K6 } from './series.ts';

export const TAGS = ['scale-harness'];
/** k6 series of the selected run(s). */
export const K6_RUN = 'testid=~"$testid"';
/** Result series of the selected run(s) and profile(s). */
export const RESULT_RUN = 'run_id=~"$testid", profile=~"$profile"';
export const RATE = '[$__rate_interval]';

/** Quantile `q` of k6 request latency (native histogram, seconds) per `by`, across all runners. */
export const quantile = (q: number, by: string): string =>
  `histogram_quantile(${q}, sum by (${by}) (rate(${K6.httpReqDuration}{${K6_RUN}}${RATE})))`;

/**
 * Tags each series of `expr` with `kind="<name>"`, so that `a or b` keeps both (their label sets
 * differ) and a panel shows data as soon as either exists.
 */
export const kind = (expr: string, name: string): string => `label_replace(${expr}, "kind", "${name}", "", "")`;

/** One constant series per trigger: `{trigger="<id>"} <threshold>`. */
export function thresholds(triggers: Trigger[]): string {
  return triggers.map((t) => `label_replace(vector(${t.threshold}), "trigger", "${t.id}", "", "")`).join(' or ');
}

/** Adds the triggers' thresholds to a panel as one more query, drawn dashed. */
export function withThresholds(spec: PanelSpec, triggers: Trigger[]): PanelSpec {
  if (triggers.length === 0) return spec;
  return {
    ...spec,
    queries: [...spec.queries, { expr: thresholds(triggers), legend: '{{trigger}} threshold' }],
    dashed: [...(spec.dashed ?? []), String.fromCharCode(65 + spec.queries.length)],
  };
}
