/**
 * The live view's rows as one PromQL query per tick, whatever the number of triggers and
 * deployments: each row's expression is tagged with a `live_row` label by label_replace and the
 * rows are joined with `or`. Rows carry distinct labels, so `or` keeps every one of them.
 */
import type { InstantSample, MetricSource } from '../metrics/client.ts';

export const ROW_LABEL = 'live_row';

/** One query for all rows: `label_replace(expr, "live_row", "<key>", "", "") or ...`. */
export function batchExpr(rows: Record<string, string>): string {
  return Object.entries(rows)
    .map(([key, expr]) => `label_replace(${expr}, "${ROW_LABEL}", "${key.replace(/["\\]/g, '')}", "", "")`)
    .join(' or ');
}

/** The first finite value of each row in a batch result; rows with no data are absent. */
export function splitBatch(samples: InstantSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const key = s.metric[ROW_LABEL];
    const v = s.value[1];
    if (key !== undefined && !out.has(key) && Number.isFinite(v)) out.set(key, v);
  }
  return out;
}

/** Runs the batch; a failed query (Prometheus busy or gone) gives no rows, not an error. */
export async function queryBatch(source: MetricSource, rows: Record<string, string>): Promise<Map<string, number>> {
  if (Object.keys(rows).length === 0) return new Map();
  try {
    return splitBatch(await source.query(batchExpr(rows)));
  } catch {
    return new Map();
  }
}
